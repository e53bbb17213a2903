"""Public notice (公示): awards under a rule with `notice_days` are posted before they count.

Such an award credits the member's pending account, not their spendable one: it shows in
their balance as pending, cannot be spent, and is listed publicly (masked name, team, rule,
points; never a tip's text) until `final_at`. Until then an organiser may withdraw it (an
upheld objection): the points go back to issuance, once. After it, the points move to the
member's account by themselves: `finalise_notices` (cron), or first the member's next spend.

A notice changes state by a conditional UPDATE on its row, which is also the lock: a
withdrawal and the end of the window racing on one notice have exactly one outcome.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime, fetch, keyset
from .errors import AlreadyReversed, Conflict
from .ledger import Posted, Transfer, transfer
from .lots import add_lot, expiry_of
from .masking import masked_name
from .members import Member
from .messages import tell
from .tallies import earning, tally

STATUSES = ("posted", "final", "withdrawn")


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_notices_community_status_final", "community_id", "status", "final_at"),
        Index("ix_notices_status_final", "status", "final_at"),
        Index("ix_notices_member_status", "member_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    rule_code: Mapped[str] = mapped_column(String(64))
    rule_name: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    final_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="posted")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))
    closed_by: Mapped[str | None] = mapped_column(String(200))


@dataclass(frozen=True)
class Posting:
    """A line of the public board: who (masked), for what, how much, and until when."""

    entry_id: int
    name: str
    team: str | None
    rule_code: str
    rule_name: str
    points: int
    at: datetime
    final_at: datetime


def post_notice(session: Session, *, member: Member, record: Posted, rule, now: datetime) -> Notice:
    """Post an award just credited to the member's pending account."""
    notice = Notice(transfer_id=record.id, member_id=member.id, community_id=member.community_id,
                    rule_code=rule.code, rule_name=rule.name, points=record.amount, at=now,
                    final_at=now + timedelta(days=rule.notice_days), status="posted")
    session.add(notice)
    session.flush()
    return notice


def notice_of(session: Session, transfer_id: int) -> Notice | None:
    return session.scalar(select(Notice).where(Notice.transfer_id == transfer_id))


def finalise(session: Session, *, notice: Notice, now: datetime) -> bool:
    """Make a notice whose window has ended final: its points become spendable. False if it
    was already final or withdrawn (by another run or an organiser meanwhile)."""
    if not _close(session, notice, status="final", now=now, window_over=True):
        return False
    member = session.get(Member, notice.member_id)
    transfer(session, debit_account_id=member.pending_account_id, credit_account_id=member.account_id,
             amount=notice.points, kind="finalise", at=now, memo=f"公示期满 {notice.rule_name}",
             rule_code=notice.rule_code)
    community = member.community
    earned_at = notice.at.astimezone(now.tzinfo)
    add_lot(session, member_id=member.id, transfer_id=notice.transfer_id, amount=notice.points,
            earned_at=earned_at, expires_at=expiry_of(community, earned_at))
    # On boards and in figures from now, in the period it was earned in.
    tally(session, member=member, at=earned_at, deeds=earning(notice.points, notice.rule_code))
    # Here, not in an act: the window ends by itself, found by cron or by the member's next spend.
    tell(session, member_id=member.id, kind="notice_final", subject_id=notice.id, at=now,
         rule_name=notice.rule_name, points=notice.points)
    return True


def finalise_notices(session: Session, *, now: datetime, member_id: int | None = None,
                     limit: int = 500) -> list[Notice]:
    """Finalise notices whose window has ended (cron, and a member's spend; idempotent); returns
    those this call made final."""
    query = select(Notice).where(Notice.status == "posted", Notice.final_at <= now).order_by(Notice.id).limit(limit)
    if member_id is not None:
        query = query.where(Notice.member_id == member_id)
    finalised = []
    for notice in session.scalars(query).all():
        with session.begin_nested():
            if finalise(session, notice=notice, now=now):
                finalised.append(notice)
    return finalised


def withdraw(session: Session, *, notice: Notice, reason: str, now: datetime, actor: str | None = None) -> Posted:
    """Withdraw an award during its notice (an objection upheld): its points go back, once."""
    if not _close(session, notice, status="withdrawn", now=now, window_over=False, reason=reason, closed_by=actor):
        if notice.status == "withdrawn":
            raise AlreadyReversed(f"notice {notice.id} is already withdrawn")
        raise Conflict("the notice period is over: the award is final; reverse it instead")
    member = session.get(Member, notice.member_id)
    issuance = session.scalar(select(_transfers.c.debit_account_id).where(_transfers.c.id == notice.transfer_id))
    record = transfer(session, debit_account_id=member.pending_account_id, credit_account_id=issuance,
                      amount=notice.points, kind="reversal", at=now, memo=reason, actor=actor,
                      reverses_id=notice.transfer_id, rule_code=notice.rule_code)
    return record  # nothing to take off boards and figures: a notice counts there only when final


def on_notice(session: Session, *, community_id: int, now: datetime, cursor: int | None = None,
              limit: int = 50, mask: bool = True) -> list[Posting]:
    """The public board: awards still in their window, newest first (never a tip's text)."""
    query = keyset(select(Notice, Member.name, Member.team).join(Member, Member.id == Notice.member_id)
                   .where(Notice.community_id == community_id, Notice.status == "posted", Notice.final_at > now),
                   Notice.id, cursor=cursor, limit=limit, newest_first=True)
    return [Posting(entry_id=notice.id, name=masked_name(name) if mask else name, team=team,
                    rule_code=notice.rule_code, rule_name=notice.rule_name, points=notice.points, at=notice.at,
                    final_at=notice.final_at) for notice, name, team in session.execute(query)]


def notices_for(session: Session, *, member_id: int, cursor: int | None = None, limit: int = 20) -> list[Notice]:
    """A member's awards that went on public notice, newest first, whatever became of them: on
    notice, over and waiting to be made final, final, or withdrawn. `cursor` (a notice id)
    continues a previous page."""
    return list(session.scalars(keyset(select(Notice).where(Notice.member_id == member_id), Notice.id,
                                       cursor=cursor, limit=limit, newest_first=True)))


def state_of(notice: Notice, *, now: datetime) -> str:
    """What became of an award put on notice: "on_notice" (objections may still withdraw it),
    "over" (its window has ended and its points count as the member's, until the scheduled job
    makes it "final"), "final" or "withdrawn"."""
    if notice.status != "posted":
        return notice.status
    return "on_notice" if now < notice.final_at else "over"


def get_notice(session: Session, notice_id: int) -> Notice:
    return fetch(session, Notice, notice_id, "notice")


def _close(session: Session, notice: Notice, *, status: str, now: datetime, window_over: bool, **values) -> bool:
    in_window = Notice.final_at <= now if window_over else Notice.final_at > now
    changed = session.execute(
        update(Notice).where(Notice.id == notice.id, Notice.status == "posted", in_window)
        .values(status=status, closed_at=now, **values).execution_options(synchronize_session=False)).rowcount
    session.refresh(notice)
    return changed == 1


_transfers = Transfer.__table__
