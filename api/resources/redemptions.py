"""Redemptions (兑换) and vouchers: reserve with points, fulfil at the counter, or cancel."""
from marshmallow import Schema, fields, validate

from rewards.kinds import CODES as REWARD_KINDS
from rewards.redemptions import STATUSES, Order, find_redemptions
from rewards.vouchers import display

from .. import codes
from ..acts.counter import look_up
from ..acts.redemptions import cancel_voucher, fulfil_voucher, redeem_points
from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime, Points, QueryId
from ..http.idempotency import idempotent
from ..http.images import image_routes, qr_image
from ..http.limits import voucher_limits
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import redemption_filters, visible_redemption
from ..identity.authentication import current_principal

blp = Blueprint("redemptions", __name__, url_prefix="/api/v1/redemptions", description="Points supermarket")


class RedemptionArgsSchema(Schema):
    reward_id = Id(required=True)
    quantity = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=100))
    member_id = Id(metadata={"description": "for whom (organisers at the counter); volunteers redeem for themselves"})
    household = fields.String(validate=validate.Length(min=1, max=100),
                              metadata={"description": "fee deductions: building, unit and room, e.g. 3栋2单元502"})
    points = Points(metadata={"description": "fee deductions: how many points to convert (a multiple of cost)"})


class FulfilArgsSchema(Schema):
    voucher_code = fields.String(required=True, validate=validate.Length(min=1, max=300),
                                 metadata={"description": "typed (ABCD-EFGH) or scanned from the voucher QR"})


class CancelArgsSchema(Schema):
    pass


class RedemptionQueryArgsSchema(PageArgsSchema):
    member_id = QueryId()
    partner_id = QueryId()
    status = fields.String(validate=validate.OneOf(STATUSES))


class RedemptionSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    voucher_code = fields.String(required=True)
    voucher_display = fields.Function(lambda r: display(r.voucher_code))
    points = fields.Integer(required=True)
    expires_at = LocalDateTime(required=True)
    member_id = fields.Integer()
    reward_id = fields.Integer()
    reward_name = fields.String()
    kind = fields.String(validate=validate.OneOf(REWARD_KINDS))
    partner_id = fields.Integer(allow_none=True)
    quantity = fields.Integer()
    amount_fen = fields.Integer(allow_none=True)
    household = fields.String(allow_none=True)
    created_at = LocalDateTime()
    fulfilled_at = LocalDateTime(allow_none=True)
    fulfilled_by = fields.String(allow_none=True)
    receipt_no = fields.Integer(attribute="settle_transfer_id", allow_none=True,
                                metadata={"description": "the ledger transfer of the spend, for the partner's books"})


@blp.route("", methods=["POST"])
@blp.allow("volunteer", "organiser", "admin")
@idempotent
@blp.arguments(RedemptionArgsSchema(), example={"reward_id": 1, "quantity": 1})
@blp.response(201, RedemptionSchema)
def create_redemption(args):
    """Redeem points for a reward: the points are held, the stock taken, and a voucher issued."""
    order = Order(quantity=args["quantity"], points=args.get("points"), household=args.get("household"))
    return redeem_points(db.writer(), current_principal(), reward_id=args["reward_id"], order=order,
                  member_id=args.get("member_id"), now=now())


@blp.route("", methods=["GET"])
@blp.allow("volunteer", "organiser", "admin", "partner")
@blp.arguments(RedemptionQueryArgsSchema(), location="query")
@blp.response(200, page_schema(RedemptionSchema))
def redemptions(args):
    """Redemptions, newest first (a volunteer's own; a partner's vouchers; a community's)."""
    filters = redemption_filters(current_principal(), member_id=args.get("member_id"),
                                 partner_id=args.get("partner_id"))
    return keyset_page(find_redemptions, db.session(), args, status=args.get("status"), **filters)


@blp.route("/<id:redemption_id>", methods=["GET"])
@blp.allow("volunteer", "organiser", "admin", "partner")
@blp.response(200, RedemptionSchema)
def redemption(redemption_id):
    """One redemption and its voucher."""
    return visible_redemption(db.session(), current_principal(), redemption_id)


@image_routes(blp, "/<id:redemption_id>/voucher", "volunteer", "organiser", "admin", "partner")
def voucher(fmt, redemption_id):
    """The voucher's QR, for the clerk to scan from the volunteer's phone; its code is printed beneath."""
    subject = visible_redemption(db.session(), current_principal(), redemption_id)
    caption = [subject.reward_name, f"券码 {display(subject.voucher_code)}"]
    return qr_image(codes.public_url(f"/v/{subject.voucher_code}"), caption, fmt,
                    f"voucher-{display(subject.voucher_code)}")


@blp.route("/fulfil", methods=["POST"])
@blp.allow("partner", "organiser", "admin")
@voucher_limits
@idempotent
@blp.arguments(FulfilArgsSchema(), example={"voucher_code": "2MEW-FHQ2"})
@blp.response(200, RedemptionSchema)
def fulfil_at_counter(args):
    """Fulfil a voucher at the counter (scanned or typed): the held points are spent, once."""
    principal, at = current_principal(), now()
    voucher = look_up(db.session(), principal, args["voucher_code"], now=at)  # before the write lock
    return fulfil_voucher(db.writer(), principal, voucher=voucher, now=at)


@blp.route("/<id:redemption_id>/cancel", methods=["POST"])
@blp.allow("volunteer", "organiser", "admin")
@idempotent
@found("redemption_id", "subject", visible_redemption)
@blp.arguments(CancelArgsSchema())
@blp.response(200, RedemptionSchema)
def cancel_redemption(args, subject):
    """Cancel an unfulfilled voucher: the points are released and the stock returned."""
    return cancel_voucher(db.writer(), current_principal(), redemption_id=subject.id, now=now())

