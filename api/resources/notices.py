"""Public notice (公示): awards posted before they count, and their withdrawal on an upheld objection."""
from marshmallow import Schema, fields, validate

from points.notices import on_notice

from ..acts import awards
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime
from ..http.idempotency import idempotent
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import visible_notice
from ..identity.authentication import current_principal

blp = Blueprint("notices", __name__, url_prefix="/api/v1/notices", description="Public notice")


class NoticeQueryArgsSchema(PageArgsSchema):
    community_id = Id(strict=False, required=True)


class PostingSchema(Schema):
    entry_id = fields.Integer(required=True, metadata={"description": "the notice; withdraw it by this id"})
    name = fields.String(required=True, metadata={"description": "masked: 陈*龙"})
    team = fields.String(allow_none=True)
    rule_code = fields.String(required=True)
    rule_name = fields.String()
    points = fields.Integer(required=True)
    at = LocalDateTime(required=True)
    final_at = LocalDateTime(required=True, metadata={"description": "when the points become spendable"})


class WithdrawArgsSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class WithdrawalSchema(Schema):
    entry_id = fields.Integer(required=True)
    status = fields.String(required=True)
    transfer_id = fields.Integer(required=True, metadata={"description": "the reversing transfer"})
    points = fields.Integer(required=True)


@blp.route("", methods=["GET"])
@blp.public
@blp.arguments(NoticeQueryArgsSchema(), location="query")
@blp.response(200, page_schema(PostingSchema))
def notices(args):
    """What a community has on public notice now (no sign-in; names masked, never a tip's text)."""
    return keyset_page(on_notice, db.session(), args, key=lambda posting: posting.entry_id,
                       community_id=args["community_id"], now=now())


@blp.route("/<id:notice_id>/withdraw", methods=["POST"])
@blp.allow("admin", "organiser")
@idempotent
@found("notice_id", "notice", visible_notice)
@blp.arguments(WithdrawArgsSchema())
@blp.response(200, WithdrawalSchema)
def withdraw_notice(args, notice):
    """Withdraw an award during its notice (an objection upheld): its points go back, once."""
    record = awards.withdraw_notice(db.writer(), current_principal(), notice_id=notice.id, reason=args["reason"], now=now())
    return {"entry_id": notice.id, "status": "withdrawn", "transfer_id": record.id, "points": record.amount}
