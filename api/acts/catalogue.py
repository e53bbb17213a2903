"""The catalogue of the points supermarket (积分超市): an organiser stocks a reward of one kind and
restocks, reprices or shelves it.

`RewardArgsSchema` and `RewardChangeArgsSchema` are what these acts take, as a JSON body or the
console's forms carry them: both doors check the shape with them before they act.
"""
from datetime import datetime

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.orm import Session

from points.audit import Party
from points.periods import PERIODS
from rewards.catalogue import Reward, change_reward, stock_reward
from rewards.households import CAP_PERIODS
from rewards.kinds import CODES
from rewards.partner_changes import ensure_serving
from rewards.partners import get_partner

from ..http.fields import Id, Name, Points
from ..identity.access import community_for, visible_reward
from ..identity.principal import Principal
from .events import announce


class RewardArgsSchema(Schema):
    name = Name(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(CODES))
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


def reward_party(reward: Reward) -> Party:
    return Party("reward", reward.id, reward.name)


def stock(session: Session, actor: Principal, *, community_id: int, now: datetime, **terms) -> Reward:
    """Put a reward on the shelf of a community the actor may act in: goods (with stock), a
    property-fee deduction or a partner's service, on the terms of `RewardArgsSchema`."""
    if terms.get("partner_id") is not None:  # a retired partner takes no new rewards
        ensure_serving(get_partner(session, terms["partner_id"]))
    reward = stock_reward(session, community_id=community_for(actor, community_id), now=now, **terms)
    announce(session, actor, "reward_stocked", at=now, community_id=reward.community_id, subject=reward_party(reward),
             reward_id=reward.id, kind=reward.kind, cost=reward.cost, stock=reward.stock, partner_id=reward.partner_id)
    return reward


def change(session: Session, actor: Principal, *, reward_id: int, now: datetime, stock: int | None = None,
           active: bool | None = None, cost: int | None = None, clear_stock: bool = False) -> Reward:
    """Restock, reprice or shelve a reward the actor may see; vouchers already issued keep their price."""
    reward = visible_reward(session, actor, reward_id)
    if active and reward.partner_id is not None:  # a retired partner's rewards stay off the shelf
        ensure_serving(get_partner(session, reward.partner_id))
    before = {"stock": reward.stock, "active": reward.active, "cost": reward.cost}
    change_reward(session, reward, stock=stock, active=active, cost=cost, clear_stock=clear_stock)
    after = {"stock": reward.stock, "active": reward.active, "cost": reward.cost}
    announce(session, actor, "reward_changed", at=now, community_id=reward.community_id, subject=reward_party(reward),
             reward_id=reward.id, **{name: [before[name], value] for name, value in after.items()
                                     if value != before[name]})
    return reward
