"""The ledger's invariants, checked from the entries themselves."""
from datetime import tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .accounts import Account
from .ledger import Entry, Transfer
from .recount import tally_problems


def ledger_problems(session: Session, *, zone: tzinfo | None = None) -> list[str]:
    """Everything wrong with the ledger; an empty list means it is sound.

    Checks that every account's cached balance equals the sum of its entries, that
    each transfer has exactly two entries summing to zero, that all accounts together
    sum to zero, and that no account but issuance is below zero. Given the service's
    `zone` (which decides the periods), also that every tally matches the ledger.
    """
    problems = []
    sums = select(Entry.account_id, func.sum(Entry.amount).label("total")).group_by(Entry.account_id).subquery()
    mismatched = session.execute(
        select(Account.id, Account.kind, Account.balance, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.balance != func.coalesce(sums.c.total, 0))
    ).all()
    for account_id, kind, cached, total in mismatched:
        problems.append(f"account {account_id} ({kind}): cached balance {cached} but entries sum to {total}")
    unbalanced = session.execute(
        select(Entry.transfer_id, func.count(), func.sum(Entry.amount)).group_by(Entry.transfer_id)
        .having((func.count() != 2) | (func.sum(Entry.amount) != 0))
    ).all()
    for transfer_id, count, total in unbalanced:
        problems.append(f"transfer {transfer_id}: {count} entries summing to {total}")
    orphans = session.scalar(select(func.count()).select_from(Transfer)
                             .where(~Transfer.id.in_(select(Entry.transfer_id))))
    if orphans:
        problems.append(f"{orphans} transfers have no entries")
    total = session.scalar(select(func.coalesce(func.sum(Account.balance), 0)))
    if total != 0:
        problems.append(f"all accounts sum to {total}, not 0")
    for account_id, kind, balance in session.execute(
            select(Account.id, Account.kind, Account.balance).where(Account.kind != "issuance", Account.balance < 0)):
        problems.append(f"account {account_id} ({kind}) is below zero: {balance}")
    if zone is not None:
        problems.extend(tally_problems(session, zone=zone))
    return problems
