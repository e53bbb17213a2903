"""Volunteer levels (志愿者星级): named steps on lifetime points earned, never on the balance, so that
spending points demotes nobody. Each community may name its own steps; until it does, 一星 to 五星."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import Invalid
from .periods import ALL_TIME
from .tallies import MemberTally

DEFAULT_LEVELS = ((100, "一星志愿者"), (300, "二星志愿者"), (800, "三星志愿者"), (1500, "四星志愿者"),
                  (3000, "五星志愿者"))


@dataclass(frozen=True)
class Level:
    name: str | None       # None below the first step
    points: int            # lifetime points earned
    next_name: str | None  # the next step, if any
    to_next: int | None    # points still to earn for it


def steps_of(levels: list | None) -> tuple[tuple[int, str], ...]:
    """A community's steps as (from points, name), lowest first: its own or the default."""
    if not levels:
        return DEFAULT_LEVELS
    return tuple(sorted((int(step["points"]), str(step["name"])) for step in levels))


def checked_levels(levels: list[dict]) -> list[dict]:
    """Steps as a community stores them: each named once, from distinct points above 0, lowest first."""
    steps = sorted(({"points": int(step["points"]), "name": str(step["name"]).strip()} for step in levels),
                   key=lambda step: step["points"])
    names, points = [step["name"] for step in steps], [step["points"] for step in steps]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise Invalid("each level needs a name of its own", field="levels")
    if len(set(points)) != len(points) or any(point <= 0 for point in points):
        raise Invalid("levels start at distinct points above 0", field="levels")
    return steps


def level_of(levels: list | None, lifetime_points: int) -> Level:
    """Where `lifetime_points` stands on the community's steps."""
    steps = steps_of(levels)
    reached = [name for points, name in steps if lifetime_points >= points]
    ahead = [(points, name) for points, name in steps if lifetime_points < points]
    return Level(name=reached[-1] if reached else None, points=lifetime_points,
                 next_name=ahead[0][1] if ahead else None,
                 to_next=ahead[0][0] - lifetime_points if ahead else None)


def levels_of(session: Session, levels: list | None, member_ids: list[int]) -> dict[int, str | None]:
    """Each member's level by their lifetime points (the all-time tally), for a ranking."""
    lifetime = dict(session.execute(select(MemberTally.member_id, MemberTally.earned).where(
        MemberTally.member_id.in_(member_ids), MemberTally.span == "all", MemberTally.starts_on == ALL_TIME)).all())
    return {member_id: level_of(levels, lifetime.get(member_id, 0)).name for member_id in member_ids}
