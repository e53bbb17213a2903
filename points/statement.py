"""A member's points history as people read it: newest deed first, each line under its deed's name.

An award typed in from a paper book weeks later is dated on the day of the deed; the history puts
it there, not where it was typed in, and the running balance follows that order (after the newest
deed it is the balance itself). A page continues from the last line's entry id.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .ledger import Entry, Transfer
from .rules import Rule


@dataclass(frozen=True)
class Line:
    """An entry of the account as the history shows it: `balance_after` in the deeds' order, and the
    deed (its rule's name) it was for, if any."""

    id: int
    transfer_id: int
    at: datetime
    amount: int
    balance_after: int
    deed: str | None


def history(session: Session, account_id: int, *, cursor: int | None = None,
            limit: int = 50) -> list[tuple[Line, Transfer]]:
    """The account's entries, latest deed first (ties: latest entry first); `cursor` (an entry id)
    continues a previous page."""
    query = (select(Entry, Transfer, Rule.name).join(Transfer, Transfer.id == Entry.transfer_id)
             .outerjoin(Rule, Rule.id == Transfer.rule_id).where(Entry.account_id == account_id))
    if cursor is not None:
        last = session.execute(select(Entry.at, Entry.id).where(Entry.id == cursor,
                                                                Entry.account_id == account_id)).first()
        query = query.where(_before(last.at, last.id)) if last else query.where(False)
    rows = session.execute(query.order_by(Entry.at.desc(), Entry.id.desc()).limit(limit)).all()
    if not rows:
        return []
    first = rows[0][0]
    balance = session.scalar(select(func.coalesce(func.sum(Entry.amount), 0)).where(
        Entry.account_id == account_id, or_(_before(first.at, first.id), Entry.id == first.id)))
    return _lines(rows, balance)


def recent_histories(session: Session, account_ids: list[int], *, limit: int) -> dict[int, list[tuple[Line, Transfer]]]:
    """The last `limit` lines of each account's history (as `history` gives its first page), for many
    accounts in two queries: the lines (numbered per account in SQL) and the balances."""
    latest = (select(Entry.id, func.row_number().over(partition_by=Entry.account_id,
                                                      order_by=(Entry.at.desc(), Entry.id.desc())).label("n"))
              .where(Entry.account_id.in_(account_ids)).subquery())
    rows = session.execute(select(Entry, Transfer, Rule.name).join(latest, latest.c.id == Entry.id)
                           .join(Transfer, Transfer.id == Entry.transfer_id).outerjoin(Rule, Rule.id == Transfer.rule_id)
                           .where(latest.c.n <= limit).order_by(Entry.account_id, latest.c.n)).all()
    # After an account's latest deed its balance is the sum of all its entries.
    balances = dict(session.execute(select(Entry.account_id, func.sum(Entry.amount))
                                    .where(Entry.account_id.in_({entry.account_id for entry, _, _ in rows}))
                                    .group_by(Entry.account_id)).all()) if rows else {}
    found: dict[int, list] = {account_id: [] for account_id in account_ids}
    for row in rows:
        found[row[0].account_id].append(row)
    return {account_id: _lines(its, balances.get(account_id, 0)) for account_id, its in found.items()}


def _lines(rows, balance) -> list[tuple[Line, Transfer]]:
    """History lines from (entry, transfer, deed) rows, latest first; `balance`: after the first."""
    lines = []
    for entry, record, deed in rows:
        lines.append((Line(id=entry.id, transfer_id=entry.transfer_id, at=entry.at, amount=entry.amount,
                           balance_after=int(balance), deed=deed), record))
        balance -= entry.amount
    return lines


def _before(at: datetime, entry_id: int):
    """Entries earlier in the history's order than the one at (`at`, `entry_id`)."""
    return or_(Entry.at < at, and_(Entry.at == at, Entry.id < entry_id))
