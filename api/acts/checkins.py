"""Check-ins (签到): a volunteer checks in with an activity's code, or staff check them in by their
member card; per-hour activities check out, one by one or everyone still there at once.

A volunteer's own check-in and check-out are on the busiest path of all and already written in
the check-ins table and the ledger: they are announced, not audited. Staff's are audited.
"""
from datetime import datetime

from sqlalchemy.orm import Session

from points import checkins
from points.checkins import Checkin, parties
from points.members import Member, get_member

from .. import codes
from ..identity.access import is_staff, visible_activity, visible_checkin
from ..identity.principal import Principal
from .awards import member_party
from .events import announce


def check_in_by_code(session: Session, actor: Principal, *, code: str, now: datetime, lat: float | None = None,
                     lng: float | None = None) -> Checkin:
    """The actor checks in with an activity's code (printed or live, scanned or typed), at the
    place the phone gives: one query reads the activity, the member and the rule."""
    read = codes.read(code, "activity", "live")
    between = parties(session, activity_id=read.subject_id, member_id=actor.member_id)
    checkin = checkins.check_in(session, activity=between.activity, member=between.member, rule=between.rule,
                                now=now, grace=codes.grace(), method="printed" if read.purpose == "activity" else "live",
                                lat=lat, lng=lng)
    return _arrived(session, actor, checkin, between.member, now=now, audited=False)


def check_in_by_card(session: Session, actor: Principal, *, activity_id: int, member_code: str,
                     now: datetime) -> Checkin:
    """Staff check a member in by their card's code (scanned or typed), for volunteers without a phone."""
    activity = visible_activity(session, actor, activity_id)
    member = get_member(session, codes.read(member_code, "member").subject_id)
    checkin = checkins.check_in(session, activity=activity, member=member, now=now, grace=codes.grace(),
                                method="card")
    return _arrived(session, actor, checkin, member, now=now, audited=True)


def check_out_now(session: Session, actor: Principal, *, checkin_id: int, now: datetime) -> Checkin:
    """Close an open check-in the actor may see now and pay its full hours: a volunteer their own,
    staff anyone's at their community's activities."""
    checkin = checkins.check_out(session, checkin=visible_checkin(session, actor, checkin_id), now=now)
    return _left(session, actor, checkin, now=now)


def check_everyone_out(session: Session, actor: Principal, *, activity_id: int, now: datetime) -> list[Checkin]:
    """Staff close every check-in still open at an activity now (those who forgot, or left together)."""
    activity = visible_activity(session, actor, activity_id)
    return [_left(session, actor, checkin, now=now)
            for checkin in checkins.check_out_everyone(session, activity=activity, now=now)]


def _arrived(session: Session, actor: Principal, checkin: Checkin, member: Member, *, now: datetime,
             audited: bool) -> Checkin:
    announce(session, actor, "checkin", at=now, community_id=member.community_id, subject=member_party(member),
             member_id=member.id, audited=audited, checkin_id=checkin.id, activity_id=checkin.activity_id,
             method=checkin.method, status=checkin.status, points=checkin.points, transfer_id=checkin.transfer_id)
    return checkin


def _left(session: Session, actor: Principal, checkin: Checkin, *, now: datetime) -> Checkin:
    if is_staff(actor):  # audited: the row names the member
        member = session.get(Member, checkin.member_id)
        community_id, subject, audited = member.community_id, member_party(member), True
    else:  # a volunteer's own: no read added to their check-out
        community_id, subject, audited = actor.community_id, None, False
    announce(session, actor, "checkout", at=now, community_id=community_id, subject=subject,
             member_id=checkin.member_id, audited=audited, checkin_id=checkin.id, activity_id=checkin.activity_id,
             minutes=checkin.minutes, points=checkin.points, transfer_id=checkin.transfer_id)
    return checkin
