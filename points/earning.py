"""Earning and taking back points: the one way points enter or leave a member's account by rule."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from .accounts import lock_accounts
from .errors import AlreadyDone, Conflict, LimitReached
from .ledger import Posted, Transfer, get_transfer, reversal_of, transfer
from .members import Member, add_to_lifetime
from .periods import period_start
from .rules import Rule


def earn(session: Session, *, member: Member, rule: Rule, now: datetime, points: int | None = None,
         memo: str = "", actor: str | None = None, **refs) -> Posted:
    """Credit `member` with `points` (the rule's points by default) under `rule`.

    `now` must carry the service's local zone: it decides which day the daily cap counts.
    """
    if rule.retired:
        raise Conflict(f"rule {rule.code!r} is retired")
    amount = rule.points if points is None else points
    if rule.daily_cap is not None:
        # Lock the member's account before counting today's earnings (PostgreSQL), so two
        # concurrent earnings cannot both fit under the cap.
        lock_accounts(session, member.account_id)
        earned_today = earned_since(session, member=member, rule_code=rule.code, since=start_of_day(now))
        if earned_today + amount > rule.daily_cap:
            raise LimitReached(f"daily cap of {rule.daily_cap} points for {rule.name} reached "
                               f"({earned_today} earned today)")
    record = transfer(session, debit_account_id=member.issuance_account_id, credit_account_id=member.account_id,
                      amount=amount, kind="earn", at=now, memo=memo, actor=actor,
                      rule_id=rule.id, rule_code=rule.code, **refs)
    add_to_lifetime(session, member.id, earned=amount)
    return record


def earned_since(session: Session, *, member: Member, rule_code: str, since: datetime) -> int:
    """Points the member earned under `rule_code` since `since`, not counting reversed earnings."""
    reversal = aliased(Transfer)
    total = session.scalar(
        select(func.coalesce(func.sum(Transfer.amount), 0))
        .outerjoin(reversal, reversal.reverses_id == Transfer.id)
        .where(Transfer.credit_account_id == member.account_id, Transfer.rule_code == rule_code,
               Transfer.kind == "earn", Transfer.at >= since, reversal.id.is_(None))
    )
    return int(total)


def reverse(session: Session, *, transfer_id: int, reason: str, now: datetime,
            actor: str | None = None) -> Posted:
    """Take back an earning with a reversing transfer; each earning can be reversed once."""
    original = get_transfer(session, transfer_id)
    if original.kind != "earn":
        raise Conflict("only earnings can be reversed; a redemption is cancelled instead")
    # Lock the member's account before looking for an earlier reversal, so that of two
    # concurrent reversals the second sees the first and answers already_reversed.
    lock_accounts(session, original.credit_account_id)
    if reversal_of(session, original.id) is not None:
        raise AlreadyDone(f"transfer {original.id} is already reversed", code="already_reversed")
    record = transfer(session, debit_account_id=original.credit_account_id,
                      credit_account_id=original.debit_account_id, amount=original.amount, kind="reversal",
                      at=now, memo=reason, actor=actor, reverses_id=original.id, rule_id=original.rule_id,
                      rule_code=original.rule_code, activity_id=original.activity_id)
    member_id = session.scalar(select(Member.id).where(Member.account_id == original.credit_account_id))
    add_to_lifetime(session, member_id, earned=-original.amount)
    return record


def start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in `now`'s own zone."""
    return period_start(now, "day")

