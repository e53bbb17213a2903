"""`/console/levels`: the community's volunteer levels (星级) on lifetime points, one per line."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.communities import get_community
from points.levels import steps_of

from ...acts.communities import change_settings
from ...http import db
from ...http.clock import now
from ...identity.access import named_community
from ...identity.authentication import current_principal
from ..guard import act_once, new_action_key
from .base import blp, communities_to_pick, viewed_community_id


def _community():
    return get_community(db.session(), named_community(current_principal(), viewed_community_id()))


def _form(*, text: str | None = None, message: str | None = None, status: int = 200):
    community = _community()
    shown = "\n".join(f"{points} {name}" for points, name in steps_of(community.levels))
    return render_template("console/levels.html", community=community, text=shown if text is None else text,
                           message=message, action_key=new_action_key(), communities=communities_to_pick()), status


@blp.get("/console/levels")
def levels():
    """The levels in force, to change."""
    return _form()


@blp.post("/console/levels")
def levels_post():
    """Save the levels: each line `points name`, e.g. `100 一星志愿者`."""
    text = request.form.get("levels", "")
    steps = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        points, _space, name = line.partition(" ")
        if not points.isdigit() or not name.strip() or len(name.strip()) > 20:
            return _form(text=text, message=_("每行写积分和名称，例如：100 一星志愿者"), status=422)
        steps.append({"points": int(points), "name": name.strip()})
    if not steps:
        return _form(text=text, message=_("每行写积分和名称，例如：100 一星志愿者"), status=422)
    community_id = _community().id

    def saved():
        change_settings(db.writer(), current_principal(), community_id=community_id, now=now(), levels=steps)
        flash(_("星级已保存。"), "done")
        return redirect(url_for(".levels"), code=303)

    return act_once(saved, lambda said, status: _form(text=text, message=said, status=status))
