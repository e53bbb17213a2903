"""The ledger's invariants, checked from the entries themselves."""
from collections.abc import Callable
from datetime import tzinfo
from functools import partial

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from .accounts import Account
from .communities import Community
from .ledger import Entry, Transfer
from .lots import Lot
from .members import Member
from .notices import Notice
from .recount import tally_problems


def ledger_problems(session: Session, *, zone: tzinfo | None = None) -> list[str]:
    """Everything wrong with the ledger; an empty list means it is sound.

    Checks that every account's cached balance equals the sum of its entries, that
    each transfer has exactly two entries summing to zero, that all accounts together
    sum to zero, and that no account but issuance is below zero. Given the service's
    `zone` (which decides the periods), also that every tally matches the ledger.
    """
    return [problem for check in ledger_checks(zone=zone) for problem in check(session)]


def ledger_checks(*, zone: tzinfo | None = None) -> list[Callable[[Session], list[str]]]:
    """The checks `ledger_problems` runs, each taking the session and returning its problems
    (one at a time, so that a long run can show how far it has come)."""
    checks = [_balance_problems, _transfer_problems, _total_problems, _negative_problems, _policy_problems]
    return checks + [partial(tally_problems, zone=zone)] if zone is not None else checks


def _balance_problems(session: Session) -> list[str]:
    sums = select(Entry.account_id, func.sum(Entry.amount).label("total")).group_by(Entry.account_id).subquery()
    mismatched = session.execute(
        select(Account.id, Account.kind, Account.balance, func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.balance != func.coalesce(sums.c.total, 0))
    ).all()
    return [f"account {account_id} ({kind}): cached balance {cached} but entries sum to {total}"
            for account_id, kind, cached, total in mismatched]


def _transfer_problems(session: Session) -> list[str]:
    unbalanced = session.execute(
        select(Entry.transfer_id, func.count(), func.sum(Entry.amount)).group_by(Entry.transfer_id)
        .having((func.count() != 2) | (func.sum(Entry.amount) != 0))
    ).all()
    problems = [f"transfer {transfer_id}: {count} entries summing to {total}"
                for transfer_id, count, total in unbalanced]
    # NOT EXISTS, an anti-join: PostgreSQL cannot turn NOT IN into one (NULLs), and once the
    # entries' ids outgrow work_mem it rescans them for every transfer (15 min and counting at 0.9M).
    orphans = session.scalar(select(func.count()).select_from(Transfer)
                             .where(~exists().where(Entry.transfer_id == Transfer.id)))
    return problems + ([f"{orphans} transfers have no entries"] if orphans else [])


def _total_problems(session: Session) -> list[str]:
    total = session.scalar(select(func.coalesce(func.sum(Account.balance), 0)))
    return [f"all accounts sum to {total}, not 0"] if total != 0 else []


def _negative_problems(session: Session) -> list[str]:
    return [f"account {account_id} ({kind}) is below zero: {balance}" for account_id, kind, balance in session.execute(
        select(Account.id, Account.kind, Account.balance).where(Account.kind != "issuance", Account.balance < 0))]


def _policy_problems(session: Session) -> list[str]:
    lots = select(Lot.member_id, func.sum(Lot.remaining).label("total")).group_by(Lot.member_id).subquery()
    posted = (select(Notice.member_id, func.sum(Notice.points).label("total")).where(Notice.status == "posted")
              .group_by(Notice.member_id).subquery())
    spendable, pending = Account.__table__.alias("spendable"), Account.__table__.alias("pending")
    problems = [
        f"member {member_id}: balance {balance} but lots hold {held}"
        for member_id, balance, held in session.execute(
            select(Member.id, spendable.c.balance, func.coalesce(lots.c.total, 0))
            .join(spendable, spendable.c.id == Member.account_id).outerjoin(lots, lots.c.member_id == Member.id)
            .where(spendable.c.balance != func.coalesce(lots.c.total, 0)))]
    problems += [
        f"member {member_id}: {balance} pending but notices post {noticed}"
        for member_id, balance, noticed in session.execute(
            select(Member.id, pending.c.balance, func.coalesce(posted.c.total, 0))
            .join(pending, pending.c.id == Member.pending_account_id).outerjoin(posted, posted.c.member_id == Member.id)
            .where(pending.c.balance != func.coalesce(posted.c.total, 0)))]
    expired = (select(Member.community_id, func.sum(Lot.expired).label("total")).join(Member, Member.id == Lot.member_id)
               .group_by(Member.community_id).subquery())
    problems += [
        f"community {community_id}: expiry account holds {balance} but lots expired {gone}"
        for community_id, balance, gone in session.execute(
            select(Community.id, Account.balance, func.coalesce(expired.c.total, 0))
            .join(Account, Account.id == Community.expiry_account_id)
            .outerjoin(expired, expired.c.community_id == Community.id)
            .where(Account.balance != func.coalesce(expired.c.total, 0)))]
    return problems
