"""Putting an activity right: its facts changed, the activity cancelled, a check-out undone.

Nothing in the ledger is changed: what an activity or a check-out paid is taken back by
reversing transfers (points.earning.reverse), with the reason.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from .activities import Activity, Place
from .checkins import Checkin
from .claims import Claim, reject_claim
from .earning import reverse
from .errors import AlreadySpent, Conflict, Invalid
from .ledger import Transfer
from .members import Member
from .tallies import served, tally

# How long a volunteer may take back their own check-out (a mistaken tap on 签退).
UNDO_MINUTES = 10


class ActivityCancelled(Conflict):
    """A cancelled activity stays as it was: no change, no check-in, no check-out undone."""


class LeavesOutCheckins(Conflict):
    """New times would leave out check-ins already made (or the capacity those who came)."""


class NotCheckedOut(Conflict):
    """Only a check-out can be undone, once: this check-in is open (or was never checked out)."""


class UndoTooLate(Conflict):
    """The volunteer's 10 minutes to undo a check-out, or the organiser's time (the activity's
    end), have passed: 409 conflict, as any state that no longer allows the change."""


@dataclass(frozen=True)
class Cancellation:
    """A cancelled activity and what was done about its points: the earnings reversed, and
    those that could not be (the points spent since)."""

    activity: Activity
    reversed: list[int]
    spent: list[int]
    closed: int
    rejected: list[int]  # claims of its check-ins still awaiting review, rejected with the reason


def amend_activity(session: Session, activity: Activity, *, grace: timedelta, title: str | None = None,
                   starts_at: datetime | None = None, ends_at: datetime | None = None,
                   capacity: int | None = None, unlimited: bool = False, place: Place | None = None,
                   no_place: bool = False) -> dict:
    """Change an activity's title, times, capacity or place; answers what changed,
    {field: [before, after]}. The new window (with its grace) must still hold every check-in
    made (LeavesOutCheckins), and a capacity every place taken."""
    ensure_not_cancelled(activity)
    start, end = starts_at or activity.starts_at, ends_at or activity.ends_at
    if end <= start:
        raise Invalid("ends_at must be after starts_at", field="ends_at")
    first, last, count = session.execute(select(
        func.min(Checkin.checked_in_at), func.max(Checkin.checked_in_at), func.count(Checkin.id))
        .where(Checkin.activity_id == activity.id)).one()
    if first is not None and (first < start - grace or last > end + grace):
        raise LeavesOutCheckins(f"{count} check-ins were made between {first.isoformat()} and {last.isoformat()}: "
                                "the new times must hold them")
    before = _facts(activity)
    activity.title, activity.starts_at, activity.ends_at = title or activity.title, start, end
    if unlimited:
        activity.capacity, activity.places_taken = None, 0
    elif capacity is not None:
        taken = activity.places_taken if activity.capacity is not None else count
        if capacity < taken:
            raise LeavesOutCheckins(f"{taken} have checked in already: the capacity cannot be below that")
        activity.capacity, activity.places_taken = capacity, taken
    if no_place:
        activity.lat = activity.lng = activity.radius_m = None
    elif place is not None:
        activity.lat, activity.lng, activity.radius_m = place.lat, place.lng, place.radius_m
    session.flush()
    after = _facts(activity)
    return {field: [before[field], after[field]] for field in before if before[field] != after[field]}


def call_off(session: Session, activity: Activity, *, reason: str, now: datetime,
                    actor: str | None = None) -> Cancellation:
    """Cancel an activity: no more check-ins, open check-ins closed unpaid, their claims awaiting review
    rejected, and every earning it paid reversed with `reason` (those whose points were spent since are
    listed, not reversed)."""
    if not reason.strip():
        raise Invalid("say why the activity is cancelled", field="reason")
    cancelled = session.execute(update(Activity).where(Activity.id == activity.id, Activity.cancelled_at.is_(None))
                                .values(cancelled_at=now, cancel_reason=reason)
                                .execution_options(synchronize_session=False)).rowcount
    if cancelled != 1:  # cancelled meanwhile: the first cancellation stands
        raise ActivityCancelled(f"{activity.title} is cancelled already")
    session.refresh(activity)
    closed = session.execute(update(Checkin).where(Checkin.activity_id == activity.id, Checkin.status == "open")
                             .values(status="awarded", checked_out_at=now, minutes=0, points=0)
                             .execution_options(synchronize_session=False)).rowcount
    waiting = session.scalars(select(Claim).join(Checkin, Checkin.claim_id == Claim.id)
                              .where(Checkin.activity_id == activity.id, Claim.status == "pending")
                              .order_by(Claim.id)).all()
    for claim in waiting:  # nothing is paid for a cancelled activity, also after a review
        reject_claim(session, claim=claim, reason=reason, now=now, reviewer=actor)
    reversal = aliased(Transfer)
    paid = session.scalars(select(Transfer.id).outerjoin(reversal, reversal.reverses_id == Transfer.id)
                           .where(Transfer.activity_id == activity.id, Transfer.kind == "earn",
                                  reversal.id.is_(None)).order_by(Transfer.id)).all()
    reversed_, spent = [], []
    for transfer_id in paid:
        try:
            with session.begin_nested():
                reverse(session, transfer_id=transfer_id, reason=reason, now=now, actor=actor)
            reversed_.append(transfer_id)
        except AlreadySpent:
            spent.append(transfer_id)
    if reversed_:  # their check-ins paid nothing in the end
        session.execute(update(Checkin).where(Checkin.id.in_(
            select(Transfer.checkin_id).where(Transfer.id.in_(reversed_), Transfer.checkin_id.is_not(None))))
            .values(points=0).execution_options(synchronize_session=False))
    return Cancellation(activity, reversed_, spent, closed, [claim.id for claim in waiting])


def reopen_checkin(session: Session, checkin: Checkin, *, now: datetime, by_staff: bool,
                   actor: str | None = None) -> Checkin:
    """Open a check-out again and take back the hours' points it paid: a volunteer within
    UNDO_MINUTES of checking out, staff until the activity ends. Of two at once, one does it."""
    activity = session.get(Activity, checkin.activity_id)
    ensure_not_cancelled(activity)
    if checkin.checked_out_at is not None:
        deadline = activity.ends_at if by_staff else checkin.checked_out_at + timedelta(minutes=UNDO_MINUTES)
        if now > deadline:
            raise UndoTooLate(f"a check-out can be undone until {deadline.isoformat()}", until=deadline.isoformat())
    paid, minutes, checked_out_at = checkin.transfer_id, checkin.minutes or 0, checkin.checked_out_at
    # The row decides: of two undos at once, the second finds it open (PostgreSQL waits for the
    # first's commit and reads the row again; SQLite's writer holds the database).
    reopened = session.execute(
        update(Checkin).where(Checkin.id == checkin.id, Checkin.status == "awarded",
                              Checkin.checked_out_at == checked_out_at)
        .values(status="open", checked_out_at=None, minutes=None, points=0)
        .execution_options(synchronize_session=False)).rowcount
    if checked_out_at is None or reopened != 1:
        raise NotCheckedOut("this check-in is not checked out")
    if paid is not None:
        reverse(session, transfer_id=paid, reason="撤销签退", now=now, actor=actor)
    if minutes:
        member = session.get(Member, checkin.member_id)
        tally(session, member=member, at=checked_out_at.astimezone(now.tzinfo), deeds=served(-minutes))
    session.refresh(checkin)
    return checkin


def undoable_by_member(checkin: Checkin, *, now: datetime) -> bool:
    """Whether the volunteer may still undo this check-out themselves (UNDO_MINUTES after it)."""
    return (checkin.status == "awarded" and checkin.checked_out_at is not None
            and now <= checkin.checked_out_at + timedelta(minutes=UNDO_MINUTES))


def undoable_checkouts(session: Session, member_id: int, *, now: datetime) -> list[tuple[Checkin, Activity]]:
    """The member's check-outs they may still undo (within UNDO_MINUTES), newest first, with their activity."""
    return list(session.execute(
        select(Checkin, Activity).join(Activity, Activity.id == Checkin.activity_id)
        .where(Checkin.member_id == member_id, Checkin.status == "awarded", Activity.cancelled_at.is_(None),
               Checkin.checked_out_at >= now - timedelta(minutes=UNDO_MINUTES))
        .order_by(Checkin.checked_out_at.desc()).limit(5)).all())


def ensure_not_cancelled(activity: Activity) -> None:
    if activity.cancelled_at is not None:
        raise ActivityCancelled(f"{activity.title} was cancelled: {activity.cancel_reason}")


def _facts(activity: Activity) -> dict:
    return {"title": activity.title, "starts_at": activity.starts_at.isoformat(),
            "ends_at": activity.ends_at.isoformat(), "capacity": activity.capacity, "place": activity.location}


def points_taken_back(session: Session, cancellation: Cancellation) -> dict[int, int]:
    """Each member who checked in to a cancelled activity or was paid for it: {member id: points its
    cancellation took back} (0 for those whose points were spent since, or who were paid nothing)."""
    attended = session.scalars(select(Checkin.member_id).where(Checkin.activity_id == cancellation.activity.id))
    taken = dict(session.execute(
        select(Member.id, func.sum(Transfer.amount)).join(Member, Member.account_id == Transfer.credit_account_id)
        .where(Transfer.id.in_(cancellation.reversed)).group_by(Member.id)).all()) if cancellation.reversed else {}
    return {member_id: taken.get(member_id, 0) for member_id in sorted(set(attended) | set(taken))}
