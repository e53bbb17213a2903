"""The catalogue (积分超市的货架): goods at the workstation, property-fee deductions, partner services."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.communities import get_community
from points.db import Base, UTCDateTime, fetch, keyset
from points.errors import Invalid
from points.periods import PERIODS

from .kinds import CODES, KINDS
from .partners import get_partner, partner_serves, station_of


class Reward(Base):
    __tablename__ = "rewards"
    __table_args__ = (
        CheckConstraint(f"kind IN {CODES!r}", name="kind"),
        CheckConstraint("cost > 0", name="cost_positive"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
        CheckConstraint("per_member_limit IS NULL OR per_member_limit > 0", name="limit_positive"),
        CheckConstraint("kind <> 'fee_deduction' OR (fen_per_point IS NOT NULL AND partner_id IS NOT NULL)",
                        name="fee_deduction_terms"),
        CheckConstraint("kind <> 'service' OR partner_id IS NOT NULL", name="service_partner"),
        Index("ix_rewards_community_kind", "community_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    # Null only in rows older than the workstation partner (migration 0003 gave those theirs).
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    cost: Mapped[int] = mapped_column()
    stock: Mapped[int | None] = mapped_column()
    per_member_limit: Mapped[int | None] = mapped_column()
    period: Mapped[str] = mapped_column(String(8), default="month")
    fen_per_point: Mapped[int | None] = mapped_column()
    # Fee deductions: at most this many fen per household (room) per month or year, all members together.
    household_cap_fen: Mapped[int | None] = mapped_column()
    household_cap_period: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def stock_reward(session: Session, *, community_id: int, name: str, kind: str, cost: int, now: datetime,
                 partner_id: int | None = None, stock: int | None = None, per_member_limit: int | None = None,
                 period: str = "month", fen_per_point: int | None = None, household_cap_fen: int | None = None,
                 household_cap_period: str | None = None) -> Reward:
    """Put a reward on the shelf of a community; goods without a partner are the workstation's."""
    community = get_community(session, community_id)
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind")
    terms = KINDS[kind]
    if period not in PERIODS:
        raise Invalid(f"period must be one of {', '.join(PERIODS)}", field="period")
    if terms.needs_partner and partner_id is None:
        raise Invalid(f"a {kind} reward names the partner who provides it", field="partner_id")
    if terms.uses_fen_per_point and fen_per_point is None:
        raise Invalid(f"a {kind} reward needs fen_per_point (100 = 1 point is 1 yuan)", field="fen_per_point")
    if household_cap_fen is not None:
        if not terms.household_cap:
            raise Invalid(f"a {kind} reward has no household cap", field="household_cap_fen")
        if household_cap_period not in ("month", "year"):
            raise Invalid("a household cap is per month or per year", field="household_cap_period")
    else:
        household_cap_period = None
    if terms.fulfilled_by == "station" and partner_id is None:
        partner_id = station_of(session, community, now=now).id
    else:
        get_partner(session, partner_id)
        if not partner_serves(session, partner_id, community_id):
            raise Invalid("that partner does not serve this community", field="partner_id")
    reward = Reward(community_id=community_id, partner_id=partner_id, name=name, kind=kind, cost=cost, stock=stock,
                    per_member_limit=per_member_limit, period=period, fen_per_point=fen_per_point,
                    household_cap_fen=household_cap_fen, household_cap_period=household_cap_period, active=True,
                    created_at=now)
    session.add(reward)
    session.flush()
    return reward


def get_reward(session: Session, reward_id: int) -> Reward:
    return fetch(session, Reward, reward_id, "reward")


def change_reward(session: Session, reward: Reward, *, stock: int | None = None, active: bool | None = None,
                  cost: int | None = None, clear_stock: bool = False) -> Reward:
    """Restock, price or shelve a reward. Vouchers already issued keep the cost they were issued at."""
    if stock is not None or clear_stock:
        reward.stock = stock
    if active is not None:
        reward.active = active
    if cost is not None:
        reward.cost = cost
    session.flush()
    return reward


def find_rewards(session: Session, *, community_id: int | None = None, kind: str | None = None,
                 partner_id: int | None = None, active_only: bool = False, cursor: int | None = None,
                 limit: int = 50) -> list[Reward]:
    query = keyset(select(Reward), Reward.id, cursor=cursor, limit=limit)
    for column, value in ((Reward.community_id, community_id), (Reward.kind, kind), (Reward.partner_id, partner_id)):
        if value is not None:
            query = query.where(column == value)
    if active_only:
        query = query.where(Reward.active.is_(True))
    return list(session.scalars(query))
