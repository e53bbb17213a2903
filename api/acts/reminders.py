"""Reminders (cron): a message for each lot of points and each voucher about to expire, once, and an
SMS for it where a provider is configured.

Once, also with cron on several machines at once: a message's cause is unique (points.messages),
so of two runs racing on one lot exactly one writes its message. Texts go out after the messages
are committed, each claimed first (`texted_at`), so no text is sent twice; a run sends at most
`per_run` of them, and none in the quiet hours at night (they wait for the next run).
"""
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import Session

from points.lots import Lot, last_day_of
from points.members import Member
from points.messages import REMINDERS, Message, Told
from rewards.redemptions import Redemption

from .messages import day, tell

# The seam to an SMS provider: send `text` to `phone`, raise if it could not. None: no provider.
Texter = Callable[[str, str], None]
STALE = timedelta(days=1)  # a reminder not texted within a day (quiet hours, the per-run rate) is not texted


def _untold(kind: str, member_column, subject_column):
    return ~exists().where(and_(Message.member_id == member_column, Message.kind == kind,
                                Message.subject_id == subject_column))


def remind_expiring_points(session: Session, *, now: datetime, days: int, limit: int = 500) -> list[Told]:
    """Tell each member about each lot of theirs expiring within `days` (not yet told)."""
    due = session.execute(
        select(Lot.id, Lot.member_id, Lot.remaining, Lot.expires_at)
        .where(Lot.remaining > 0, Lot.expires_at > now, Lot.expires_at <= now + timedelta(days=days),
               _untold("points_expiring", Lot.member_id, Lot.id))
        .order_by(Lot.id).limit(limit)).all()
    told = [tell(session, lot.member_id, "points_expiring", subject_id=lot.id, now=now, points=lot.remaining,
                 on=day(last_day_of(lot.expires_at, now.tzinfo), now)) for lot in due]
    return [message for message in told if message is not None]


def remind_expiring_vouchers(session: Session, *, now: datetime, days: int, limit: int = 500) -> list[Told]:
    """Tell each member about each unused voucher of theirs expiring within `days` (not yet told)."""
    due = session.scalars(
        select(Redemption)
        .where(Redemption.status == "reserved", Redemption.expires_at > now,
               Redemption.expires_at <= now + timedelta(days=days),
               _untold("voucher_expiring", Redemption.member_id, Redemption.id))
        .order_by(Redemption.id).limit(limit)).all()
    told = [tell(session, voucher.member_id, "voucher_expiring", subject_id=voucher.id, now=now,
                 reward_name=voucher.reward_name, voucher_code=voucher.voucher_code, points=voucher.points,
                 on=day(voucher.expires_at, now)) for voucher in due]
    return [message for message in told if message is not None]


def in_quiet_hours(now: datetime, quiet: tuple[int, int]) -> bool:
    """Whether `now` (local) falls in the quiet hours [start, end), e.g. (21, 8): 21:00 to 08:00."""
    start, end = quiet
    if start == end:
        return False
    return start <= now.hour < end if start < end else (now.hour >= start or now.hour < end)


def claim_texts(session: Session, *, kind: str, now: datetime, limit: int) -> list[tuple[str, str]]:
    """Claim up to `limit` unread, recent reminders of `kind` not yet texted: (phone, text) of each.
    The claim is the conditional UPDATE: of two runs, each reminder goes to one."""
    assert kind in REMINDERS
    due = session.execute(
        select(Message.id, Member.phone, Message.body).join(Member, Member.id == Message.member_id)
        .where(Message.kind == kind, Message.texted_at.is_(None), Message.read_at.is_(None),
               Message.at >= now - STALE)
        .order_by(Message.id).limit(limit)).all()
    claimed = []
    for ident, phone, body in due:
        won = session.execute(update(Message).where(Message.id == ident, Message.texted_at.is_(None))
                              .values(texted_at=now).execution_options(synchronize_session=False)).rowcount
        if won == 1:
            claimed.append((phone, f"【犇牛志愿】{body}"))
    return claimed
