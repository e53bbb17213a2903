"""The volunteer's home, points history and member card."""
from flask import render_template, request
from flask_babel import gettext as _

from points.activities import get_activity
from points.checkins import open_checkins_of
from points.ledger import history
from points.members import balance_of

from ... import db
from ..guard import new_action_key
from . import blp, me, path_id

PAGE = 20


@blp.get("/me")
def home():
    """Name, available and held points, open hourly check-ins to check out of, and the way to everything else."""
    member, session = me(), db.session()
    open_checkins = [(checkin, get_activity(session, checkin.activity_id))
                     for checkin in open_checkins_of(session, member.id)]
    return render_template("volunteer/home.html", member=member, balance=balance_of(session, member),
                           open_checkins=open_checkins, action_key=new_action_key())


@blp.get("/me/entries")
def entries():
    """The points history, newest first, a page at a time."""
    before = path_id(request.args.get("before", type=int))
    rows = history(db.session(), me().account_id, cursor=before, limit=PAGE + 1)
    more = rows[PAGE - 1][0].id if len(rows) > PAGE else None
    return render_template("volunteer/entries.html", rows=rows[:PAGE], more=more)


@blp.get("/me/card")
def card():
    """My member card: an organiser scans it to check me in when I have no phone with me."""
    return render_template("volunteer/card.html", member=me())


@blp.get("/leaderboard")
def leaderboard():
    """The community's ranking (its page comes with the reports): for now, says so."""
    return render_template("site/coming.html", title=_("排行榜"))
