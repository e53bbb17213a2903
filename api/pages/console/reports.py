"""`/console/reports`: the leaderboard, the summary of some months with charts, and the annual
ranking (年度优秀志愿者), each with `导出Excel` — the same boards and sheets as the API's
`/leaderboard`, `/reports/summary`, `/reports/annual` and `/exports/...`, under the console's session."""
from datetime import datetime, timedelta

from flask import abort, render_template, request
from marshmallow import EXCLUDE, ValidationError

from points.periods import next_start

from ...acts.exports import ExportArgsSchema, annual_sheet, leaderboard_sheet, summary_sheet
from ...acts.reports import annual_of, leaderboard_of, summary_of
from ...http import db
from ...http.clock import month_start, now, zone
from ...http.downloads import sheet_response
from ...identity.authentication import current_principal
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
    session, reader, moment = db.session(), current_principal(), now()
    summary = summary_of(session, reader, {**args, "from_": start, "to": end}, now=moment)
    return render_template("console/reports.html", args=args, communities=communities_to_pick(),
                           board=leaderboard_of(session, reader, args, limit=args["limit"], now=moment),
                           annual=annual_of(session, reader, args, limit=args["limit"], now=moment),
                           summary=summary, charted=CHARTED_ACTIVITIES, from_month=f"{start:%Y-%m}",
                           to_month=f"{end - ONE_DAY:%Y-%m}",
                           spent_labels=[str(REWARD_KINDS.get(item["kind"], item["kind"]))
                                         for item in summary["spent_by_kind"]])


@blp.get("/console/reports/leaderboard.xlsx")
def reports_leaderboard_xlsx():
    """The leaderboard as shown, as Excel (the sheet `GET /exports/leaderboard` gives)."""
    return sheet_response(leaderboard_sheet(db.session(), current_principal(), _args(), now()), format="xlsx",
                          zone=zone())


@blp.get("/console/reports/annual.xlsx")
def reports_annual_xlsx():
    """The year's whole ranking as Excel (the sheet `GET /exports/annual` gives)."""
    return sheet_response(annual_sheet(db.session(), current_principal(), _args(), now()), format="xlsx",
                          zone=zone())


@blp.get("/console/reports/summary.xlsx")
def reports_summary_xlsx():
    """The summary of the months shown, as Excel: totals, then each breakdown."""
    start, end = _months()
    summary = summary_of(db.session(), current_principal(), {**_args(), "from_": start, "to": end}, now=now())
    return sheet_response(summary_sheet(summary), format="xlsx", zone=zone())


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
