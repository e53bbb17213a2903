"""The volunteer's home, points history and member card."""
from flask import render_template, request

from points.activities import get_activity
from points.balance_now import balance_now
from points.checkins import open_checkins_of
from points.corrections import undoable_checkouts
from points.levels import level_of
from points.notices import notices_for, state_of
from points.statement import history

from ...acts.messages import my_unread
from ...acts.reports import PERIODS, leaderboard_of
from ...http import db
from ...http.clock import now
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import new_action_key
from .base import blp, me

PAGE = 20


@blp.get("/me")
def home():
    """Name, available, held and pending points (公示中), the next expiry, open hourly check-ins to check
    out of (签退 asks first), check-outs of the last 10 minutes to undo (撤销签退), and the way to
    everything else."""
    member, session = me(), db.session()
    open_checkins = [(checkin, get_activity(session, checkin.activity_id))
                     for checkin in open_checkins_of(session, member.id)]
    balance = balance_now(session, member, now=now())
    return render_template("volunteer/home.html", member=member, balance=balance, open_checkins=open_checkins,
                           undoable=undoable_checkouts(session, member.id, now=now()),
                           action_key=new_action_key(), unread=my_unread(session, current_principal()),
                           level=level_of(member.community.levels, balance.lifetime_earned))


@blp.get("/me/entries")
def entries():
    """The points history, latest deed first, a page at a time; above it, awards on public notice
    (not yet in it) and withdrawn ones, with their state."""
    before = path_id(request.args.get("before", type=int))
    member, session, moment = me(), db.session(), now()
    rows = history(session, member.account_id, cursor=before, limit=PAGE + 1)
    more = rows[PAGE - 1][0].id if len(rows) > PAGE else None
    notices = [] if before else [(notice, state_of(notice, now=moment))
                                 for notice in notices_for(session, member_id=member.id)]
    return render_template("volunteer/entries.html", rows=rows[:PAGE], more=more,
                           notices=[(notice, state) for notice, state in notices if state != "final"])


@blp.get("/me/card")
def card():
    """My member card: an organiser scans it to check me in when I have no phone with me."""
    return render_template("volunteer/card.html", member=me())



@blp.get("/leaderboard")
def leaderboard():
    """The community's ranking this week, month, year or of all time, by points or service time
    (the same board as GET /api/v1/leaderboard, names masked as the community says)."""
    period = request.args.get("period") if request.args.get("period") in PERIODS else "month"
    rank_by = "minutes" if request.args.get("rank_by") == "minutes" else "points"
    board = leaderboard_of(db.session(), current_principal(), {"period": period, "rank_by": rank_by}, limit=50,
                           now=now())
    return render_template("volunteer/leaderboard.html", board=board, period=period, rank_by=rank_by,
                           periods=PERIODS, me=me().id)
