"""Who reads tips (线索): their text and photos are for the member who sent one and for staff
accounts that have `sees_tips` (police); everyone else who may see a tip sees that it exists, its
rule, member and status."""
from sqlalchemy.orm import Session

from points.claims import Claim
from points.errors import Forbidden

from ..accounts import StaffAccount
from ..principal import Principal
from .people import visible_claim
from .roles import is_staff
from .staff import visible_staff


def sees_tips(session: Session, principal: Principal) -> bool:
    """A staff account (signed in, or a token issued for it) whose `sees_tips` is set."""
    if principal.staff_id is None or not is_staff(principal):
        return False
    account = session.get(StaffAccount, principal.staff_id)
    # Held by the session, so that asking again for each claim of a list is an identity-map look-up,
    # not a query (the map keeps only objects something refers to); expired on commit like any other.
    session.info.setdefault("staff_accounts_asked", {})[principal.staff_id] = account
    return bool(account is not None and account.sees_tips)


def reads_claim(session: Session, principal: Principal, claim: Claim) -> bool:
    """Whether this principal may read the claim's text and photos (it already may see the claim)."""
    return (principal.role == "volunteer" and principal.member_id == claim.member_id) or sees_tips(session, principal)


def readable_claim(session: Session, principal: Principal, claim_id: int) -> Claim:
    """A claim whose text and photos this principal may read: another community's is 404, one
    they may see but not read is 403."""
    claim = visible_claim(session, principal, claim_id)
    if not reads_claim(session, principal, claim):
        raise Forbidden("only the member who sent a tip and staff allowed to see tips may read it")
    return claim


def grants_tips(session: Session, principal: Principal) -> bool:
    """Whether this principal may let accounts see tips at all (an admin, or staff who see them)."""
    return principal.role == "admin" or sees_tips(session, principal)


def tips_grant(session: Session, principal: Principal, staff_id: int) -> StaffAccount:
    """A staff account whose `sees_tips` this principal may set: an admin any they manage, an
    organiser who has it an organiser account of their own community."""
    account = visible_staff(session, principal, staff_id)
    if principal.role == "admin" or (account.role == "organiser" and grants_tips(session, principal)):
        return account
    raise Forbidden("only an admin, or an organiser who sees tips, may let an account see tips")
