"""Activities (活动) and their QR codes: printed, live on a screen, and organiser check-ins by member card."""
from flask import Response
from marshmallow import Schema, ValidationError, fields, missing, validate, validates_schema

from points import qr
from points.activities import Activity, ensure_open, find_activities
from points.checkins import find_checkins

from .. import codes
from ..acts.activities import ActivityArgsSchema, CheckinMethods, LocationSchema, schedule
from ..acts.checkins import check_in_by_card as card_check_in
from ..acts.corrections import ActivityChangeArgsSchema, ReasonArgsSchema, cancel_activity, change_activity
from ..http import db
from ..http.clock import now, zone
from ..http.fields import Id, LocalDateTime, QueryId
from ..http.idempotency import idempotent
from ..http.images import image_doc, image_routes, qr_image
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import community_for, managed_activity, sees_checkin_codes, visible_activity
from ..identity.authentication import current_principal
from .checkins import CheckinSchema

blp = Blueprint("activities", __name__, url_prefix="/api/v1/activities", description="Activities and QR check-in")


class ActivityQueryArgsSchema(PageArgsSchema):
    community_id = QueryId()
    from_ = LocalDateTime(data_key="from")
    to = LocalDateTime()


class ActivitySchema(Schema):
    id = fields.Integer(required=True)
    rule_code = fields.String(required=True)
    title = fields.String(required=True)
    community_id = fields.Integer(required=True)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    location = fields.Nested(LocationSchema, allow_none=True)
    capacity = fields.Integer(allow_none=True)
    checkin_count = fields.Integer()
    checkin_methods = CheckinMethods(attribute="methods")
    cancelled_at = LocalDateTime(allow_none=True, metadata={"description": "set once the activity is cancelled"})
    cancel_reason = fields.String(allow_none=True)
    checkin_url = fields.Method("_checkin_url", metadata={"description": "staff only: what the printed QR carries"})
    qr_png = fields.Method("_qr_png", metadata={"description": "staff only"})
    short_code = fields.Method("_short_code", metadata={
        "description": "staff only: 6 characters printed under the poster's QR, typed at /scan or sent as "
                       "`POST /checkins {code}`"})

    def _short_code(self, activity):
        if not sees_checkin_codes(current_principal()):
            return missing
        return codes.short_code(activity)

    def _checkin_url(self, activity):
        if not sees_checkin_codes(current_principal()):
            return missing  # a volunteer scans the code at the venue, never reads it from a list
        return codes.checkin_url(codes.printed_code(activity))

    def _qr_png(self, activity):
        if not sees_checkin_codes(current_principal()):
            return missing
        return codes.public_url(f"/api/v1/activities/{activity.id}/qr.png")


class CancellationSchema(Schema):
    activity = fields.Nested(ActivitySchema, required=True)
    reversed = fields.List(fields.Integer(), required=True,
                           metadata={"description": "the earnings (transfer ids) it paid, now reversed"})
    not_reversed = fields.List(fields.Integer(), required=True, attribute="spent", metadata={
        "description": "earnings whose points were spent since: not taken back"})
    closed_checkins = fields.Integer(required=True, attribute="closed",
                                     metadata={"description": "check-ins still open, closed unpaid"})


class LiveCodeSchema(Schema):
    code = fields.String(required=True)
    url = fields.String(required=True)
    expires_at = LocalDateTime(required=True)
    short_code = fields.String(required=True, metadata={"description": "what the screen shows beside the QR "
                                                                       "to type; it changes with the QR"})


class MemberCheckinArgsSchema(Schema):
    card = fields.String(validate=validate.Length(min=1, max=300),
                         metadata={"description": "the member card's QR text, or its 8-digit card number"})
    member_code = fields.String(validate=validate.Length(min=1, max=300),
                                metadata={"description": "the same as `card` (its older name)"})
    member_id = Id(metadata={"description": "a member chosen by name or phone"})

    @validates_schema
    def _one_member(self, data, **_):
        if len([name for name in ("card", "member_code", "member_id") if name in data]) != 1:
            raise ValidationError("name the member by exactly one of card or member_id", field_name="card")


def open_activity(activity_id: int) -> Activity:
    """An activity whose screen may show a code: once it has ended (plus grace), none is issued."""
    activity = visible_activity(db.session(), current_principal(), activity_id)
    ensure_open(activity, now=now(), grace=codes.grace())
    return activity


@blp.route("", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(ActivityArgsSchema(), example={
    "rule_code": "patrol", "title": "周六晚间治安巡逻", "community_id": 1, "starts_at": "2026-11-28T19:00:00+08:00",
    "ends_at": "2026-11-28T21:00:00+08:00", "location": {"lat": 22.5431, "lng": 114.0579, "radius_m": 300},
    "capacity": 20})
@blp.response(201, ActivitySchema)
def create_activity(args):
    """Schedule an activity; its `checkin_url` is what the printed QR code carries."""
    return schedule(db.writer(), current_principal(), now=now(), **args)


@blp.route("/<id:activity_id>", methods=["PATCH"])
@blp.allow("admin", "organiser")
@found("activity_id", "activity", managed_activity)
@blp.arguments(ActivityChangeArgsSchema(), example={"title": "周六晚间治安巡逻（改期）",
                                                    "starts_at": "2026-11-29T19:00:00+08:00", "capacity": 30})
@blp.response(200, ActivitySchema)
def change(args, activity):
    """Change an activity's title, times, capacity or place; times that would leave out check-ins
    already made are refused (409 conflict)."""
    return change_activity(db.writer(), current_principal(), activity_id=activity.id, now=now(), **args)


@blp.route("/<id:activity_id>/cancel", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("activity_id", "activity", managed_activity)
@blp.arguments(ReasonArgsSchema(), example={"reason": "台风预警，巡逻取消"})
@blp.response(200, CancellationSchema)
def cancel(args, activity):
    """Cancel an activity: no more check-ins, and the points it paid are reversed with the reason."""
    return cancel_activity(db.writer(), current_principal(), activity_id=activity.id, reason=args["reason"],
                           now=now())


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(ActivityQueryArgsSchema(), location="query")
@blp.response(200, page_schema(ActivitySchema))
def activities(args):
    """Activities of a community, optionally those starting in [from, to)."""
    return keyset_page(find_activities, db.session(), args, starting_from=args.get("from_"),
                       starting_before=args.get("to"),
                       community_id=community_for(current_principal(), args.get("community_id")))


@blp.route("/<id:activity_id>", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.response(200, ActivitySchema)
def activity(activity_id):
    """One activity."""
    return visible_activity(db.session(), current_principal(), activity_id)


@image_routes(blp, "/<id:activity_id>/qr", "admin", "organiser")
def printed_qr(fmt, activity_id):
    """The activity's printable QR code, with its title and time in Chinese beneath."""
    activity = visible_activity(db.session(), current_principal(), activity_id)
    return qr_image(codes.checkin_url(codes.printed_code(activity)), _caption(activity), fmt,
                    f"activity-{activity.id}")


@blp.route("/<id:activity_id>/live", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.response(200, LiveCodeSchema)
def live(activity_id):
    """A rotating code for a screen at the venue; it lives at most 30 seconds."""
    activity = open_activity(activity_id)
    code, expires_at = codes.live_code(activity)
    return {"code": code, "url": codes.checkin_url(code), "expires_at": expires_at,
            "short_code": codes.live_short_code(activity)}


@blp.route("/<id:activity_id>/live.svg", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.doc(**image_doc("svg"))
def live_svg(activity_id):
    """The rotating code as an SVG image, for the venue screen page."""
    activity = open_activity(activity_id)
    code, expires_at = codes.live_code(activity)
    caption = [activity.title, f"{expires_at.astimezone(zone()):%H:%M:%S} 前有效"]
    # The screen's page shows the short code from this header beside the image, so both change together.
    return Response(qr.svg(codes.checkin_url(code), caption), mimetype="image/svg+xml",
                    headers={"Cache-Control": "no-store", "X-Short-Code": codes.live_short_code(activity)})


@blp.route("/<id:activity_id>/checkins", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("activity_id", "activity", visible_activity)
@blp.arguments(MemberCheckinArgsSchema(), example={"card": "14550008"})
@blp.response(201, CheckinSchema)
def check_in_by_card(args, activity):
    """Check in a volunteer by their member card (scanned, or its number typed) or by `member_id` (chosen by
    name or phone): for volunteers without a smartphone."""
    return card_check_in(db.writer(), current_principal(), activity_id=activity.id,
                         card=args.get("card", args.get("member_code")), member_id=args.get("member_id"), now=now())


@blp.route("/<id:activity_id>/checkins", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(PageArgsSchema(), location="query")
@blp.response(200, page_schema(CheckinSchema))
def checkins(args, activity_id):
    """Who has checked in to an activity."""
    session = db.session()
    activity = visible_activity(session, current_principal(), activity_id)
    return keyset_page(find_checkins, session, args, activity_id=activity.id)


def _caption(activity: Activity) -> list[str]:
    starts, ends = activity.starts_at.astimezone(zone()), activity.ends_at.astimezone(zone())
    until = f"{ends:%H:%M}" if starts.date() == ends.date() else f"{ends:%m-%d %H:%M}"
    return [activity.title, f"{starts:%Y-%m-%d %H:%M}–{until}", "微信或手机相机扫码签到"]

