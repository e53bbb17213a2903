"""The catalogue of the points supermarket (积分超市)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from points.periods import PERIODS
from rewards.catalogue import KINDS, change_reward, find_rewards, stock_reward
from rewards.households import CAP_PERIODS

from ..http import db
from ..http.clock import now
from ..http.fields import Id, LocalDateTime, Name, Points, QueryId
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import community_for, reward_filters, visible_reward
from ..identity.authentication import current_principal

blp = Blueprint("rewards", __name__, url_prefix="/api/v1/rewards", description="Points supermarket")


class RewardArgsSchema(Schema):
    name = Name(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    cost = Points(required=True, metadata={"description": "points per unit (fee deductions: the smallest step)"})
    community_id = Id(required=True)
    stock = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=10_000_000))
    partner_id = Id(allow_none=True)
    per_member_limit = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=10_000))
    period = fields.String(load_default="month", validate=validate.OneOf(PERIODS))
    fen_per_point = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=100_000),
                          metadata={"description": "fen of property fee per point: 100 means 1 point = 1 yuan"})
    household_cap_fen = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=100_000_000),
                                       metadata={"description": "fee deductions: at most this many fen per "
                                                                "household per period, all its members together"})
    household_cap_period = fields.String(allow_none=True, validate=validate.OneOf(CAP_PERIODS))


class RewardChangeArgsSchema(Schema):
    stock = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=10_000_000))
    active = fields.Boolean()
    cost = Points()

    @validates_schema
    def something_changes(self, data, **kwargs):
        if not data:
            raise ValidationError("give stock, active or cost")


class RewardQueryArgsSchema(PageArgsSchema):
    community_id = QueryId()
    kind = fields.String(validate=validate.OneOf(KINDS))


class RewardSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    cost = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    partner_id = fields.Integer(allow_none=True)
    stock = fields.Integer(allow_none=True)
    per_member_limit = fields.Integer(allow_none=True)
    period = fields.String(validate=validate.OneOf(PERIODS))
    fen_per_point = fields.Integer(allow_none=True)
    household_cap_fen = fields.Integer(allow_none=True)
    household_cap_period = fields.String(allow_none=True)
    active = fields.Boolean(required=True)
    created_at = LocalDateTime()


@blp.route("", methods=["POST"])
@blp.allow("admin", "organiser")
@blp.arguments(RewardArgsSchema(), example={
    "name": "理发一次", "kind": "service", "cost": 200, "community_id": 1, "partner_id": 1, "per_member_limit": 1,
    "period": "month"})
@blp.response(201, RewardSchema)
def create_reward(args):
    """Put a reward on the shelf: goods (with stock), a property-fee deduction, or a partner's service."""
    args["community_id"] = community_for(current_principal(), args["community_id"])
    return stock_reward(db.writer(), now=now(), **args)


@blp.route("", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer", "partner")
@blp.arguments(RewardQueryArgsSchema(), location="query")
@blp.response(200, page_schema(RewardSchema))
def rewards(args):
    """The catalogue (volunteers see what is on offer now; partners, their own rewards)."""
    session = db.session()
    filters = reward_filters(session, current_principal(), args.get("community_id"))
    return keyset_page(find_rewards, session, args, kind=args.get("kind"), **filters)


@blp.route("/<id:reward_id>", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer", "partner")
@blp.response(200, RewardSchema)
def reward(reward_id):
    """One reward."""
    return visible_reward(db.session(), current_principal(), reward_id)


@blp.route("/<id:reward_id>", methods=["PATCH"])
@blp.allow("admin", "organiser")
@found("reward_id", "subject", visible_reward)
@blp.arguments(RewardChangeArgsSchema())
@blp.response(200, RewardSchema)
def change(args, subject):
    """Restock, reprice or shelve a reward; vouchers already issued keep their price."""
    return change_reward(db.writer(), subject, stock=args.get("stock"), active=args.get("active"),
                         cost=args.get("cost"), clear_stock="stock" in args and args["stock"] is None)
