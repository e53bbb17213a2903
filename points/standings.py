"""Standings (排行榜): members ranked by what they earned or served in a period, read from the tallies."""
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from .members import Member
from .periods import starts_on
from .tallies import MemberTally

RANKED_BY = {"points": MemberTally.earned, "minutes": MemberTally.minutes}


@dataclass(frozen=True)
class Standing:
    rank: int
    member_id: int
    name: str
    team: str | None
    points: int
    minutes: int
    activities: int
    tips: int
    level: str | None = None  # on lifetime points (points.levels), where a ranking shows it


def standings(session: Session, *, community_id: int, span: str, at: datetime, team: str | None = None,
              rank_by: str = "points", limit: int | None = 50) -> Iterator[Standing]:
    """Members of a community who earned (or served) in the `span` containing `at`, best first.

    Equal figures share a rank (1, 2, 2, 4). Reads the period's tallies in the order of an
    index and stops at `limit` (None: all of them, for exports).
    """
    measure = RANKED_BY[rank_by]
    query = (select(MemberTally, Member.name, Member.team).join(Member, Member.id == MemberTally.member_id)
             .where(MemberTally.community_id == community_id, MemberTally.span == span,
                    MemberTally.starts_on == starts_on(at, span), measure > 0)
             .order_by(measure.desc(), MemberTally.member_id))
    if team is not None:
        query = query.where(Member.team == team)
    if limit is not None:
        query = query.limit(limit)
    rank, previous = 0, None
    for position, (row, name, member_team) in enumerate(session.execute(query).yield_per(1000), start=1):
        figure = getattr(row, measure.key)
        if figure != previous:
            rank, previous = position, figure
        yield Standing(rank=rank, member_id=row.member_id, name=name, team=member_team, points=row.earned,
                       minutes=row.minutes, activities=row.activities, tips=row.tips)
