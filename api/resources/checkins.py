"""Check-ins (签到): a volunteer scans an activity's code; per-hour activities also check out."""
from marshmallow import Schema, fields, validate

from points.activities import CHECKIN_METHODS
from points.checkins import CAPS, STATUSES

from ..acts.checkins import check_in_by_code, check_out_now
from ..acts.corrections import undo_check_out
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime
from ..http.idempotency import idempotent
from ..http.limits import checkin_limit, code_guess_limits
from ..http.smorest import Blueprint, found
from ..identity.access import visible_checkin
from ..identity.authentication import current_principal

blp = Blueprint("checkins", __name__, url_prefix="/api/v1/checkins", description="Activities and QR check-in")


class CheckinArgsSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=500),
                         metadata={"description": "the signed code from a printed or live QR, the whole URL, or the "
                                               "6-character short code under the poster's QR or beside the "
                                               "screen's (case and spaces ignored)"})
    lat = fields.Float(validate=validate.Range(min=-90, max=90), allow_none=True)
    lng = fields.Float(validate=validate.Range(min=-180, max=180), allow_none=True)


class CheckinSchema(Schema):
    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    member_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES),
                           metadata={"description": "awarded, open (per_hour) or pending_review"})
    points = fields.Integer(required=True)
    capped = fields.String(allow_none=True, validate=validate.OneOf(CAPS), metadata={
        "description": "`daily_cap`: the member had reached today's points cap, so fewer points (or none) were "
                       "paid; the check-in counts for attendance and hours all the same"})
    transfer_id = fields.Integer(allow_none=True)
    claim_id = fields.Integer(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    method = fields.String(validate=validate.OneOf(CHECKIN_METHODS))
    checked_in_at = LocalDateTime()
    checked_out_at = LocalDateTime(allow_none=True)


class CheckoutArgsSchema(Schema):
    pass


@blp.route("", methods=["POST"])
@blp.allow("volunteer")
@checkin_limit()
@code_guess_limits
@idempotent
@blp.arguments(CheckinArgsSchema(), example=(
    {"code": "https://benniu.example/c/Ab3dEf", "lat": 22.5431, "lng": 114.0579}))
@blp.response(201, CheckinSchema)
def create_checkin(args):
    """Check in with a scanned code (printed or live); per-event points are awarded at once."""
    return check_in_by_code(db.writer(), current_principal(), code=args["code"], lat=args.get("lat"),
                            lng=args.get("lng"), now=now())


@blp.route("/<id:checkin_id>", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.response(200, CheckinSchema)
def checkin(checkin_id):
    """One check-in."""
    return visible_checkin(db.session(), current_principal(), checkin_id)


@blp.route("/<id:checkin_id>/checkout", methods=["POST"])
@blp.allow("admin", "organiser", "volunteer")
@idempotent
@found("checkin_id", "checkin", visible_checkin)
@blp.arguments(CheckoutArgsSchema())
@blp.response(200, CheckinSchema)
def checkout(args, checkin):
    """Check out of a per-hour activity: full hours served earn the rule's points per hour."""
    return check_out_now(db.writer(), current_principal(), checkin_id=checkin.id, now=now())


@blp.route("/<id:checkin_id>/undo-checkout", methods=["POST"])
@blp.allow("admin", "organiser", "volunteer")
@idempotent
@found("checkin_id", "checkin", visible_checkin)
@blp.response(200, CheckinSchema)
def undo_checkout(checkin):
    """Undo a check-out: the hours' points are reversed and the check-in is open again (the
    volunteer within 10 minutes of checking out, an organiser until the activity ends)."""
    return undo_check_out(db.writer(), current_principal(), checkin_id=checkin.id, now=now())
