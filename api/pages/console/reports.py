"""`/console/reports`: the leaderboard, the summary of some months with charts, and the annual
ranking (年度优秀志愿者), each with `导出Excel` — the same boards and sheets as the API's
`/leaderboard`, `/reports/summary`, `/reports/annual` and `/exports/...`, under the console's session."""
from datetime import datetime, timedelta

from flask import abort, render_template, request
from marshmallow import EXCLUDE, ValidationError

from points.periods import next_start
from rewards.kinds import KINDS

from ...http.clock import month_start, now, zone
from ...http.sheets import Column, Sheet, sheet_name, sheet_response
from ...resources.exports import ExportArgsSchema, annual_sheet, leaderboard_sheet
from ...resources.reports import annual_of, leaderboard_of, summary_of
from ..words import REWARD_KINDS
from .base import blp, communities_to_pick, viewed_community_id

ONE_DAY = timedelta(days=1)
CHARTED_ACTIVITIES = 15  # the chart shows the busiest; the Excel sheet lists them all


@blp.get("/console/reports")
def reports():
    """The three reports of the community, with the filters each takes."""
    args = _args()
    if args["community_id"] is None:  # an admin looking at every community: a report is of one
        return render_template("console/reports.html", args=args, communities=communities_to_pick())
    start, end = _months()
    summary = summary_of({**args, "from_": start, "to": end})
    return render_template("console/reports.html", args=args, communities=communities_to_pick(),
                           board=leaderboard_of(args, limit=args["limit"]), annual=annual_of(args, limit=args["limit"]),
                           summary=summary, charted=CHARTED_ACTIVITIES, from_month=f"{start:%Y-%m}",
                           to_month=f"{end - ONE_DAY:%Y-%m}",
                           spent_labels=[str(REWARD_KINDS.get(item["kind"], item["kind"]))
                                         for item in summary["spent_by_kind"]])


@blp.get("/console/reports/leaderboard.xlsx")
def reports_leaderboard_xlsx():
    """The leaderboard as shown, as Excel (the sheet `GET /exports/leaderboard` gives)."""
    return sheet_response(leaderboard_sheet(_args()), format="xlsx", zone=zone())


@blp.get("/console/reports/annual.xlsx")
def reports_annual_xlsx():
    """The year's whole ranking as Excel (the sheet `GET /exports/annual` gives)."""
    return sheet_response(annual_sheet(_args()), format="xlsx", zone=zone())


@blp.get("/console/reports/summary.xlsx")
def reports_summary_xlsx():
    """The summary of the months shown, as Excel: totals, then each breakdown."""
    start, end = _months()
    return sheet_response(summary_sheet(summary_of({**_args(), "from_": start, "to": end})), format="xlsx",
                          zone=zone())


def summary_sheet(summary: dict) -> Sheet:
    """A summary as one sheet: a section column, then the item and its figures."""
    months = f"{summary['from_']:%Y-%m}~{summary['to'] - ONE_DAY:%Y-%m}"
    rows = [("合计", "发放积分", summary["issued"], None, None, None),
            ("合计", "兑换积分", summary["spent"], None, None, None),
            ("合计", "签到人次", None, summary["checkins"], None, None),
            ("合计", "服务时长", None, None, None, summary["minutes_served"])]
    rows += [("按规则发放", item["name"], item["points"], item["count"], None, None)
             for item in summary["issued_by_rule"]]
    rows += [("按类别兑换", KINDS[item["kind"]].name, item["points"], item["count"],
              item["amount_fen"], None) for item in summary["spent_by_kind"]]
    rows += [("活跃志愿者", item["month"], None, item["count"], None, None) for item in summary["active_by_month"]]
    rows += [("新志愿者", item["month"], None, item["count"], None, None) for item in summary["new_by_month"]]
    rows += [("活动签到", item["title"], None, item["count"], None, None) for item in summary["checkins_by_activity"]]
    rows += [("合作商家", item["name"], item["points"], item["count"], item["amount_fen"], None)
             for item in summary["partners"]]
    return Sheet(sheet_name("汇总", summary["community"].name, months), [
        Column("类别", 12), Column("项目", 24), Column("积分", 10, "number"), Column("次数/人数", 10, "number"),
        Column("金额(元)", 10, "yuan"), Column("服务时长(小时)", 14, "hours"),
    ], rows)


def _args() -> dict:
    """The page's filters, checked by the API's export schema; the community is the console's."""
    given = {name: value for name, value in request.args.items()
             if value != "" and name in ("period", "rank_by", "team", "limit", "year")}
    try:
        args = ExportArgsSchema(unknown=EXCLUDE).load(given)
    except ValidationError:
        abort(400)
    return {**args, "community_id": viewed_community_id()}


def _months() -> tuple[datetime, datetime]:
    """[first of `from_month`, first after `to_month`), whole months in the service's zone
    (default: January of this year to this month); malformed: the 400 page."""
    this_month = now().astimezone(zone()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    try:
        start = _month(request.args.get("from_month")) or this_month.replace(month=1)
        last = _month(request.args.get("to_month")) or this_month
    except ValueError:
        abort(400)
    if last < start:
        start, last = last, start
    following = next_start(last.date(), "month")
    return start, last.replace(year=following.year, month=following.month)


def _month(text: str | None) -> datetime | None:
    return month_start(text) if text else None
