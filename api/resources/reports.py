"""Reports (报表): the leaderboard, the annual ranking and a community's summary, read from the tallies."""
from dataclasses import replace
from datetime import datetime, timedelta

from marshmallow import Schema, fields, validate

from points.communities import Community, get_community
from points.errors import Invalid
from points.levels import levels_of
from points.masking import masked_name
from points.periods import next_start, period_start, starts_on
from points.reports import summary
from points.standings import RANKED_BY, standings
from rewards.partners import partner_names

from ..http import db
from ..http.clock import now, zone
from ..http.fields import LocalDateTime, QueryId
from ..http.smorest import Blueprint
from ..identity.access import named_community, sees_full_names
from ..identity.authentication import current_principal

PERIODS = ("week", "month", "year", "all")  # a leaderboard's spans
blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports and exports")

MAX_MONTHS = 240


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


class SummaryArgsSchema(Schema):
    community_id = QueryId(metadata={"description": "required for admins"})
    from_ = LocalDateTime(data_key="from", metadata={"description": "default: the start of this year"})
    to = LocalDateTime(metadata={"description": "default: now"})


class StandingSchema(Schema):
    rank = fields.Integer(required=True, metadata={"description": "equal figures share a rank: 1, 2, 2, 4"})
    member_id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "陈*龙 for volunteers unless the community unmasks"})
    team = fields.String(allow_none=True)
    points = fields.Integer(required=True, metadata={"description": "earned in the period, net of reversals"})
    minutes = fields.Integer(required=True, metadata={"description": "served (hourly check-ins) in the period"})


class AnnualStandingSchema(StandingSchema):
    activities = fields.Integer(required=True, metadata={"description": "check-ins in the year"})
    tips = fields.Integer(required=True, metadata={"description": "approved claims (tips, mediations) in the year"})
    level = fields.String(allow_none=True, metadata={"description": "the level (星级) on lifetime points, null "
                                                                    "below the first"})


class LeaderboardSchema(Schema):
    items = fields.List(fields.Nested(StandingSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata={"description": "always null: a top list"})
    period = fields.String(required=True, validate=validate.OneOf(PERIODS))
    rank_by = fields.String(required=True, validate=validate.OneOf(tuple(RANKED_BY)))
    from_ = LocalDateTime(data_key="from", attribute="start", allow_none=True, required=True)
    to = LocalDateTime(attribute="end", allow_none=True, required=True)


class AnnualSchema(Schema):
    items = fields.List(fields.Nested(AnnualStandingSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
    year = fields.Integer(required=True)


class RuleFigureSchema(Schema):
    rule_code = fields.String(required=True)
    name = fields.String()
    points = fields.Integer(required=True)
    count = fields.Integer()


class KindFigureSchema(Schema):
    kind = fields.String(required=True)
    points = fields.Integer(required=True)
    count = fields.Integer()
    amount_fen = fields.Integer()


class MonthCountSchema(Schema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM in the service's zone"})
    count = fields.Integer(required=True)


class ActivityCountSchema(Schema):
    activity_id = fields.Integer(required=True)
    title = fields.String()
    count = fields.Integer(required=True)


class PartnerFigureSchema(Schema):
    partner_id = fields.Integer(required=True)
    name = fields.String()
    count = fields.Integer(required=True)
    points = fields.Integer(required=True)
    amount_fen = fields.Integer(required=True)


class SummarySchema(Schema):
    community_id = fields.Integer(required=True)
    from_ = LocalDateTime(data_key="from", required=True, metadata={"description": "the first whole month covered"})
    to = LocalDateTime(required=True, metadata={"description": "the end of the last whole month covered"})
    issued = fields.Integer(required=True, metadata={"description": "points earned, net of reversals"})
    spent = fields.Integer(required=True, metadata={"description": "points of fulfilled vouchers"})
    minutes_served = fields.Integer(required=True)
    checkins = fields.Integer(required=True)
    issued_by_rule = fields.List(fields.Nested(RuleFigureSchema), required=True)
    spent_by_kind = fields.List(fields.Nested(KindFigureSchema), required=True)
    active_by_month = fields.List(fields.Nested(MonthCountSchema), required=True,
                                  metadata={"description": "members who earned (net) in the month"})
    new_by_month = fields.List(fields.Nested(MonthCountSchema), required=True,
                               metadata={"description": "members who joined in the month"})
    checkins_by_activity = fields.List(fields.Nested(ActivityCountSchema), required=True)
    partners = fields.List(fields.Nested(PartnerFigureSchema), required=True)


def reported_community(community_id: int | None) -> Community:
    """The community a report is about: the caller's own, or the one an admin names."""
    return get_community(db.session(), named_community(current_principal(), community_id))


def leaderboard_of(args: dict, *, limit: int | None) -> dict:
    """The board the arguments ask for: its period's bounds and its standings."""
    community = reported_community(args.get("community_id"))
    at = (args.get("at") or now()).astimezone(zone())
    span = args["period"]
    rows = standings(db.session(), community_id=community.id, span=span, at=at, team=args.get("team"),
                     rank_by=args["rank_by"], limit=limit)
    if not sees_full_names(current_principal(), community):
        rows = (replace(row, name=masked_name(row.name)) for row in rows)
    start = period_start(at, span)
    end = None if start is None else datetime.combine(next_start(start.date(), span), datetime.min.time(), zone())
    return {"items": list(rows), "next_cursor": None, "period": span, "rank_by": args["rank_by"],
            "start": start, "end": end, "community": community}


def annual_of(args: dict, *, limit: int | None) -> dict:
    """The year's ranking by points earned, with service hours, activities and tips."""
    community = reported_community(args.get("community_id"))
    year = args.get("year") or now().year
    rows = list(standings(db.session(), community_id=community.id, span="year",
                          at=datetime(year, 1, 1, tzinfo=zone()), team=args.get("team"), limit=limit))
    levels = levels_of(db.session(), community.levels, [row.member_id for row in rows])
    return {"items": [replace(row, level=levels[row.member_id]) for row in rows], "next_cursor": None, "year": year,
            "community": community}


@blp.route("/leaderboard", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(LeaderboardArgsSchema(), location="query")
@blp.response(200, LeaderboardSchema)
def leaderboard(args):
    """The community's top members by points (or service minutes) earned in a week, month, year or all time."""
    return leaderboard_of(args, limit=args["limit"])


@blp.route("/reports/annual", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(AnnualArgsSchema(), location="query")
@blp.response(200, AnnualSchema)
def annual(args):
    """The annual ranking (年度优秀志愿者): points, service hours, activities and tips of a year."""
    return annual_of(args, limit=args["limit"])


@blp.route("/reports/summary", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(SummaryArgsSchema(), location="query")
@blp.response(200, SummarySchema)
def report_summary(args):
    """What the scheme achieved over whole months: points issued and spent, active and new volunteers,
    check-ins per activity and partners' totals."""
    return summary_of(args)


def summary_of(args: dict) -> dict:
    """The summary the arguments ask for (`from_`, default the start of this year; `to`, default now),
    over whole months, with the partners named (also shown by the console's reports page)."""
    community = reported_community(args.get("community_id"))
    local_now = now()
    start = (args.get("from_") or period_start(local_now, "year")).astimezone(zone())
    end = (args.get("to") or local_now).astimezone(zone())
    if end <= start:
        raise Invalid("to must be after from", field="to")
    first_month = starts_on(start, "month")
    end_month = next_start(starts_on(end - timedelta(microseconds=1), "month"), "month")
    if (end_month.year - first_month.year) * 12 + end_month.month - first_month.month > MAX_MONTHS:
        raise Invalid(f"a summary covers at most {MAX_MONTHS} months", field="from")
    session = db.session()
    result = summary(session, community_id=community.id, first_month=first_month, end_month=end_month)
    names = partner_names(session, [item["partner_id"] for item in result.spent_by_partner])
    return {**result.__dict__, "partners": [{**item, "name": names.get(item["partner_id"], "")}
                                            for item in result.spent_by_partner],
            "from_": datetime.combine(first_month, datetime.min.time(), zone()),
            "to": datetime.combine(end_month, datetime.min.time(), zone()), "community": community}
