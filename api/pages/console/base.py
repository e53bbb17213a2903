"""The console's blueprint and what its pages share: whose community a page shows, and the communities an admin may switch between."""
from flask import current_app, g, request, session
from flask_babel import lazy_gettext as _l

from points.communities import Community, get_community, list_communities

from ...http import db
from ...identity.access import community_for, named_community
from ...identity.authentication import current_principal
from ..blueprint import page_blueprint, path_id
from ..guard import signed_in

blp = page_blueprint("console", __name__)
STAFF = ("organiser", "admin")
_staff_only = signed_in(*STAFF)
_CHOSEN = "console_community"
FORM_COMMUNITY = "form_community_id"
# The console's sections, in the order of its menu (a section shows once its module is built).
SECTIONS = (("console.today", _l("今日概览")), ("console.rules", _l("积分规则")), ("console.activities", _l("活动签到")),
            ("console.claims", _l("线索审核")), ("console.members", _l("志愿者")), ("console.batch_awards", _l("批量发放")),
            ("console.rewards", _l("积分超市")), ("console.partners", _l("合作商家")), ("console.reports", _l("报表")),
            ("console.staff", _l("工作人员")), ("console.tokens", _l("令牌与登录")), ("console.audit", _l("操作记录")),
            ("console.applications", _l("入队申请")))


@blp.context_processor
def _menu():
    built = current_app.view_functions
    return {"console_sections": [(endpoint, label) for endpoint, label in SECTIONS if endpoint in built]}


@blp.before_request
def _staff_only_here():
    """Signed-out visits go to /login; a volunteer's or clerk's session gets the 403 page."""
    return _staff_only(lambda: None)()


def viewed_community_id() -> int | None:
    """The community this page shows: the organiser's own; an admin's pick (None: every community).

    A form acts in the community it was rendered for (`hidden()` in _forms.html writes it into
    every form), never in whatever another tab has switched the session to since.
    """
    if request.method == "POST" and FORM_COMMUNITY in request.form:
        return community_for(current_principal(), path_id(request.form.get(FORM_COMMUNITY, type=int) or 0))
    asked = request.args.get("community_id")
    if asked == "":
        session.pop(_CHOSEN, None)  # an admin's "every community"
        return _rendered_for(community_for(current_principal(), None))
    chosen = path_id(request.args.get("community_id", type=int)) if asked else session.get(_CHOSEN)
    community_id = community_for(current_principal(), chosen)  # another community's id: 403
    if asked:
        session[_CHOSEN] = chosen
    return _rendered_for(community_id)


def _rendered_for(community_id: int | None) -> int | None:
    g.form_community = community_id
    return community_id


def acting_community() -> Community:
    """The community a form acts in: the organiser's own, or the admin's pick (which must exist)."""
    return get_community(db.session(), named_community(current_principal(), viewed_community_id()))


def communities_to_pick() -> list[Community]:
    """The communities an admin may switch between (an organiser has only their own)."""
    principal = current_principal()
    if community_for(principal, None) is not None:
        return []
    return list_communities(db.session())
