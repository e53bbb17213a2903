"""The catalogue of the points supermarket (积分超市)."""
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from points.errors import Invalid, NotFound
from points.periods import PERIODS
from rewards.catalogue import KINDS, Reward, change_reward, find_rewards, get_reward, stock_reward
from rewards.households import CAP_PERIODS
from rewards.partners import partner_serves

from .. import db
from ..access import community_in_scope, found
from ..authentication import authorize, current_principal
from ..clock import now
from ..fields import Id, LocalDateTime, Name, Points, QueryId
from ..pagination import PageArgsSchema, page, page_schema

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
    kind = fields.String(required=True)
    cost = fields.Integer(required=True)
    community_id = fields.Integer(required=True)
    partner_id = fields.Integer(allow_none=True)
    stock = fields.Integer(allow_none=True)
    per_member_limit = fields.Integer(allow_none=True)
    period = fields.String()
    fen_per_point = fields.Integer(allow_none=True)
    household_cap_fen = fields.Integer(allow_none=True)
    household_cap_period = fields.String(allow_none=True)
    active = fields.Boolean(required=True)
    created_at = LocalDateTime()


def visible_reward(session, reward_id: int) -> Reward:
    reward = get_reward(session, reward_id)
    principal = current_principal()
    if principal.role == "admin" or reward.community_id == principal.community_id or (
            principal.role == "partner" and reward.partner_id == principal.partner_id):
        return reward
    raise NotFound(f"reward {reward_id} not found")


@blp.route("", methods=["POST"])
@authorize("admin", "organiser")
@blp.arguments(RewardArgsSchema())
@blp.response(201, RewardSchema)
def create_reward(args):
    """Put a reward on the shelf: goods (with stock), a property-fee deduction, or a partner's service."""
    args["community_id"] = community_in_scope(args["community_id"])
    return stock_reward(db.writer(), now=now(), **args)


@blp.route("", methods=["GET"])
@authorize("admin", "organiser", "volunteer", "partner")
@blp.arguments(RewardQueryArgsSchema(), location="query")
@blp.response(200, page_schema(RewardSchema))
def rewards(args):
    """The catalogue (volunteers see what is on offer now; partners, their own rewards)."""
    principal = current_principal()
    session = db.session()
    if principal.role == "partner":
        community_id = args.get("community_id")
        if community_id is not None and not partner_serves(session, principal.partner_id, community_id):
            raise Invalid("that partner does not serve this community", field="community_id")
        filters = {"partner_id": principal.partner_id, "community_id": community_id}
    else:
        filters = {"community_id": community_in_scope(args.get("community_id"))}
    rows = find_rewards(session, kind=args.get("kind"), active_only=principal.role == "volunteer",
                        after_id=args["cursor"], limit=args["limit"] + 1, **filters)
    return page(rows, args["limit"])


@blp.route("/<id:reward_id>", methods=["GET"])
@authorize("admin", "organiser", "volunteer", "partner")
@blp.response(200, RewardSchema)
def reward(reward_id):
    """One reward."""
    return visible_reward(db.session(), reward_id)


@blp.route("/<id:reward_id>", methods=["PATCH"])
@authorize("admin", "organiser")
@found("reward_id", "subject", visible_reward)
@blp.arguments(RewardChangeArgsSchema())
@blp.response(200, RewardSchema)
def change(args, subject):
    """Restock, reprice or shelve a reward; vouchers already issued keep their price."""
    return change_reward(db.writer(), subject, stock=args.get("stock"), active=args.get("active"),
                         cost=args.get("cost"), clear_stock="stock" in args and args["stock"] is None)
