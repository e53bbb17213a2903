"""Reports (报表): the leaderboard, the annual ranking and a community's summary, read from the tallies."""
from marshmallow import Schema, fields, validate

from points.standings import RANKED_BY

from ..acts.reports import PERIODS, AnnualArgsSchema, LeaderboardArgsSchema, annual_of, leaderboard_of, summary_of
from ..http import db
from ..http.clock import now
from ..http.fields import LocalDateTime, QueryId
from ..http.smorest import Blueprint
from ..identity.authentication import current_principal

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports and exports")


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


@blp.route("/leaderboard", methods=["GET"])
@blp.allow("admin", "organiser", "volunteer")
@blp.arguments(LeaderboardArgsSchema(), location="query")
@blp.response(200, LeaderboardSchema)
def leaderboard(args):
    """The community's top members by points (or service minutes) earned in a week, month, year or all time."""
    return leaderboard_of(db.session(), current_principal(), args, limit=args["limit"], now=now())


@blp.route("/reports/annual", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(AnnualArgsSchema(), location="query")
@blp.response(200, AnnualSchema)
def annual(args):
    """The annual ranking (年度优秀志愿者): points, service hours, activities and tips of a year."""
    return annual_of(db.session(), current_principal(), args, limit=args["limit"], now=now())


@blp.route("/reports/summary", methods=["GET"])
@blp.allow("admin", "organiser")
@blp.arguments(SummaryArgsSchema(), location="query")
@blp.response(200, SummarySchema)
def report_summary(args):
    """What the scheme achieved over whole months: points issued and spent, active and new volunteers,
    check-ins per activity and partners' totals."""
    return summary_of(db.session(), current_principal(), args, now=now())
