"""`/console/applications`: residents' applications to join (from the join poster), `通过` (they
become members who sign in with the password they chose) or `驳回` with a reason."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.applications import find_applications

from ...acts.applications import approve_application, reject_application, visible_application
from ...http import db
from ...http.clock import now
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp, communities_to_pick, viewed_community_id
from .entered import required_text

SHOWN = 100


@blp.get("/console/applications")
def applications():
    """Pending applications, oldest first to answer, and the latest decided."""
    return _page()


def _page(*, message: str | None = None, status: int = 200):
    session, community_id = db.session(), viewed_community_id()
    pending = find_applications(session, community_id=community_id, status="pending", limit=SHOWN)[::-1]
    decided = [application for application in find_applications(session, community_id=community_id, limit=SHOWN)
               if application.status != "pending"][:20]
    return render_template("console/applications.html", pending=pending, decided=decided, message=message,
                           new_key=new_action_key, communities=communities_to_pick()), status


def _refused(said: str, status: int):
    return _page(message=said, status=status)


@blp.post("/console/applications/<int:application_id>/approve")
def applications_approve(application_id: int):
    """`通过`: the applicant becomes a member of the community."""
    application = visible_application(db.session(), current_principal(), path_id(application_id))

    def approved():
        approve_application(db.writer(), current_principal(), application_id=application.id, now=now())
        flash(_("已通过 %(name)s 的申请，现在可以用手机号和自己设的密码登录。", name=application.name), "done")
        return redirect(url_for(".applications"), code=303)

    return act_once(approved, _refused)


@blp.post("/console/applications/<int:application_id>/reject")
def applications_reject(application_id: int):
    """`驳回`, with the reason."""
    application = visible_application(db.session(), current_principal(), path_id(application_id))
    reason = required_text(request.form.get("reason"), 500)
    if reason is None:
        return _page(message=sentence("reason:rejection"), status=422)

    def rejected():
        reject_application(db.writer(), current_principal(), application_id=application.id, reason=reason, now=now())
        flash(_("已驳回 %(name)s 的申请。", name=application.name), "done")
        return redirect(url_for(".applications"), code=303)

    return act_once(rejected, _refused)
