"""Activities (活动): an organiser schedules one under a live rule of their community.

`ActivityArgsSchema` is what scheduling takes, as a JSON body or the console's form carries it:
both doors check its shape with it before they call `schedule`.
"""
from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from points.activities import CHECKIN_METHODS, Activity, Place, plan_activity
from points.audit import Party

from ..http.fields import Id, LocalDateTime, Name, RuleCode
from ..identity.access import community_for
from ..identity.principal import Principal
from .events import announce


class LocationSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lng = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    radius_m = fields.Integer(required=True, strict=True, validate=validate.Range(min=10, max=100_000))


def CheckinMethods(**kwargs) -> fields.List:  # noqa: N802 (a field factory reads as a type)
    return fields.List(fields.String(validate=validate.OneOf(CHECKIN_METHODS)),
                       validate=validate.Length(min=1, max=len(CHECKIN_METHODS)), **kwargs)


class ActivityArgsSchema(Schema):
    rule_code = RuleCode(required=True)
    title = Name(200, required=True)
    community_id = Id(required=True)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    location = fields.Nested(LocationSchema, allow_none=True)
    capacity = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=100_000))
    checkin_methods = CheckinMethods(load_default=list(CHECKIN_METHODS), metadata={
        "description": "how volunteers may check in: printed QR, live screen code, member card (default all)"})


def activity_party(activity: Activity) -> Party:
    return Party("activity", activity.id, activity.title)


def schedule(session: Session, actor: Principal, *, community_id: int, rule_code: str, title: str,
             starts_at: datetime, ends_at: datetime, now: datetime, location: dict | None = None,
             capacity: int | None = None, checkin_methods: tuple[str, ...] = CHECKIN_METHODS) -> Activity:
    """Schedule an activity in a community the actor may act in, under a live rule of it."""
    activity = plan_activity(session, community_id=community_for(actor, community_id), rule_code=rule_code,
                             title=title, starts_at=starts_at, ends_at=ends_at, now=now, capacity=capacity,
                             place=Place(**location) if location else None, checkin_methods=tuple(checkin_methods))
    announce(session, actor, "activity_scheduled", at=now, community_id=activity.community_id,
             subject=activity_party(activity), activity_id=activity.id, rule_code=rule_code,
             starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat())
    return activity
