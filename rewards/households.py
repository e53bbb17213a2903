"""Household caps on fee deductions (每户抵扣上限): the yuan a household (room) may have taken off
its property fee per month or year, across every member who lives there.

Each (reward, household, period) has one usage row. A redemption takes its amount from the row
by a conditional UPDATE (`used + amount <= cap`), which is also the lock: two family members
redeeming at once for one room queue on that row, and the second sees the first's amount.
Cancellation and expiry give the amount back to the same row.
"""
import unicodedata
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, bindparam, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.db import Base, UTCDateTime, insert_unless_taken
from points.errors import LimitReached
from points.periods import period_start

from .catalogue import Reward

CAP_PERIODS = ("month", "year")
PERIOD_NAMES = {"month": "本月", "year": "本年"}


class HouseholdUsage(Base):
    __tablename__ = "household_usage"
    __table_args__ = (
        UniqueConstraint("reward_id", "household", "period_start"),
        CheckConstraint("used_fen >= 0", name="used_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    household: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    used_fen: Mapped[int] = mapped_column()


def household_key(household: str) -> str:
    """`3栋 2单元 502`, `３栋2单元502` and `3栋2单元502` are one room: NFKC, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", household).split()).upper()


def take_allowance(session: Session, *, reward: Reward, household: str, amount_fen: int,
                   now: datetime) -> int | None:
    """Count `amount_fen` against the household's cap for this period, or refuse with limit_reached.

    Returns the usage row's id (to give the amount back on cancellation), or None when the
    reward has no cap.
    """
    if reward.household_cap_fen is None:
        return None
    key = {"reward": reward.id, "room": household_key(household),
           "start": period_start(now, reward.household_cap_period)}
    insert_unless_taken(session, _usage, {"reward_id": key["reward"], "household": key["room"],
                                          "period_start": key["start"], "used_fen": 0},
                        unique=["reward_id", "household", "period_start"])
    usage_id = session.connection().execute(_TAKE, {**key, "amount": amount_fen, "cap": reward.household_cap_fen}
                                            ).scalar()
    if usage_id is None:
        used = session.scalar(select(HouseholdUsage.used_fen).where(
            HouseholdUsage.reward_id == key["reward"], HouseholdUsage.household == key["room"],
            HouseholdUsage.period_start == key["start"]))
        raise LimitReached(
            f"{household} {PERIOD_NAMES[reward.household_cap_period]}物业费抵扣上限 "
            f"{reward.household_cap_fen / 100:.2f} 元，已用 {used / 100:.2f} 元", kind="household_cap",
            limit=reward.household_cap_fen, period=reward.household_cap_period,
            left=max(reward.household_cap_fen - (used or 0), 0))
    return usage_id


def give_back_allowance(session: Session, *, usage_id: int | None, amount_fen: int | None) -> None:
    """Return a cancelled or expired deduction's amount to the household's period."""
    if usage_id is not None and amount_fen:
        session.connection().execute(_GIVE_BACK, {"usage": usage_id, "amount": amount_fen})


_usage = HouseholdUsage.__table__
_TAKE = (update(_usage)
         .where(_usage.c.reward_id == bindparam("reward"), _usage.c.household == bindparam("room"),
                _usage.c.period_start == bindparam("start"),
                _usage.c.used_fen + bindparam("amount") <= bindparam("cap"))
         .values(used_fen=_usage.c.used_fen + bindparam("amount"))
         .returning(_usage.c.id))
_GIVE_BACK = (update(_usage).where(_usage.c.id == bindparam("usage"))
              .values(used_fen=_usage.c.used_fen - bindparam("amount")))
