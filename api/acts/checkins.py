"""Check-ins (签到): a volunteer checks in with an activity's code (scanned, or its short code typed),
or staff check them in by their member card (scanned or its number typed) or by name; per-hour
activities check out, one by one or everyone still there at once.

A volunteer's own check-in and check-out are on the busiest path of all and already written in
the check-ins table and the ledger: they are announced, not audited. Staff's are audited.
"""
from datetime import datetime

from sqlalchemy.orm import Session

from points import checkins, short_codes
from points.activities import Activity, open_now
from points.checkins import Checkin, parties
from points.codes import InvalidCode
from points.members import Member

from .. import codes
from ..identity.access import is_staff, visible_activity, visible_checkin, visible_member
from ..identity.principal import Principal
from .awards import member_party
from .events import announce


def check_in_by_code(session: Session, actor: Principal, *, code: str, now: datetime, lat: float | None = None,
                     lng: float | None = None) -> Checkin:
    """The actor checks in with an activity's code (printed or live, scanned or typed; or the short
    code under the poster's QR or beside the screen's), at the place the phone gives: one query reads
    the activity, the member and the rule."""
    activity_id, method = _activity_named(session, actor, code, now=now)
    between = parties(session, activity_id=activity_id, member_id=actor.member_id)
    checkin = checkins.check_in(session, activity=between.activity, member=between.member, rule=between.rule,
                                now=now, grace=codes.grace(), method=method, lat=lat, lng=lng)
    return _arrived(session, actor, checkin, between.member, now=now, audited=False)


def check_in_by_card(session: Session, actor: Principal, *, activity_id: int, card: str | None = None,
                     member_id: int | None = None, now: datetime) -> Checkin:
    """Staff check a member in by their card (its QR scanned, or its 8-digit number typed) or, chosen
    by name or phone, by their id: for volunteers without a smartphone."""
    activity = visible_activity(session, actor, activity_id)
    if card is not None:
        member_id = (short_codes.member_of_card_number(card) if short_codes.is_card_number(card)
                     else codes.read(card, "member").subject_id)
    member = visible_member(session, actor, member_id)
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


def _activity_named(session: Session, actor: Principal, code: str, *, now: datetime) -> tuple[int, str]:
    """The activity a code names and how it was shown: `printed` (the poster's QR or short code) or
    `live` (the screen's). A screen's short code is looked for among the actor's community's
    activities open now; any other short code is a poster's."""
    if not short_codes.looks_short(code):
        read = codes.read(code, "activity", "live")
        return read.subject_id, "printed" if read.purpose == "activity" else "live"
    for activity in open_now(session, community_id=actor.community_id, now=now, grace=codes.grace()):
        if "live" in activity.methods and codes.is_live_short_code(activity, code):
            return activity.id, "live"
    printed = session.get(Activity, codes.activity_of_short_code(code))
    if printed is None or printed.community_id != actor.community_id:  # mistyped, or guessed
        raise InvalidCode("no activity of your community has this code")
    return printed.id, "printed"


def _arrived(session: Session, actor: Principal, checkin: Checkin, member: Member, *, now: datetime,
             audited: bool) -> Checkin:
    announce(session, actor, "checkin", at=now, community_id=member.community_id, subject=member_party(member),
             member_id=member.id, audited=audited, checkin_id=checkin.id, activity_id=checkin.activity_id,
             method=checkin.method, status=checkin.status, points=checkin.points, transfer_id=checkin.transfer_id,
             capped=checkin.capped)
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
