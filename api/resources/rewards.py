"""The catalogue of the points supermarket (积分超市)."""
from marshmallow import Schema, fields, validate

from points.periods import PERIODS
from rewards.catalogue import find_rewards
from rewards.kinds import CODES

from ..acts import catalogue
from ..acts.catalogue import RewardArgsSchema, RewardChangeArgsSchema
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime, QueryId
from ..http.pagination import PageArgsSchema, keyset_page, page_schema
from ..http.smorest import Blueprint, found
from ..identity.access import reward_filters, visible_reward
from ..identity.authentication import current_principal

blp = Blueprint("rewards", __name__, url_prefix="/api/v1/rewards", description="Points supermarket")


class RewardQueryArgsSchema(PageArgsSchema):
    community_id = QueryId()
    kind = fields.String(validate=validate.OneOf(CODES))


class RewardSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CODES))
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
    return catalogue.stock(db.writer(), current_principal(), now=now(), **args)


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
    return catalogue.change(db.writer(), current_principal(), reward_id=subject.id, stock=args.get("stock"),
                            active=args.get("active"), cost=args.get("cost"),
                            clear_stock="stock" in args and args["stock"] is None, now=now())
