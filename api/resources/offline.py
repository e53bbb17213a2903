"""Offline card check-in (离线签到): the scans an organiser's phone kept with no signal, uploaded later."""
from marshmallow import Schema, fields, validate

from points.offline import ANSWERS

from ..acts.offline import OfflineArgsSchema, check_in_offline, scans_of
from ..http import db
from ..http.clock import now
from ..http.smorest import Blueprint, found
from ..identity.access import visible_activity
from ..identity.authentication import current_principal

blp = Blueprint("offline", __name__, url_prefix="/api/v1/activities", description="Activities and QR check-in")


class AnswerSchema(Schema):
    nonce = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ANSWERS))
    code = fields.String(metadata={"description": (
        "why: already_checked_in (a duplicate), or the refusal's code (invalid_code: not a card; not_found: "
        "no such member here; activity_not_open: outside the window plus grace, or uploaded over 72 hours "
        "after the end; validation_error: dated ahead of the server's clock)")})


class OfflineAnswersSchema(Schema):
    results = fields.List(fields.Nested(AnswerSchema), required=True)


@blp.route("/<id:activity_id>/checkins/offline", methods=["POST"])
@blp.allow("admin", "organiser")
@found("activity_id", "activity", visible_activity)
@blp.arguments(OfflineArgsSchema(), example={"device": "罗塘-手机1", "scans": [
    {"card": "https://benniu.example/m/Ab3dEf", "at": "2026-11-28T19:42:10+08:00", "nonce": "k3J9x2LmQp0aZ7"}]})
@blp.response(200, OfflineAnswersSchema)
def check_in_offline_scans(args, activity):
    """Upload member-card scans made with no signal: each nonce counts once, each member once per activity."""
    answers = check_in_offline(db.writer(), current_principal(), activity_id=activity.id, device=args["device"],
                               scans=scans_of(args), now=now())
    return {"results": [{"nonce": answer.nonce, "status": answer.status,
                         **({"code": answer.code} if answer.code else {})} for answer in answers]}
