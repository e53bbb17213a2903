"""What happens to tips' photos and who reads tips: opening a photo (audited), letting a staff
account see tips, and forgetting the photos of tips rejected long ago."""
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from points.audit import Party
from points.members import Member
from points.photos import PhotoStore, forget_rejected, photo_of

from ..identity.access import readable_claim, tips_grant
from ..identity.accounts import StaffAccount
from ..identity.principal import Principal
from .awards import member_party
from .events import announce


def open_tip_photo(session: Session, actor: Principal, *, claim_id: int, position: int, store: PhotoStore,
                   now: datetime) -> tuple[bytes, str]:
    """A tip's photo for the member who sent it or staff who see tips; the audit says who opened it."""
    claim = readable_claim(session, actor, claim_id)
    photo = photo_of(claim, position=position)
    data = store.get(photo.stored_as)
    member = session.get(Member, claim.member_id)
    announce(session, actor, "tip_photo_opened", at=now, community_id=claim.community_id,
             subject=member_party(member), member_id=member.id, claim_id=claim.id, photo=position)
    return data, photo.mimetype


def let_see_tips(session: Session, actor: Principal, *, staff_id: int, sees: bool, now: datetime,
                 seen_in: int | None = None) -> StaffAccount:
    """Give a staff account `sees_tips` (police) or take it away: an admin, or an organiser who has it."""
    account = tips_grant(session, actor, staff_id)
    if account.sees_tips != sees:
        account.sees_tips = sees
        session.flush()
        announce(session, actor, "staff_changed", at=now, community_id=account.community_id or seen_in,
                 subject=Party("staff", account.id, account.name), staff_id=account.id, name=account.name,
                 sees_tips=sees)
    return account


def forget_old_tip_photos(session: Session, *, days: int, store: PhotoStore, now: datetime) -> int:
    """The cron job: delete the photos of tips rejected more than `days` ago; returns how many went."""
    return forget_rejected(session, store, reviewed_before=now - timedelta(days=days), now=now)
