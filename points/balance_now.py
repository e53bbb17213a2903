"""A member's balance as it stands now: the accounts' balances, with what is due by now applied.

Notices whose window has ended and lots past their expiry are moved by cron and by the
member's next spend; until then a read counts them as moved already, so what a volunteer
sees never depends on when the cron last ran.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .lots import due_points, expiring
from .members import Balance, Member, balance_of
from .notices import Notice


@dataclass(frozen=True)
class BalanceNow(Balance):
    expiring: list[tuple[int, date]]  # (points, the last day they can be spent), soonest first


def balance_now(session: Session, member: Member, *, now: datetime) -> BalanceNow:
    """Available, held and pending points, lifetime figures, and the next expiries (soonest first)."""
    balance = balance_of(session, member)
    now_final = int(session.scalar(select(func.coalesce(func.sum(Notice.points), 0)).where(
        Notice.member_id == member.id, Notice.status == "posted", Notice.final_at <= now)))
    return BalanceNow(**{**vars(balance), "pending": balance.pending - now_final,
                         "available": balance.available + now_final - due_points(session, member_id=member.id, now=now),
                         "expiring": expiring(session, member_id=member.id, after=now)})
