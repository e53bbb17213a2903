"""Check-ins (签到): a volunteer scans an activity's code; per-hour activities also check out."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from points.activities import get_activity
from points.checkins import Checkin, check_in, check_out, get_checkin
from points.errors import NotFound
from points.members import get_member

from .. import codes, db, events
from ..access import found
from ..authentication import authorize, current_principal
from ..clock import now
from ..fields import LocalDateTime
from ..idempotency import idempotent
from ..limits import checkin_limit

blp = Blueprint("checkins", __name__, url_prefix="/api/v1/checkins", description="Activities and QR check-in")


class CheckinArgsSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=500),
                         metadata={"description": "the signed code from a printed or live QR, or the whole URL"})
    lat = fields.Float(validate=validate.Range(min=-90, max=90), allow_none=True)
    lng = fields.Float(validate=validate.Range(min=-180, max=180), allow_none=True)


class CheckinSchema(Schema):
    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    member_id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "awarded, open (per_hour) or pending_review"})
    points = fields.Integer(required=True)
    transfer_id = fields.Integer(allow_none=True)
    claim_id = fields.Integer(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    method = fields.String()
    checked_in_at = LocalDateTime()
    checked_out_at = LocalDateTime(allow_none=True)


class CheckoutArgsSchema(Schema):
    pass


def visible_checkin(session, checkin_id: int) -> Checkin:
    checkin = get_checkin(session, checkin_id)
    principal = current_principal()
    if principal.role == "volunteer" and checkin.member_id == principal.member_id:
        return checkin
    if principal.role == "admin" or (principal.role == "organiser" and
                                     get_activity(session, checkin.activity_id).community_id == principal.community_id):
        return checkin
    raise NotFound(f"check-in {checkin_id} not found")


@blp.route("", methods=["POST"])
@checkin_limit()
@authorize("volunteer")
@idempotent
@blp.arguments(CheckinArgsSchema())
@blp.response(201, CheckinSchema)
def create_checkin(args):
    """Check in with a scanned code (printed or live); per-event points are awarded at once."""
    session = db.session()
    code = codes.read(args["code"], "activity", "live")
    activity = get_activity(session, code.subject_id)
    member = get_member(session, current_principal().member_id)
    return events.checked_in(check_in(db.writer(), activity=activity, member=member, now=now(), grace=codes.grace(),
                                      method="printed" if code.purpose == "activity" else "live",
                                      lat=args.get("lat"), lng=args.get("lng")))


@blp.route("/<id:checkin_id>", methods=["GET"])
@authorize("admin", "organiser", "volunteer")
@blp.response(200, CheckinSchema)
def checkin(checkin_id):
    """One check-in."""
    return visible_checkin(db.session(), checkin_id)


@blp.route("/<id:checkin_id>/checkout", methods=["POST"])
@authorize("admin", "organiser", "volunteer")
@idempotent
@found("checkin_id", "checkin", visible_checkin)
@blp.arguments(CheckoutArgsSchema())
@blp.response(200, CheckinSchema)
def checkout(args, checkin):
    """Check out of a per-hour activity: full hours served earn the rule's points per hour."""
    return events.checked_out(check_out(db.writer(), checkin=checkin, now=now()))
