"""Reading the reports (报表): the leaderboard, the annual ranking and a community's summary, read from
the tallies, for whichever door asks (the API's `/leaderboard` and `/reports/...`, the console's reports
page, the volunteer's board and the exports). Each takes the reader and the arguments its door checked."""
from dataclasses import replace
from datetime import datetime, timedelta

from marshmallow import Schema, fields, validate
from sqlalchemy.orm import Session

from points.communities import Community, get_community
from points.errors import Invalid
from points.levels import levels_of
from points.masking import masked_name
from points.periods import next_start, period_start, starts_on
from points.reports import summary
from points.standings import RANKED_BY, standings
from rewards.partners import partner_names

from ..http.fields import LocalDateTime, QueryId
from ..identity.access import named_community, sees_full_names
from ..identity.principal import Principal

MAX_MONTHS = 240
PERIODS = ("week", "month", "year", "all")  # a leaderboard's spans


class BoardArgsSchema(Schema):
    community_id = QueryId(metadata={"description": "required for admins; others read their own community"})
    team = fields.String(validate=validate.Length(min=1, max=100))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class LeaderboardArgsSchema(BoardArgsSchema):
    period = fields.String(load_default="month", validate=validate.OneOf(PERIODS))
    at = LocalDateTime(metadata={"description": "a moment in the period to show (default now): last month, last year"})
    rank_by = fields.String(load_default="points", validate=validate.OneOf(tuple(RANKED_BY)))


class AnnualArgsSchema(BoardArgsSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2200), metadata={"description": "default this year"})


def reported_community(session: Session, actor: Principal, community_id: int | None) -> Community:
    """The community a report is about: the reader's own, or the one an admin names."""
    return get_community(session, named_community(actor, community_id))


def leaderboard_of(session: Session, actor: Principal, args: dict, *, limit: int | None, now: datetime) -> dict:
    """The board `args` asks for (`period`, `rank_by`, `at`, `team`): its period's bounds and its standings,
    names masked for volunteers as the community says."""
    community = reported_community(session, actor, args.get("community_id"))
    zone = now.tzinfo
    at = (args.get("at") or now).astimezone(zone)
    span = args["period"]
    rows = standings(session, community_id=community.id, span=span, at=at, team=args.get("team"),
                     rank_by=args["rank_by"], limit=limit)
    if not sees_full_names(actor, community):
        rows = (replace(row, name=masked_name(row.name)) for row in rows)
    start = period_start(at, span)
    end = None if start is None else datetime.combine(next_start(start.date(), span), datetime.min.time(), zone)
    return {"items": list(rows), "next_cursor": None, "period": span, "rank_by": args["rank_by"],
            "start": start, "end": end, "community": community}


def annual_of(session: Session, actor: Principal, args: dict, *, limit: int | None, now: datetime) -> dict:
    """The year's ranking (`year`, default this one; `team`) by points earned, with service hours,
    activities, tips and each member's level (星级, on lifetime points)."""
    community = reported_community(session, actor, args.get("community_id"))
    year = args.get("year") or now.year
    rows = list(standings(session, community_id=community.id, span="year",
                          at=datetime(year, 1, 1, tzinfo=now.tzinfo), team=args.get("team"), limit=limit))
    levels = levels_of(session, community.levels, [row.member_id for row in rows])
    return {"items": [replace(row, level=levels[row.member_id]) for row in rows], "next_cursor": None, "year": year,
            "community": community}


def summary_of(session: Session, actor: Principal, args: dict, *, now: datetime) -> dict:
    """The summary `args` asks for (`from_`, default the start of this year; `to`, default now), over
    whole months, with the partners named."""
    community = reported_community(session, actor, args.get("community_id"))
    zone = now.tzinfo
    start = (args.get("from_") or period_start(now, "year")).astimezone(zone)
    end = (args.get("to") or now).astimezone(zone)
    if end <= start:
        raise Invalid("to must be after from", field="to")
    first_month = starts_on(start, "month")
    end_month = next_start(starts_on(end - timedelta(microseconds=1), "month"), "month")
    if (end_month.year - first_month.year) * 12 + end_month.month - first_month.month > MAX_MONTHS:
        raise Invalid(f"a summary covers at most {MAX_MONTHS} months", field="from")
    result = summary(session, community_id=community.id, first_month=first_month, end_month=end_month)
    names = partner_names(session, [item["partner_id"] for item in result.spent_by_partner])
    return {**result.__dict__, "partners": [{**item, "name": names.get(item["partner_id"], "")}
                                            for item in result.spent_by_partner],
            "from_": datetime.combine(first_month, datetime.min.time(), zone),
            "to": datetime.combine(end_month, datetime.min.time(), zone), "community": community}
