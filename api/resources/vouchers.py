"""Vouchers at the counter (核销): see what a voucher is for before fulfilling it."""
from marshmallow import Schema, fields

from rewards.vouchers import display

from ..acts.counter import look_up
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime
from ..http.limits import voucher_limits
from ..http.smorest import Blueprint
from ..identity.authentication import current_principal
from .redemptions import RedemptionSchema

blp = Blueprint("vouchers", __name__, url_prefix="/api/v1/vouchers", description="Points supermarket")


class RefusalSchema(Schema):
    code = fields.String(required=True, metadata={"description": "the contract's code fulfilling it would get"})
    message = fields.String(required=True)


class CounterVoucherSchema(Schema):
    voucher_code = fields.Function(lambda seen: seen.redemption.voucher_code, required=True)
    voucher_display = fields.Function(lambda seen: display(seen.redemption.voucher_code))
    redemption = fields.Nested(RedemptionSchema, required=True)
    provider = fields.Function(lambda seen: seen.provider.name if seen.provider else None,
                               metadata={"description": "the partner (or workstation) that hands it over"})
    member_name = fields.String(required=True, metadata={"description": "masked: 陈*龙"})
    member_phone = fields.String(required=True, metadata={"description": "masked: 138****0001"})
    can_fulfil = fields.Function(lambda seen: seen.refusal is None, required=True)
    refusal = fields.Nested(RefusalSchema, allow_none=True,
                            metadata={"description": "why it cannot be fulfilled now (null when it can)"})
    receipt_no = fields.Integer(allow_none=True)
    fulfilled_at = LocalDateTime(attribute="redemption.fulfilled_at", allow_none=True)


@blp.route("/<code>", methods=["GET"])
@blp.allow("partner", "organiser", "admin")
@voucher_limits
@blp.response(200, CounterVoucherSchema)
def voucher(code):
    """A typed or scanned voucher as the counter sees it, before anything happens (nothing changes)."""
    return look_up(db.session(), current_principal(), code, now=now())
