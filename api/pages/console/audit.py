"""`/console/audit` (操作记录): the community's log of every act, newest first, filtered by member
and by action — whoever did it, through the console, the API, an import or the command line."""
from flask import render_template, request

from points.audit import audit_trail
from points.rules import rule_names

from ...http import db
from ...identity.access import visible_member
from ...identity.authentication import current_principal
from ..blueprint import path_id
from .base import blp, communities_to_pick, viewed_community_id
from .trail import AUDIT_ACTIONS

PAGE = 50


@blp.get("/console/audit")
def audit():
    """The log, newest first: `?member_id=` one member's, `?action=` one kind of act; paged on by `before`."""
    session, community_id = db.session(), viewed_community_id()
    member_id = path_id(request.args.get("member_id", type=int))
    member = visible_member(session, current_principal(), member_id) if member_id else None
    action = request.args.get("action", "")
    action = action if action in AUDIT_ACTIONS else ""
    before = path_id(request.args.get("before", type=int))
    rows = audit_trail(session, community_id=community_id, member_id=member_id, action=action or None,
                       cursor=before, limit=PAGE + 1)
    # An admin's view of every community names each row's rules from its own community.
    named = {community_id} if community_id else {row.community_id for row in rows if row.community_id}
    return render_template("console/audit.html", entries=rows[:PAGE], member=member, action=action,
                           more=rows[PAGE - 1].id if len(rows) > PAGE else None, audit_names=AUDIT_ACTIONS,
                           rule_names={code: name for one in sorted(named) for code, name in
                                       rule_names(session, one).items()},
                           communities=communities_to_pick())
