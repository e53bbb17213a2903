"""Organisers put mistakes right: an activity's facts changed or the activity cancelled, and a
check-out undone (by its volunteer within 10 minutes, by staff until the activity ends).

`cancel_activity` is the one place an activity is cancelled, whichever door calls it: whatever
else a cancellation should do (telling its volunteers) is one more line there.
"""
from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from points import corrections
from points.activities import Activity, Place
from points.checkins import Checkin
from points.members import Member

from .. import codes
from ..http.fields import LocalDateTime, Name
from ..identity.access import is_staff, managed_activity, visible_checkin
from ..identity.principal import Principal
from . import messages
from .activities import LocationSchema, activity_party
from .awards import member_party
from .events import announce

REASON = validate.Length(min=1, max=500)


class ActivityChangeArgsSchema(Schema):
    title = Name(200)
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    capacity = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=100_000),
                              metadata={"description": "null: no limit"})
    place = fields.Nested(LocationSchema, allow_none=True, metadata={"description": "null: anywhere"})


class ReasonArgsSchema(Schema):
    reason = fields.String(required=True, validate=REASON)


def change_activity(session: Session, actor: Principal, *, activity_id: int, now: datetime, **changes) -> Activity:
    """Change an activity's title, times, capacity or place (keys given; None clears capacity or
    place); new times must still hold the check-ins made (409 conflict)."""
    activity = managed_activity(session, actor, activity_id)
    place = changes.get("place")
    changed = corrections.amend_activity(
        session, activity, grace=codes.grace(), title=changes.get("title"), starts_at=changes.get("starts_at"),
        ends_at=changes.get("ends_at"), capacity=changes.get("capacity"),
        unlimited="capacity" in changes and changes["capacity"] is None,
        place=Place(**place) if place else None, no_place="place" in changes and place is None)
    if changed:
        announce(session, actor, "activity_changed", at=now, community_id=activity.community_id,
                 subject=activity_party(activity), activity_id=activity.id, changed=changed)
    return activity


def cancel_activity(session: Session, actor: Principal, *, activity_id: int, reason: str,
                    now: datetime) -> corrections.Cancellation:
    """Cancel an activity: no more check-ins, the points it paid reversed with the reason, and each
    volunteer who came told (a message)."""
    activity = managed_activity(session, actor, activity_id)
    cancellation = corrections.call_off(session, activity, reason=reason, now=now, actor=actor.actor)
    for member_id, points in corrections.points_taken_back(session, cancellation).items():
        messages.activity_cancelled(session, activity=activity, member_id=member_id, points_taken=points, now=now)
    announce(session, actor, "activity_cancelled", at=now, community_id=activity.community_id,
             subject=activity_party(activity), why=reason, activity_id=activity.id,
             reversed=cancellation.reversed, spent=cancellation.spent, closed=cancellation.closed)
    return cancellation


def undo_check_out(session: Session, actor: Principal, *, checkin_id: int, now: datetime) -> Checkin:
    """Open a check-out again and take back its hours' points: the volunteer's own within 10
    minutes, staff's until the activity ends."""
    checkin = visible_checkin(session, actor, checkin_id)
    checkin = corrections.reopen_checkin(session, checkin, now=now, by_staff=is_staff(actor), actor=actor.actor)
    member = session.get(Member, checkin.member_id)
    announce(session, actor, "checkout_undone", at=now, community_id=member.community_id,
             subject=member_party(member), member_id=member.id, checkin_id=checkin.id,
             activity_id=checkin.activity_id)
    return checkin
