"""Claims (线索、调解): a volunteer files one, an organiser approves or rejects it."""
from datetime import datetime

from sqlalchemy.orm import Session

from points.claims import Claim, approve_claim, reject_claim, submit_claim
from points.members import Member
from points.photos import PhotoStore, keep_photos

from ..identity.access import member_acted_for, visible_claim
from ..identity.principal import Principal
from .awards import member_party
from .events import announce
from .messages import rule_name, tell


def file_claim(session: Session, actor: Principal, *, rule_code: str, description: str, now: datetime,
               member_id: int | None = None, photos: list[bytes] = (), store: PhotoStore | None = None) -> Claim:
    """File a tip or a mediation for review: volunteers for themselves, organisers for a member;
    with up to 3 photos (re-encoded, every EXIF field dropped) kept in `store`."""
    member = member_acted_for(session, actor, member_id)
    claim = submit_claim(session, member=member, rule_code=rule_code, description=description, now=now)
    if photos:
        keep_photos(session, store, claim_id=claim.id, photos=list(photos), now=now)
    # The audit names the claim, never its text: a tip may name people.
    announce(session, actor, "claim_filed", at=now, community_id=member.community_id, subject=member_party(member),
             member_id=member.id, claim_id=claim.id, rule_code=rule_code, photos=len(photos))
    return claim


def approve(session: Session, actor: Principal, *, claim_id: int, now: datetime, points: int | None = None) -> Claim:
    """Approve a pending claim the actor may review: its points are awarded, once."""
    claim = approve_claim(session, claim=visible_claim(session, actor, claim_id), now=now, points=points,
                          reviewer=actor.signature)
    return _reviewed(session, actor, claim, now=now)


def reject(session: Session, actor: Principal, *, claim_id: int, reason: str, now: datetime) -> Claim:
    """Reject a pending claim with a reason; no points move."""
    claim = reject_claim(session, claim=visible_claim(session, actor, claim_id), reason=reason, now=now,
                         reviewer=actor.signature)
    return _reviewed(session, actor, claim, now=now)


def _reviewed(session: Session, actor: Principal, claim: Claim, *, now: datetime) -> Claim:
    member = session.get(Member, claim.member_id)
    announce(session, actor, "claim_reviewed", at=now, community_id=claim.community_id, subject=member_party(member),
             member_id=member.id, why=claim.reason, claim_id=claim.id, rule_code=claim.rule_code,
             decision=claim.status, points=claim.points, transfer_id=claim.transfer_id)
    name = rule_name(session, community_id=claim.community_id, code=claim.rule_code)
    if claim.status == "approved":
        tell(session, member.id, "claim_approved", subject_id=claim.id, now=now, rule_name=name, points=claim.points)
    else:
        tell(session, member.id, "claim_rejected", subject_id=claim.id, now=now, rule_name=name, reason=claim.reason)
    return claim
