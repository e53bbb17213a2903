"""Redemptions (兑换): points are held when a voucher is issued, spent when it is fulfilled,
and released when it is cancelled or expires — each of those exactly once.

Lock order, the same on every path so that PostgreSQL never deadlocks: the redemption
row, then the reward row (only a reward with a stock), then the household's cap row, then the
accounts (in id order, inside `transfer`). A fulfilment adds to its tallies before its accounts.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, bindparam, func, select, update
from sqlalchemy.orm import Mapped, Session, make_transient_to_detached, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from points.db import Base, UTCDateTime, execute, fetch, insert_unless_taken, keyset
from points.due import lock_and_settle
from points.errors import AlreadyCancelled, AlreadyDone, AlreadyFulfilled, DomainError, Invalid, LimitReached, NotFound
from points.ledger import transfer
from points.lots import put_back, take_from_lots
from points.members import Member
from points.periods import period_start
from points.tallies import spending, tally

from .catalogue import Reward
from .households import give_back_allowance, take_allowance
from .kinds import KINDS
from .partners import Partner
from .vouchers import new_voucher_code, normalise

STATUSES = ("reserved", "fulfilled", "cancelled", "expired")


class OutOfStock(DomainError):
    code = "out_of_stock"


class VoucherExpired(DomainError):
    code = "voucher_expired"


class Redemption(Base):
    __tablename__ = "redemptions"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint("points > 0 AND quantity > 0", name="positive"),
        Index("ix_redemptions_partner_status_fulfilled", "partner_id", "status", "fulfilled_at"),
        Index("ix_redemptions_member_reward_created", "member_id", "reward_id", "created_at"),
        Index("ix_redemptions_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_code: Mapped[str] = mapped_column(String(16), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    # The terms at the time of redemption: later edits of the reward do not change them.
    reward_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column()
    fen_per_point: Mapped[int | None] = mapped_column()
    amount_fen: Mapped[int | None] = mapped_column()
    household: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    hold_transfer_id: Mapped[int | None] = mapped_column()
    settle_transfer_id: Mapped[int | None] = mapped_column()
    # The household cap's usage row this deduction counted against (given back on cancellation).
    household_usage_id: Mapped[int | None] = mapped_column(ForeignKey("household_usage.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fulfilled_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Order:
    """What a volunteer asks for: `quantity` of a reward, or `points` to convert into a fee deduction."""

    quantity: int = 1
    points: int | None = None
    household: str | None = None


def redeem(session: Session, *, member: Member, reward: Reward, order: Order, now: datetime,
           valid_for: timedelta) -> Redemption:
    """Reserve a reward: take its stock and hold the member's points, and issue a voucher.

    Refusals come in the contract's order: out_of_stock, limit_reached, insufficient_points.
    """
    if not reward.active or reward.community_id != member.community_id:
        raise NotFound(f"reward {reward.id} not found")
    quantity, points = price(reward, order)
    _take_stock(session, reward, quantity)
    amount_fen = fee_amount(reward, points)
    usage_id = take_allowance(session, reward=reward, household=order.household, amount_fen=amount_fen,
                              now=now) if KINDS[reward.kind].household_cap else None
    # What is due by now happens first: notices past their window become spendable, expired lots go.
    lock_and_settle(session, member=member, now=now)
    if reward.per_member_limit is not None:
        taken = _taken_this_period(session, member=member, reward=reward, now=now)
        if taken + quantity > reward.per_member_limit:
            raise LimitReached(f"{reward.name}: at most {reward.per_member_limit} per member per {reward.period}",
                               kind="member_period_limit", limit=reward.per_member_limit, period=reward.period,
                               left=max(reward.per_member_limit - taken, 0))
    redemption = Redemption(
        voucher_code=new_voucher_code(), member_id=member.id, reward_id=reward.id, community_id=reward.community_id,
        partner_id=reward.partner_id, reward_name=reward.name, kind=reward.kind, quantity=quantity, points=points,
        fen_per_point=reward.fen_per_point, amount_fen=amount_fen, household_usage_id=usage_id,
        household=order.household, status="reserved", created_at=now, expires_at=now + valid_for)
    _insert_with_unique_code(session, redemption)
    hold = transfer(session, debit_account_id=member.account_id, credit_account_id=member.hold_account_id,
                    amount=points, kind="hold", at=now, memo=f"兑换 {reward.name}", redemption_id=redemption.id)
    take_from_lots(session, member_id=member.id, amount=points, transfer_id=hold.id)
    _record(session, redemption, _RECORD, hold_transfer_id=hold.id)
    return redemption


def fulfil(session: Session, *, redemption: Redemption, now: datetime, by: str) -> Redemption:
    """Hand over the reward: the held points become a spend to the provider's account, once."""
    refusal = fulfilment_refusal(redemption, now=now)
    if refusal is not None:
        raise refusal
    _close(session, redemption, status="fulfilled", now=now, fulfilled_at=now, fulfilled_by=by)
    member = session.get(Member, redemption.member_id)
    tally(session, member=member, at=now, deeds=spending(redemption.points, kind=redemption.kind,
                                                         partner_id=redemption.partner_id,
                                                         amount_fen=redemption.amount_fen))
    # The spend last: every fulfilment at a partner credits its one account, and that row stays
    # locked from here to COMMIT, so as little as possible comes after it.
    spend = transfer(session, debit_account_id=member.hold_account_id, credit_account_id=_payee(session, redemption),
                     amount=redemption.points, kind="spend", at=now, memo=f"兑付 {redemption.reward_name}",
                     redemption_id=redemption.id)
    _record(session, redemption, _RECORD, settle_transfer_id=spend.id)
    return redemption


def cancel(session: Session, *, redemption: Redemption, now: datetime, status: str = "cancelled") -> Redemption:
    """Cancel (or expire) a reserved voucher: its stock returns and its points are released, once."""
    _close(session, redemption, status=status, now=now)
    session.execute(update(Reward).where(Reward.id == redemption.reward_id, Reward.stock.is_not(None))
                    .values(stock=Reward.stock + redemption.quantity).execution_options(synchronize_session=False))
    give_back_allowance(session, usage_id=redemption.household_usage_id, amount_fen=redemption.amount_fen)
    member = session.get(Member, redemption.member_id)
    transfer(session, debit_account_id=member.hold_account_id, credit_account_id=member.account_id,
             amount=redemption.points, kind="release", at=now, redemption_id=redemption.id,
             memo=("取消" if status == "cancelled" else "过期") + f" {redemption.reward_name}")
    put_back(session, taken_by=redemption.hold_transfer_id)
    session.flush()
    return redemption


def closed_refusal(redemption: Redemption) -> DomainError | None:
    """What stops a voucher that is no longer reserved from being fulfilled or cancelled: what it became."""
    refusal = _NO_LONGER_RESERVED.get(redemption.status)
    return refusal and refusal(f"voucher {redemption.voucher_code} is already {redemption.status}")


_NO_LONGER_RESERVED = {"fulfilled": AlreadyFulfilled, "cancelled": AlreadyCancelled, "expired": VoucherExpired}


def fulfilment_refusal(redemption: Redemption, *, now: datetime) -> DomainError | None:
    """Why this voucher cannot be fulfilled now, or None: the counter's preview asks the same as `fulfil`."""
    if redemption.status == "reserved" and now >= redemption.expires_at:
        return VoucherExpired(f"voucher {redemption.voucher_code} expired at {redemption.expires_at.isoformat()}")
    return closed_refusal(redemption)


def expire_vouchers(session: Session, *, now: datetime, limit: int = 500) -> list[Redemption]:
    """Expire reserved vouchers past their time (safe from cron, and on several machines)."""
    due = session.scalars(select(Redemption).where(Redemption.status == "reserved", Redemption.expires_at <= now)
                          .order_by(Redemption.id).limit(limit)).all()
    expired = []
    for redemption in due:
        try:
            with session.begin_nested():
                expired.append(cancel(session, redemption=redemption, now=now, status="expired"))
        except (AlreadyDone, VoucherExpired):  # fulfilled, cancelled or expired by another run meanwhile
            continue
    return expired


def get_redemption(session: Session, redemption_id: int) -> Redemption:
    return fetch(session, Redemption, redemption_id, "redemption")


def by_voucher(session: Session, typed: str) -> Redemption:
    """The redemption for a typed or scanned voucher code."""
    redemption = session.scalar(select(Redemption).where(Redemption.voucher_code == normalise(typed)))
    if redemption is None:
        raise NotFound("no voucher with that code")
    return redemption


def find_redemptions(session: Session, *, member_id: int | None = None, partner_id: int | None = None,
                     community_id: int | None = None, status: str | None = None, cursor: int | None = None,
                     limit: int = 50) -> list[Redemption]:
    """Redemptions, newest first; `cursor` continues a page."""
    query = keyset(select(Redemption), Redemption.id, cursor=cursor, limit=limit, newest_first=True)
    for column, value in ((Redemption.member_id, member_id), (Redemption.partner_id, partner_id),
                          (Redemption.community_id, community_id), (Redemption.status, status)):
        if value is not None:
            query = query.where(column == value)
    return list(session.scalars(query))


def price(reward: Reward, order: Order) -> tuple[int, int]:
    """(units, points) of an order: a fee deduction converts `points` in steps of its cost;
    anything else costs its price per unit (a stated `points` must agree)."""
    if KINDS[reward.kind].uses_fen_per_point:
        if not order.household:
            raise Invalid("a property-fee deduction needs the household (building, unit, room)", field="household")
        if order.points is None or order.points < reward.cost or order.points % reward.cost:
            raise Invalid(f"convert at least {reward.cost} points, in multiples of {reward.cost}", field="points")
        return order.points // reward.cost, order.points
    if order.points is not None and order.points != reward.cost * order.quantity:
        raise Invalid(f"{reward.name} costs {reward.cost} points each", field="points")
    return order.quantity, reward.cost * order.quantity


def fee_amount(reward: Reward, points: int) -> int | None:
    """The property fee (fen) `points` take off, for a fee deduction; None for other rewards."""
    return points * reward.fen_per_point if reward.fen_per_point is not None else None


def _take_stock(session: Session, reward: Reward, quantity: int) -> None:
    # Conditional UPDATE: fifty phones after the last umbrella, one gets it. A reward without a
    # stock (as it was read) is not touched: its row would otherwise be locked by every redemption
    # until COMMIT, all of them queueing on it. A stock set meanwhile starts after this redemption.
    if reward.stock is None:
        return
    taken = session.execute(
        update(Reward).where(Reward.id == reward.id)
        .where(Reward.stock.is_(None) | (Reward.stock >= quantity))
        .values(stock=Reward.stock - quantity).execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        left = session.scalar(select(Reward.stock).where(Reward.id == reward.id)) or 0
        raise OutOfStock(f"{reward.name}: {left} left, {quantity} asked for", left=left)


def _taken_this_period(session: Session, *, member: Member, reward: Reward, now: datetime) -> int:
    query = select(func.coalesce(func.sum(Redemption.quantity), 0)).where(
        Redemption.member_id == member.id, Redemption.reward_id == reward.id,
        Redemption.status.in_(("reserved", "fulfilled")))
    start = period_start(now, reward.period)
    if start is not None:
        query = query.where(Redemption.created_at >= start)
    return int(session.scalar(query))


def _insert_with_unique_code(session: Session, redemption: Redemption) -> None:
    """Insert the redemption (ON CONFLICT DO NOTHING: no savepoint, one round trip); a voucher code
    already taken (about one in 10^11) is drawn again."""
    for _ in range(5):
        values = {column.key: getattr(redemption, column.key) for column in _COLUMNS}
        redemption.id = insert_unless_taken(session, Redemption.__table__, values, unique=["voucher_code"])
        if redemption.id is not None:
            for name, value in values.items():  # every column as written: none is read again
                setattr(redemption, name, value)
            make_transient_to_detached(redemption)
            session.add(redemption)
            return
        redemption.voucher_code = new_voucher_code()
    raise RuntimeError("could not draw an unused voucher code")


_COLUMNS = [column for column in Redemption.__table__.columns if column.key != "id"]


def _close(session: Session, redemption: Redemption, *, status: str, now: datetime, **values) -> None:
    # The conditional UPDATE is the lock: fulfil and cancel racing on one voucher, the
    # second waits for the first's row lock, then finds it no longer reserved. What else the
    # voucher holds was fixed when it was reserved, so only the columns written change on it.
    if not _record(session, redemption, _CLOSE, status=status, closed_at=now, **values):
        session.refresh(redemption)  # no longer reserved: say what became of it
        raise closed_refusal(redemption)


def _record(session: Session, redemption: Redemption, statement, **values) -> bool:
    """Write columns of a redemption already in the database, and show them on it: one UPDATE
    built once, not the unit of work's flush (this is the end of every redemption and fulfilment).
    False if `statement` found no row to write (`_CLOSE` writes only a voucher still reserved)."""
    if execute(session.connection(), statement, {"redemption": redemption.id, **values}).rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(redemption, name, value)
    return True


def _payee(session: Session, redemption: Redemption) -> int:
    """Where fulfilled points go: the providing partner's account (the workstation's for goods)."""
    return session.get(Partner, redemption.partner_id).account_id


# Built once (`points.db.execute`); which columns they set is the parameters' names.
_redemptions = Redemption.__table__
_RECORD = _redemptions.update().where(_redemptions.c.id == bindparam("redemption"))
_CLOSE = _RECORD.where(_redemptions.c.status == "reserved")
