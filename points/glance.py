"""Today at a glance (今日概览): the figures an organiser opens the console to see.

Check-ins are counted over the activities open today; the month's points and newcomers come
from the monthly tallies, so the page costs the same however long the ledger grows.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .activities import Activity
from .checkins import Checkin
from .claims import Claim
from .tallies import CommunityTally

# Activities run for hours, not days: a check-in today is at an activity that started within this.
LONGEST_ACTIVITY = timedelta(days=2)


@dataclass(frozen=True)
class Glance:
    checkins_today: int
    claims_waiting: int
    issued: int   # this month
    spent: int
    joined: int
    by_month: list[dict]  # {month: "2026-11", issued, spent, checkins}, oldest first


def glance(session: Session, *, community_id: int | None, day_start: datetime, months: list[date]) -> Glance:
    """The figures of one community (None: every community) for today and for `months` (the last is this one)."""
    def mine(query, column):
        return query if community_id is None else query.where(column == community_id)

    checkins = session.scalar(mine(
        select(func.count()).select_from(Checkin).join(Activity, Activity.id == Checkin.activity_id)
        .where(Activity.starts_at >= day_start - LONGEST_ACTIVITY, Checkin.checked_in_at >= day_start),
        Activity.community_id))
    waiting = session.scalar(mine(select(func.count()).select_from(Claim).where(Claim.status == "pending"),
                                  Claim.community_id))
    figures = {(month, measure): (int(points), int(count)) for month, measure, points, count in session.execute(mine(
        select(CommunityTally.month, CommunityTally.measure, func.sum(CommunityTally.points),
               func.sum(CommunityTally.count))
        .where(CommunityTally.month >= months[0], CommunityTally.month <= months[-1],
               CommunityTally.measure.in_(("issued", "spent", "joined", "checkins")))
        .group_by(CommunityTally.month, CommunityTally.measure), CommunityTally.community_id))}

    def of(month, measure, part=0):
        return figures.get((month, measure), (0, 0))[part]

    this = months[-1]
    return Glance(checkins_today=checkins, claims_waiting=waiting, issued=of(this, "issued"),
                  spent=of(this, "spent"), joined=of(this, "joined", 1),
                  by_month=[{"month": f"{month:%Y-%m}", "issued": of(month, "issued"), "spent": of(month, "spent"),
                             "checkins": of(month, "checkins", 1)} for month in months])
