"""An activity put right from its console page: `编辑` (title, times, capacity, place), `取消活动`
(asked first, with a reason: the points it paid are reversed) and an organiser's `撤销签退`.

Each form is checked by the JSON API's schema (`api.acts.corrections`) and acts through
`api.acts.corrections`, once per rendered form.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.activities import Activity
from points.errors import Invalid, NotFound

from ...acts.corrections import ActivityChangeArgsSchema, cancel_activity, change_activity, undo_check_out
from ...http import db
from ...http.clock import now, zone
from ...identity.access import managed_activity, visible_checkin
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..errors import said_page
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .activities import LOCAL_INPUT, PROBLEMS
from .base import blp, communities_to_pick
from .entered import integer, load, number, required_text

PROBLEMS = {**PROBLEMS, "place": PROBLEMS["location"]}  # PATCH names the place `place`


@blp.get("/console/activities/<int:activity_id>/edit")
def activities_edit(activity_id: int):
    """`编辑`: the activity's title, times, capacity and place, filled in as they are."""
    return _edit_form(_managed(activity_id))


@blp.post("/console/activities/<int:activity_id>/edit")
def activities_edit_post(activity_id: int):
    """Save the changes once; times that would leave out check-ins already made are refused in words."""
    activity = _managed(activity_id)
    args, problems = load(ActivityChangeArgsSchema(), _typed(), PROBLEMS)
    if problems:
        return _edit_form(activity, problems=problems, status=422)

    def changed():
        change_activity(db.writer(), current_principal(), activity_id=activity.id, now=now(), **args)
        flash(_("活动已修改。"), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    def refused(said: str, status: int, *, refusal):
        if isinstance(refusal, Invalid) and refusal.field in PROBLEMS:
            return _edit_form(activity, problems={refusal.field: str(PROBLEMS[refusal.field])}, status=status)
        return _edit_form(activity, message=said, status=status)

    return act_once(changed, refused, with_refusal=True)


@blp.post("/console/activities/<int:activity_id>/cancel")
def activities_cancel(activity_id: int):
    """`确认取消`: cancel the activity once, reversing what it paid with the reason typed."""
    activity = _managed(activity_id)
    reason = required_text(request.form.get("reason"), 500)
    if reason is None:
        return _cancel_form(activity, message=sentence("cancel_reason"), status=422)

    def cancelled():
        done = cancel_activity(db.writer(), current_principal(), activity_id=activity.id, reason=reason, now=now())
        flash(_("活动已取消：撤回 %(n)s 笔积分。", n=len(done.reversed)), "done")
        if done.spent:
            flash(_("有 %(n)s 笔积分已被志愿者使用，未能撤回，请在操作记录中查看。", n=len(done.spent)), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    def refused(said: str, status: int):
        return _cancel_form(activity, message=said, status=status)

    return act_once(cancelled, refused)


@blp.post("/console/activities/<int:activity_id>/checkins/<int:checkin_id>/undo-checkout")
def activities_undo_checkout(activity_id: int, checkin_id: int):
    """An organiser's `撤销签退` (until the activity ends): the hours' points reversed, the check-in open again."""
    activity = _managed(activity_id)
    checkin = visible_checkin(db.session(), current_principal(), path_id(checkin_id))
    if checkin.activity_id != activity.id:
        raise NotFound(f"check-in {checkin_id} not found")

    def undone():
        undo_check_out(db.writer(), current_principal(), checkin_id=checkin.id, now=now())
        flash(_("已撤销签退，可以重新签退。"), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    return act_once(undone, said_page, said_to="organiser")


def _managed(activity_id: int) -> Activity:
    return managed_activity(db.session(), current_principal(), path_id(activity_id))


def _typed() -> dict:
    """The form as PATCH /activities/{id} would carry it: an empty capacity or place clears it."""
    form = request.form
    lat, lng = number(form.get("lat")), number(form.get("lng"))
    place = {"lat": lat, "lng": lng, "radius_m": integer(form.get("radius_m"))} if lat is not None or lng is not None \
        else None
    return {"title": form.get("title", "").strip(), "starts_at": form.get("starts_at", "").strip() or None,
            "ends_at": form.get("ends_at", "").strip() or None, "capacity": integer(form.get("capacity")),
            "place": place}


def _edit_form(activity: Activity, *, problems: dict | None = None, message: str | None = None, status: int = 200):
    local = {name: getattr(activity, name).astimezone(zone()).strftime(LOCAL_INPUT) for name in ("starts_at", "ends_at")}
    shown = {"title": activity.title, **local, "capacity": activity.capacity or "", "lat": activity.lat or "",
             "lng": activity.lng or "", "radius_m": activity.radius_m or ""}
    if request.method == "POST":
        shown = {name: request.form.get(name, "") for name in shown}
    if problems and message is None:
        message = str(PROBLEMS["_schema"])
    return render_template("console/activity_edit.html", activity=activity, shown=shown, problems=problems or {},
                           message=message, action_key=new_action_key(), communities=communities_to_pick()), status


def _cancel_form(activity: Activity, *, message: str, status: int):
    """A refused cancellation said on a page of its own, with the form again."""
    return render_template("console/activity_cancel.html", activity=activity, message=message,
                           action_key=new_action_key(), communities=communities_to_pick()), status
