"""Service hours (志愿服务时长): the time volunteers served at activities, for certificates and for the
national volunteer system's bulk import.

Time served is what hourly check-outs recorded (the figure the rankings show); a check-in counts
as attendance when it was paid, or reviewed and approved.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from .activities import Activity
from .checkins import Checkin
from .claims import Claim
from .ledger import Transfer
from .members import Member

ATTENDED = or_(Checkin.status == "awarded", and_(Checkin.status == "pending_review", Claim.status == "approved"))


@dataclass(frozen=True)
class Service:
    """What a member did in [start, end)."""

    minutes: int
    activities: int
    points: int


def service_of(session: Session, *, member: Member, start: datetime, end: datetime) -> Service:
    """Minutes served (closed hourly check-ins), activities attended (check-ins paid, or reviewed and
    approved) and points earned and usable (earnings not reversed, awards made final) in [start, end)."""
    minutes, activities = session.execute(
        select(func.coalesce(func.sum(Checkin.minutes), 0), func.count(Checkin.id))
        .outerjoin(Claim, Claim.id == Checkin.claim_id)
        .where(Checkin.member_id == member.id, Checkin.checked_in_at >= start, Checkin.checked_in_at < end, ATTENDED)
    ).one()
    reversal = aliased(Transfer)
    points = session.scalar(
        select(func.coalesce(func.sum(Transfer.amount), 0))
        .where(Transfer.credit_account_id == member.account_id, Transfer.kind.in_(("earn", "finalise")),
               Transfer.at >= start, Transfer.at < end,
               ~exists().where(reversal.reverses_id == Transfer.id)))
    return Service(minutes=int(minutes), activities=int(activities), points=int(points))


def hours_by_activity(session: Session, *, community_id: int, start: datetime | None, end: datetime | None):
    """One row per volunteer per activity attended in [start, end) (by the activity's start):
    name, phone, activity title, its start, minutes served; by date, then activity, then member."""
    query = (select(Member.name, Member.phone, Activity.title, Activity.starts_at,
                    func.coalesce(func.sum(Checkin.minutes), 0).label("minutes"))
             .select_from(Checkin)
             .join(Activity, Activity.id == Checkin.activity_id)
             .join(Member, Member.id == Checkin.member_id)
             .outerjoin(Claim, Claim.id == Checkin.claim_id)
             .where(Activity.community_id == community_id, ATTENDED)
             .group_by(Activity.id, Member.id, Member.name, Member.phone, Activity.title, Activity.starts_at)
             .order_by(Activity.starts_at, Activity.id, Member.id))
    if start is not None:
        query = query.where(Activity.starts_at >= start)
    if end is not None:
        query = query.where(Activity.starts_at < end)
    return session.execute(query.execution_options(yield_per=1000))
