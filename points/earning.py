"""Earning and taking back points: the one way points enter or leave a member's account by rule."""
from datetime import datetime, timezone

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from .accounts import lock_accounts
from .errors import AlreadyReversed, AlreadySpent, Conflict, InsufficientPoints, LimitReached
from .ledger import Posted, Transfer, get_transfer, reversal_of, transfer
from .lots import add_lot, expire_lots_of, expiry_of, lot_of, restore_expired, take_from_lots
from .members import Member
from .notices import finalise, notice_of, post_notice, withdraw
from .periods import period_end, period_start
from .rules import Rule
from .tallies import Deeds, earning, tally


def earn(session: Session, *, member: Member, rule: Rule, now: datetime, points: int | None = None,
         memo: str = "", actor: str | None = None, also: Deeds = Deeds(), **refs) -> Posted:
    """Credit `member` with `points` (the rule's points by default) under `rule`.

    `now` must carry the service's local zone: it decides which day the daily cap counts,
    and which periods the earning is tallied in (with `also`, what else the deed counts).
    """
    if rule.retired:
        raise Conflict(f"rule {rule.code!r} is retired")
    amount = rule.points if points is None else points
    room = _room_today(session, member=member, rule=rule, now=now)
    if amount > room:
        raise LimitReached(f"daily cap of {rule.daily_cap} points for {rule.name} reached "
                           f"({rule.daily_cap - room} earned today)", kind="daily_cap", limit=rule.daily_cap,
                           period="day", left=room)
    return _credit(session, member=member, rule=rule, amount=amount, now=now, memo=memo, actor=actor, also=also,
                   **refs)


def earn_up_to_cap(session: Session, *, member: Member, rule: Rule, now: datetime, points: int,
                   memo: str = "", actor: str | None = None, also: Deeds = Deeds(), **refs) -> Posted | None:
    """Credit `member` with as much of `points` as today's cap under `rule` still allows.

    None when nothing fits, nothing was asked for, or the rule was retired meanwhile. Used
    where the work is already done and is paid what it may be, such as hours at check-out.
    """
    if rule.retired:
        return None
    amount = min(points, _room_today(session, member=member, rule=rule, now=now))
    if amount <= 0:
        return None
    return _credit(session, member=member, rule=rule, amount=amount, now=now, memo=memo, actor=actor, also=also,
                   **refs)


def _room_today(session: Session, *, member: Member, rule: Rule, now: datetime) -> int | float:
    """Points the member may still earn under `rule` today (infinity without a cap)."""
    if rule.daily_cap is None:
        return float("inf")
    # Lock the member's account before counting today's earnings (PostgreSQL), so two
    # concurrent earnings cannot both fit under the cap.
    lock_accounts(session, member.account_id)
    day = start_of_day(now)
    return rule.daily_cap - earned_since(session, member=member, rule_code=rule.code, since=day,
                                         until=period_end(day, "day"))


def _credit(session: Session, *, member: Member, rule: Rule, amount: int, now: datetime, memo: str,
            actor: str | None, also: Deeds, **refs) -> Posted:
    """Earn into the member's account as a new lot; or, under public notice, into their pending
    account, counted on boards and in figures only when the notice becomes final."""
    on_notice = rule.notice_days > 0
    record = transfer(session, debit_account_id=member.issuance_account_id, amount=amount, kind="earn", at=now,
                      credit_account_id=member.pending_account_id if on_notice else member.account_id,
                      memo=memo, actor=actor, rule_id=rule.id, rule_code=rule.code, **refs)
    if on_notice:
        post_notice(session, member=member, record=record, rule=rule, now=now)
        tally(session, member=member, at=now, deeds=also)
    else:
        community = member.community
        add_lot(session, member_id=member.id, transfer_id=record.id, amount=amount, earned_at=now,
                expires_at=expiry_of(community, now))
        tally(session, member=member, at=now, deeds=earning(amount, rule.code) + also)
    return record


def earned_since(session: Session, *, member: Member, rule_code: str, since: datetime,
                 until: datetime | None = None) -> int:
    """Points the member earned under `rule_code` in [since, until), not counting reversed earnings.

    Bounded above so that an award dated on an earlier day (a paper points book typed up)
    is held to that day's cap, not to everything earned since."""
    return int(session.connection().execute(_EARNED, {
        "account": member.account_id, "pending": member.pending_account_id, "rule_code": rule_code,
        "since": since, "until": until or _NO_END}).scalar_one())


# Built once: an aliased join costs more to construct than to run, and a batch import runs it per row.
_reversal = aliased(Transfer)
_EARNED = (select(func.coalesce(func.sum(Transfer.amount), 0))
           .outerjoin(_reversal, _reversal.reverses_id == Transfer.id)
           .where(Transfer.credit_account_id.in_((bindparam("account"), bindparam("pending"))),
                  Transfer.rule_code == bindparam("rule_code"), Transfer.kind == "earn",
                  Transfer.at >= bindparam("since"), Transfer.at < bindparam("until"), _reversal.id.is_(None)))
_NO_END = datetime(9999, 12, 31, tzinfo=timezone.utc)


def reverse(session: Session, *, transfer_id: int, reason: str, now: datetime,
            actor: str | None = None) -> Posted:
    """Take back an earning with a reversing transfer; each earning can be reversed once.

    An earning still on public notice is withdrawn instead. The points come back from the
    lot the earning brought first, then from the member's other lots; what of it has expired
    comes back from the expiry account, so the ledger balances whatever became of the points.
    """
    original = get_transfer(session, transfer_id)
    if original.kind != "earn":
        raise Conflict("only earnings can be reversed; a redemption is cancelled instead")
    member = session.scalar(select(Member).where(or_(Member.account_id == original.credit_account_id,
                                                     Member.pending_account_id == original.credit_account_id)))
    # Lock the member's account before looking for an earlier reversal, so that of two
    # concurrent reversals the second sees the first and answers already_reversed.
    lock_accounts(session, member.account_id)
    notice = notice_of(session, original.id)
    if notice is not None and notice.status == "posted":
        if now < notice.final_at:
            return withdraw(session, notice=notice, reason=reason, now=now, actor=actor)
        finalise(session, notice=notice, now=now)
    if reversal_of(session, original.id) is not None:
        raise AlreadyReversed(f"transfer {original.id} is already reversed")
    expire_lots_of(session, member=member, now=now)
    lot = lot_of(session, original.id)
    if lot is not None and lot.remaining < original.amount and lot.expired:
        restore_expired(session, member=member, lot=lot, amount=min(lot.expired, original.amount - lot.remaining),
                        now=now)
    try:
        record = transfer(session, debit_account_id=member.account_id, credit_account_id=original.debit_account_id,
                          amount=original.amount, kind="reversal", at=now, memo=reason, actor=actor,
                          reverses_id=original.id, rule_id=original.rule_id, rule_code=original.rule_code,
                          activity_id=original.activity_id)
    except InsufficientPoints as spent:
        raise AlreadySpent(f"the {original.amount} points of transfer {original.id} were spent") from spent
    take_from_lots(session, member_id=member.id, amount=original.amount, transfer_id=record.id,
                   first_lot_id=lot.id if lot is not None else None)
    # Taken back from the periods it was earned in, as the service's zone counts them.
    tally(session, member=member, at=original.at.astimezone(now.tzinfo),
          deeds=earning(-original.amount, original.rule_code))
    return record


def start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in `now`'s own zone."""
    return period_start(now, "day")

