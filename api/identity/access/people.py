"""Members and what happens to them: activities, check-ins, claims, transfers, notices."""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from points.activities import Activity, get_activity
from points.checkins import Checkin, get_checkin
from points.claims import Claim, get_claim
from points.errors import Forbidden, Invalid, NotFound
from points.ledger import Transfer, get_transfer
from points.members import Member, get_member
from points.notices import Notice, get_notice

from ..principal import Principal
from .roles import in_community, is_staff, scope

# Members ----------------------------------------------------------------------------------

def may_see_member(principal: Principal, member: Member) -> bool:
    if principal.role == "volunteer":
        return member.id == principal.member_id
    return principal.role == "admin" or (principal.role == "organiser"
                                         and member.community_id == principal.community_id)


def visible_member(session: Session, principal: Principal, member_id: int) -> Member:
    """A member this principal may see: admins all, organisers their community's, volunteers themself."""
    member = get_member(session, member_id)
    if not may_see_member(principal, member):
        raise NotFound(f"member {member_id} not found")
    return member


def member_acted_for(session: Session, principal: Principal, member_id: int | None) -> Member:
    """Whom a request is for: volunteers act for themselves unless they name someone they may
    see; organisers and admins must name the member."""
    if member_id is None:
        if principal.role != "volunteer":
            raise Invalid("name the member_id this is for", field="member_id")
        member_id = principal.member_id
    return visible_member(session, principal, member_id)


def listed_member(principal: Principal, member_id: int | None) -> int | None:
    """The member filter of a list: volunteers always their own."""
    return scope(principal).member_id or member_id


# Activities, check-ins, claims, transfers ---------------------------------------------------

def visible_activity(session: Session, principal: Principal, activity_id: int) -> Activity:
    activity = get_activity(session, activity_id)
    if principal.role == "partner" or not in_community(principal, activity.community_id):
        raise NotFound(f"activity {activity_id} not found")
    return activity


def managed_activity(session: Session, principal: Principal, activity_id: int) -> Activity:
    """An activity this principal may change or cancel: staff of its community (others 403/404)."""
    activity = visible_activity(session, principal, activity_id)
    if not is_staff(principal):
        raise Forbidden("only organisers change activities")
    return activity


def sees_checkin_codes(principal: Principal) -> bool:
    """Only staff are handed an activity's codes: a volunteer scans the code at the venue,
    never reads it from a list at home."""
    return is_staff(principal)


def visible_checkin(session: Session, principal: Principal, checkin_id: int) -> Checkin:
    checkin = get_checkin(session, checkin_id)
    if principal.role == "volunteer" and checkin.member_id == principal.member_id:
        return checkin
    if is_staff(principal) and in_community(principal, get_activity(session, checkin.activity_id).community_id):
        return checkin
    raise NotFound(f"check-in {checkin_id} not found")


def visible_claim(session: Session, principal: Principal, claim_id: int) -> Claim:
    claim = get_claim(session, claim_id)
    if (principal.role == "volunteer" and claim.member_id == principal.member_id) or (
            is_staff(principal) and in_community(principal, claim.community_id)):
        return claim
    raise NotFound(f"claim {claim_id} not found")


def visible_transfer(session: Session, principal: Principal, transfer_id: int) -> Transfer:
    """A transfer into or out of a member this principal may manage."""
    record = get_transfer(session, transfer_id)
    if principal.role == "admin":
        return record
    accounts = (record.debit_account_id, record.credit_account_id)
    community_id = session.scalar(select(Member.community_id).where(
        or_(Member.account_id.in_(accounts), Member.pending_account_id.in_(accounts))))
    if not is_staff(principal) or community_id is None or community_id != principal.community_id:
        raise NotFound(f"transfer {transfer_id} not found")
    return record


def visible_notice(session: Session, principal: Principal, notice_id: int) -> Notice:
    """A notice an organiser may withdraw: one of their community's (admins: any)."""
    notice = get_notice(session, notice_id)
    if is_staff(principal) and in_community(principal, notice.community_id):
        return notice
    raise NotFound(f"notice {notice_id} not found")
