"""Reports (报表): what a community's scheme achieved over some months, read from the monthly figures."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .activities import Activity
from .periods import next_start
from .rules import rule_names
from .tallies import CommunityTally


@dataclass(frozen=True)
class Summary:
    community_id: int
    first_month: date
    end_month: date  # the first month after the summary
    issued: int
    spent: int
    minutes_served: int
    checkins: int
    issued_by_rule: list[dict]
    spent_by_kind: list[dict]
    active_by_month: list[dict]
    new_by_month: list[dict]
    checkins_by_activity: list[dict]
    spent_by_partner: list[dict]  # partner_id, count, points, amount_fen


def summary(session: Session, *, community_id: int, first_month: date, end_month: date) -> Summary:
    """The community's figures for the months from `first_month` up to (not including) `end_month`.

    Reads one row per month, figure and slot: the cost does not grow with the ledger.
    """
    totals = defaultdict(lambda: [0, 0, 0])
    monthly = defaultdict(int)
    for measure, subject, month, points, count, amount_fen in session.execute(
            select(CommunityTally.measure, CommunityTally.subject, CommunityTally.month,
                   func.sum(CommunityTally.points), func.sum(CommunityTally.count), func.sum(CommunityTally.amount_fen))
            .where(CommunityTally.community_id == community_id, CommunityTally.month >= first_month,
                   CommunityTally.month < end_month)
            .group_by(CommunityTally.measure, CommunityTally.subject, CommunityTally.month)):
        figure = totals[(measure, subject)]
        figure[0] += int(points)
        figure[1] += int(count)
        figure[2] += int(amount_fen)
        if measure in ("active", "joined"):
            monthly[(measure, month)] += int(count)

    def of(measure: str) -> list[tuple[str, list[int]]]:
        return sorted(((subject, figure) for (kind, subject), figure in totals.items()
                       if kind == measure and any(figure)), key=lambda item: (-item[1][0], -item[1][1], item[0]))

    names = rule_names(session, community_id)
    checkins = of("checkins")
    titles = dict(session.execute(select(Activity.id, Activity.title).where(
        Activity.id.in_([int(subject) for subject, _ in checkins]))).all()) if checkins else {}
    months = list(_months(first_month, end_month))
    return Summary(
        community_id=community_id, first_month=first_month, end_month=end_month,
        issued=sum(figure[0] for _, figure in of("issued")),
        spent=sum(figure[0] for _, figure in of("spent")),
        minutes_served=sum(figure[1] for _, figure in of("minutes")),
        checkins=sum(figure[1] for _, figure in checkins),
        issued_by_rule=[{"rule_code": code, "name": names.get(code, code), "points": points, "count": count}
                        for code, (points, count, _) in of("issued")],
        spent_by_kind=[{"kind": kind, "points": points, "count": count, "amount_fen": fen}
                       for kind, (points, count, fen) in of("spent")],
        active_by_month=[{"month": f"{month:%Y-%m}", "count": monthly[("active", month)]} for month in months],
        new_by_month=[{"month": f"{month:%Y-%m}", "count": monthly[("joined", month)]} for month in months],
        checkins_by_activity=sorted(
            ({"activity_id": int(subject), "title": titles.get(int(subject), ""), "count": count}
             for subject, (_, count, _) in checkins), key=lambda item: (-item["count"], item["activity_id"])),
        spent_by_partner=[{"partner_id": int(subject), "points": points, "count": count, "amount_fen": fen}
                          for subject, (points, count, fen) in of("partner")],
    )


def _months(first: date, end: date):
    month = first
    while month < end:
        yield month
        month = next_start(month, "month")
