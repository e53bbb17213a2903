"""`/console`: today at a glance — check-ins today, claims waiting, the month's points issued and
spent and its new volunteers, and a chart of the last six months."""
from flask import render_template

from points.glance import glance
from points.periods import period_start, starts_on

from ...http import db
from ...http.clock import now, zone
from .base import blp, communities_to_pick, viewed_community_id

MONTHS_CHARTED = 6


@blp.get("/console")
def today():
    """The first page an organiser sees: what happened today and this month."""
    local = now().astimezone(zone())
    this_month = starts_on(local, "month")
    months = [_months_back(this_month, back) for back in range(MONTHS_CHARTED - 1, -1, -1)]
    figures = glance(db.session(), community_id=viewed_community_id(), day_start=period_start(local, "day"),
                     months=months)
    return render_template("console/today.html", figures=figures, communities=communities_to_pick())


def _months_back(month, back: int):
    index = month.year * 12 + month.month - 1 - back
    return month.replace(year=index // 12, month=index % 12 + 1)
