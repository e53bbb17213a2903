"""Earned points as lots (积分批次): spent soonest-to-expire first, expired by the community's validity.

Every point in a member's spendable account belongs to a lot: the earning (or the notice made
final) that brought it, with what remains of it. Spending takes from the lot that expires first
and records what it took, so a cancelled redemption puts its points back where they came from,
with their age. What remains of a lot past its expiry moves to the community's expiry account,
by `expire_points` (cron) or, first, by the member's next spend. Every change to a member's lots
happens under the lock on their account, the same lock their spending takes.
"""
import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from sqlalchemy import CheckConstraint, ForeignKey, Index, bindparam, func, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .accounts import lock_accounts
from .communities import Community
from .db import Base, UTCDateTime, execute
from .ledger import transfer
from .members import Member

# Points earned where no validity applies. A date rather than NULL, so that "soonest first"
# is one index order on every database.
NEVER = datetime(9999, 12, 31, tzinfo=timezone.utc)
OPEN = text("remaining > 0")


class Lot(Base):
    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("remaining >= 0 AND expired >= 0 AND remaining + expired <= amount", name="parts"),
        Index("ix_lots_member_open", "member_id", "expires_at", "id", sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_lots_due", "expires_at", sqlite_where=OPEN, postgresql_where=OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    # The transfer that brought the points (an earning, or a notice made final); null for
    # balances that predate lots.
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    amount: Mapped[int] = mapped_column()
    remaining: Mapped[int] = mapped_column()
    expired: Mapped[int] = mapped_column(default=0)


class LotUse(Base):
    """What one transfer (a hold, a reversal) took from one lot."""

    __tablename__ = "lot_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"))
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    amount: Mapped[int] = mapped_column()


def expiry_of(community: Community, earned_at: datetime) -> datetime:
    """When points earned at `earned_at` (local time) expire under the community's validity: at the
    end of their last day (a volunteer told "expires on 3月31日" can still spend them that evening)."""
    months = community.points_valid_months
    if months is None:
        return NEVER
    years, month_index = divmod(earned_at.month - 1 + months, 12)
    year, month = earned_at.year + years, month_index + 1
    last_day = date(year, month, min(earned_at.day, calendar.monthrange(year, month)[1]))
    if community.points_expire_at_year_end:
        last_day = date(last_day.year, 12, 31)
    return datetime.combine(last_day + timedelta(days=1), time(), tzinfo=earned_at.tzinfo)


def last_day_of(expires_at: datetime, zone: tzinfo) -> date:
    """The last day, in `zone`, on which points expiring at `expires_at` can be spent."""
    return (expires_at - timedelta(microseconds=1)).astimezone(zone).date()


def add_lot(session: Session, *, member_id: int, transfer_id: int | None, amount: int, earned_at: datetime,
            expires_at: datetime) -> None:
    execute(session.connection(), _INSERT_LOT, {"member_id": member_id, "transfer_id": transfer_id, "amount": amount,
                                                "remaining": amount, "expired": 0, "earned_at": earned_at,
                                                "expires_at": expires_at})


def take_from_lots(session: Session, *, member_id: int, amount: int, transfer_id: int,
                   first_lot_id: int | None = None) -> None:
    """Take `amount` from the member's lots for `transfer_id`: from `first_lot_id` first (a reversal
    takes back its own earning), then the soonest to expire. The caller holds the member's lock
    and has moved the points in the ledger, so the lots hold at least `amount`."""
    connection = session.connection()
    left = amount
    if first_lot_id is not None:
        own = connection.execute(select(_lots.c.remaining).where(_lots.c.id == first_lot_id)).scalar_one()
        left -= _take(connection, first_lot_id, min(left, own), transfer_id)
    while left > 0 and connection.dialect.name == "postgresql":  # up to 50 lots a round trip
        taken = execute(connection, _TAKE_SOONEST, {"member": member_id, "amount": left, "transfer": transfer_id}).scalar()
        if not taken:
            raise RuntimeError(f"member {member_id}'s lots hold less than their balance")
        left -= taken
    while left > 0:
        lots = execute(connection, _OPEN_LOTS, {"member": member_id}).all()
        if not lots:
            raise RuntimeError(f"member {member_id}'s lots hold less than their balance")
        for lot_id, remaining in lots:
            left -= _take(connection, lot_id, min(left, remaining), transfer_id)
            if left == 0:
                break


def put_back(session: Session, *, taken_by: int) -> None:
    """Return to their lots what transfer `taken_by` took (a cancelled or expired redemption's hold)."""
    connection = session.connection()
    for lot_id, amount in connection.execute(select(LotUse.lot_id, LotUse.amount)
                                             .where(LotUse.transfer_id == taken_by)):
        connection.execute(update(Lot).where(Lot.id == lot_id).values(remaining=Lot.remaining + amount))


def lot_of(session: Session, earning_id: int) -> Lot | None:
    """The lot an earning brought (None for earnings from before lots, or still on notice)."""
    return session.scalar(select(Lot).where(Lot.transfer_id == earning_id)
                          .execution_options(populate_existing=True))


def expire_lots_of(session: Session, *, member: Member, now: datetime) -> int:
    """Move what remains of the member's expired lots to the community's expiry account.

    The caller holds the member's account lock. Returns the points expired (0: none due).
    """
    connection = session.connection()
    due = connection.execute(_DUE_OF_MEMBER, {"member": member.id, "now": now}).all()
    total = sum(remaining for _, remaining in due)
    if total:
        community = member.community
        transfer(session, debit_account_id=member.account_id, credit_account_id=community.expiry_account_id,
                 amount=total, kind="expire", at=now, memo="积分过期")
        connection.execute(update(Lot).where(Lot.id.in_([lot_id for lot_id, _ in due]))
                           .values(expired=Lot.expired + Lot.remaining, remaining=0))
    return total


def restore_expired(session: Session, *, member: Member, lot: Lot, amount: int, now: datetime) -> None:
    """Bring `amount` of an expired lot back from the expiry account (so reversing it balances)."""
    community = member.community
    transfer(session, debit_account_id=community.expiry_account_id, credit_account_id=member.account_id,
             amount=amount, kind="unexpire", at=now, memo="撤销已过期积分")
    session.connection().execute(update(Lot).where(Lot.id == lot.id)
                                 .values(expired=Lot.expired - amount, remaining=Lot.remaining + amount))


def expire_points(session: Session, *, now: datetime, limit: int = 500) -> list[tuple[int, int]]:
    """Expire members' lots past their time (cron; idempotent, safe on several machines): up to
    `limit` members, each (member id, points expired)."""
    expired = []
    member_ids = session.scalars(select(Lot.member_id).where(OPEN, Lot.expires_at <= now).distinct()
                                 .limit(limit)).all()
    for member_id in member_ids:
        member = session.get(Member, member_id)
        with session.begin_nested():
            lock_accounts(session, member.account_id)
            expired.append((member_id, expire_lots_of(session, member=member, now=now)))
    return expired


def expiring(session: Session, *, member_id: int, after: datetime, days: int = 3) -> list[tuple[int, date]]:
    """(points, last day) of the member's next `days` days on which points expire after `after`,
    soonest first, the days in `after`'s zone (the service's): lots of one day are one line."""
    by_day: dict[date, int] = {}
    for expires_at, points in session.execute(
            select(Lot.expires_at, func.sum(Lot.remaining))
            .where(Lot.member_id == member_id, OPEN, Lot.expires_at > after, Lot.expires_at < NEVER)
            .group_by(Lot.expires_at).order_by(Lot.expires_at)):
        on = last_day_of(expires_at, after.tzinfo)
        if on not in by_day and len(by_day) == days:
            break
        by_day[on] = by_day.get(on, 0) + int(points)
    return [(points, on) for on, points in by_day.items()]


@dataclass(frozen=True)
class Expiring:
    member_id: int
    name: str
    phone: str
    team: str | None
    points: int
    first_on: datetime


def expiring_members(session: Session, *, community_id: int, now: datetime, until: datetime) -> list[Expiring]:
    """Members of a community with points expiring in [now, until), soonest first: whom to remind."""
    rows = session.execute(
        select(Member.id, Member.name, Member.phone, Member.team, func.sum(Lot.remaining), func.min(Lot.expires_at))
        .join(Member, Member.id == Lot.member_id)
        .where(OPEN, Lot.expires_at >= now, Lot.expires_at < until, Member.community_id == community_id)
        .group_by(Member.id, Member.name, Member.phone, Member.team).order_by(func.min(Lot.expires_at), Member.id))
    return [Expiring(member_id, name, phone, team, int(points), first_on)
            for member_id, name, phone, team, points, first_on in rows]


def due_points(session: Session, *, member_id: int, now: datetime) -> int:
    """Points of the member's lots already past expiry but not yet moved (not spendable)."""
    return int(session.scalar(select(func.coalesce(func.sum(Lot.remaining), 0))
                              .where(Lot.member_id == member_id, OPEN, Lot.expires_at <= now)))


def _take(connection, lot_id: int, amount: int, transfer_id: int) -> int:
    if amount <= 0:
        return 0
    taken = execute(connection, _TAKE, {"lot": lot_id, "taking": amount}).rowcount
    if taken:
        execute(connection, _INSERT_USE, {"lot_id": lot_id, "transfer_id": transfer_id, "amount": amount})
    return amount if taken else 0


_lots = Lot.__table__
_INSERT_LOT = _lots.insert()
_INSERT_USE = LotUse.__table__.insert()
_OPEN_LOTS = (select(_lots.c.id, _lots.c.remaining)
              .where(_lots.c.member_id == bindparam("member"), OPEN)
              .order_by(_lots.c.expires_at, _lots.c.id).limit(50))
_DUE_OF_MEMBER = (select(_lots.c.id, _lots.c.remaining)
                  .where(_lots.c.member_id == bindparam("member"), OPEN, _lots.c.expires_at <= bindparam("now")))
# PostgreSQL: what the loop below does for the 50 soonest-expiring open lots, as one statement:
# each lot gives what it has until `amount` is reached, and each taking is recorded. Returns
# the points taken (less than `amount` only if those 50 lots held less).
_TAKE_SOONEST = text("""
WITH soonest AS (
    SELECT id, remaining, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
    FROM (SELECT id, remaining, expires_at FROM lots WHERE member_id = :member AND remaining > 0
          ORDER BY expires_at, id LIMIT 50) AS open_lots
), taken AS (
    UPDATE lots SET remaining = lots.remaining - LEAST(soonest.remaining, :amount - soonest.before)
    FROM soonest WHERE lots.id = soonest.id AND soonest.before < :amount
    RETURNING lots.id, LEAST(soonest.remaining, :amount - soonest.before) AS amount
), used AS (
    INSERT INTO lot_uses (lot_id, transfer_id, amount) SELECT id, :transfer, amount FROM taken ORDER BY id
)
SELECT coalesce(sum(amount), 0) FROM taken""")
_TAKE = (update(_lots).where(_lots.c.id == bindparam("lot"), _lots.c.remaining >= bindparam("taking"))
         .values(remaining=_lots.c.remaining - bindparam("taking")))
