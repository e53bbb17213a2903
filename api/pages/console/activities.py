"""`/console/activities`: plan activities, print their QR poster, open the venue screen, see who
came, check a member in by their card and close open check-ins.

Every form is checked by the JSON API's schema (`api.acts.activities.ActivityArgsSchema`) and acts
through `api.acts.activities` and `api.acts.checkins`, once per rendered form; every activity and
check-in is loaded through the access policy.
"""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from points.activities import CHECKIN_METHODS, Activity, activities_starting, check_in_over
from points.checkins import attendance
from points.errors import Invalid, NotFound
from points.members import get_member
from points.periods import period_end
from points.rules import latest_rule, rules_of

from ... import codes
from ...acts.activities import ActivityArgsSchema, schedule
from ...acts.checkins import check_everyone_out, check_in_by_card, check_out_now
from ...http import db
from ...http.clock import month_start, now, zone
from ...http.images import qr_image
from ...identity.access import visible_activity, visible_checkin
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp, communities_to_pick, viewed_community_id
from .entered import integer, load, number
from .rules import BASIS_NAMES

LISTED_DAYS = 60  # the list shows activities that started since then, and all that are to come
LISTED_AT_MOST = 1000  # each list of activities (coming, ended, a page of a month) shows at most this many
METHOD_NAMES = {"printed": _l("打印二维码"), "live": _l("现场大屏"), "card": _l("会员卡")}
STATUS_NAMES = {"open": _l("未签退"), "awarded": _l("已计分"), "pending_review": _l("待审核")}
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what a datetime-local input shows and sends, in the service's zone
PROBLEMS = {
    "title": _l("请填写标题（最多 200 字）。"),
    "rule_code": _l("请选择积分规则。"),
    "starts_at": _l("请填写开始时间（年-月-日 时:分）。"),
    "ends_at": _l("请填写结束时间，它要晚于开始时间。"),
    "location": _l("地点：纬度在 -90 到 90 之间，经度在 -180 到 180 之间，范围 10 到 100000 米；不限地点请把纬度和经度都留空。"),
    "capacity": _l("人数上限请填 1 到 100000 之间的整数，不限请留空。"),
    "checkin_methods": _l("请至少选一种签到方式。"),
    "_schema": _l("填写的内容有误，请检查后再提交。"),
}


@blp.get("/console/activities")
def activities():
    """The community's activities: those under way or to come, then those ended lately; or, with
    `?month=YYYY-MM`, every activity starting in that month."""
    moment = now()
    if request.args.get("month"):
        return _month_of_activities(moment)
    session, community_id, since = db.session(), viewed_community_id(), moment - timedelta(days=LISTED_DAYS)
    coming = activities_starting(session, community_id=community_id, start=since, ends_from=moment,
                                 limit=LISTED_AT_MOST + 1)
    past = activities_starting(session, community_id=community_id, start=since, ends_before=moment,
                               newest_first=True, limit=LISTED_AT_MOST + 1)
    return render_template("console/activities.html", coming=coming[:LISTED_AT_MOST], past=past[:LISTED_AT_MOST],
                           coming_cut=len(coming) > LISTED_AT_MOST, past_cut=len(past) > LISTED_AT_MOST, now=moment,
                           rule_names=_rule_names(), this_month=moment.strftime("%Y-%m"),
                           communities=communities_to_pick())


def _month_of_activities(moment):
    """One month's activities in the order they start, a page of `LISTED_AT_MOST` at a time."""
    try:
        start = month_start(request.args["month"])
    except ValueError:
        abort(404)
    end = period_end(start, "month")
    listed = activities_starting(db.session(), community_id=viewed_community_id(), start=start, end=end,
                                 after=path_id(request.args.get("after", type=int)), limit=LISTED_AT_MOST + 1)
    shown = listed[:LISTED_AT_MOST]
    return render_template("console/activities_month.html", month=start, listed=shown, now=moment,
                           more=shown[-1].id if len(listed) > LISTED_AT_MOST else None, rule_names=_rule_names(),
                           previous=_month_of(start - timedelta(days=1)), following=_month_of(end),
                           communities=communities_to_pick())


def _month_of(moment) -> str | None:
    """`moment`'s month as `?month=` names it, if the list can show it."""
    try:
        return month_start(moment.strftime("%Y-%m")).strftime("%Y-%m")
    except ValueError:
        return None


@blp.get("/console/activities/new")
def activities_new():
    """The form: title, rule, window, and optionally a place, a capacity and the ways to check in."""
    return _activity_form()


@blp.post("/console/activities/new")
def activities_new_post():
    """`创建`: plan the activity once, however often the button is pressed."""
    args, problems = load(ActivityArgsSchema(), _typed(), PROBLEMS)
    if problems:
        return _activity_form(problems=problems, status=422)

    def planned():
        activity = schedule(db.writer(), current_principal(), now=now(), **args)
        if check_in_over(activity, now=now(), grace=codes.grace()):  # saved, but said plainly on its page
            flash(_("活动已创建。"), "done")
        else:
            flash(_("活动已创建。可以打印二维码，或在现场打开签到大屏。"), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    def refused(said: str, status: int, *, refusal):
        if isinstance(refusal, Invalid):  # the domain's own checks (the window): beside their fields
            return _activity_form(problems={refusal.field or "_schema": str(PROBLEMS.get(refusal.field,
                                                                                         PROBLEMS["_schema"]))},
                                  status=status)
        return _activity_form(message=sentence("rule_gone") if isinstance(refusal, NotFound) else said,
                              status=status)

    return act_once(planned, refused, with_refusal=True)


@blp.get("/console/activities/<int:activity_id>")
def activities_detail(activity_id: int):
    """An activity: its facts, its poster and screen, who checked in and out, and a card check-in."""
    return _activity_page(_activity(activity_id))


@blp.get("/console/activities/<int:activity_id>/poster")
def activities_poster(activity_id: int):
    """`打印二维码`: an A4 poster of the printed QR with the title, the time and how to check in."""
    activity = _activity(activity_id)
    return render_template("console/poster.html", activity=activity, rule_names=_rule_names(activity.community_id),
                           grace=codes.grace(), short_code=codes.short_code(activity))


@blp.get("/console/activities/<int:activity_id>/qr.png")
def activities_qr(activity_id: int):
    """The poster's QR (the printed check-in code) alone: the poster sets its own title and time."""
    activity = _activity(activity_id)
    return qr_image(codes.checkin_url(codes.printed_code(activity)), [], "png", f"activity-{activity.id}")


@blp.post("/console/activities/<int:activity_id>/checkins")
def activities_card(activity_id: int):
    """Check a member in by their card's code (scanned or typed), once per rendered form."""
    activity = _activity(activity_id)
    typed = request.form.get("member_code", "").strip()[:300]
    if not typed:
        return _activity_page(activity, card_message=sentence("card_code"), status=422)

    def checked_in():
        checkin = check_in_by_card(db.writer(), current_principal(), activity_id=activity.id, card=typed, now=now())
        flash(arrived(checkin, _member_name(checkin.member_id)), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    def refused(said: str, status: int):
        return _activity_page(activity, card_message=said, typed=typed, status=status)

    return act_once(checked_in, refused, said_to="organiser")


@blp.post("/console/activities/<int:activity_id>/checkins/<int:checkin_id>/checkout")
def activities_checkout(activity_id: int, checkin_id: int):
    """Check one volunteer out now (they left, or forgot), once."""
    activity = _activity(activity_id)
    checkin = visible_checkin(db.session(), current_principal(), path_id(checkin_id))
    if checkin.activity_id != activity.id:
        raise NotFound(f"check-in {checkin_id} not found")

    def checked_out():
        closed = check_out_now(db.writer(), current_principal(), checkin_id=checkin.id, now=now())
        flash(_("已签退：%(name)s，%(minutes)s 分钟，%(points)s 积分。", name=_member_name(closed.member_id),
                minutes=closed.minutes, points=closed.points), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    return act_once(checked_out, _closing(activity), said_to="organiser")


@blp.post("/console/activities/<int:activity_id>/checkout")
def activities_checkout_all(activity_id: int):
    """Check out everyone still checked in, now, once."""
    activity = _activity(activity_id)

    def checked_out():
        closed = check_everyone_out(db.writer(), current_principal(), activity_id=activity.id, now=now())
        flash(_("已为 %(n)s 人签退。", n=len(closed)), "done")
        return redirect(url_for(".activities_detail", activity_id=activity.id), code=303)

    return act_once(checked_out, _closing(activity), said_to="organiser")


def _activity(activity_id: int) -> Activity:
    return visible_activity(db.session(), current_principal(), path_id(activity_id))


def _closing(activity: Activity):
    """A refused check-out, said on the activity's page beside the list."""
    def refused(said: str, status: int):
        return _activity_page(activity, close_message=said, status=status)
    return refused


def _activity_page(activity: Activity, *, card_message: str | None = None, close_message: str | None = None,
                   typed: str = "", status: int = 200, **search):
    """The activity's page; `search`: what the check-in by name or phone found or said (console.attendance)."""
    rows = attendance(db.session(), activity_id=activity.id)
    rule = latest_rule(db.session(), community_id=activity.community_id, code=activity.rule_code)
    return render_template("console/activity.html", activity=activity, rule=None if rule.retired else rule, rows=rows,
                           open_count=sum(1 for checkin, _member in rows if checkin.status == "open"),
                           method_names=METHOD_NAMES, status_names=STATUS_NAMES, basis_names=BASIS_NAMES,
                           over=check_in_over(activity, now=now(), grace=codes.grace()),
                           card_message=card_message, close_message=close_message, typed=typed, moment=now(),
                           short_code=codes.short_code(activity),
                           new_key=new_action_key, communities=communities_to_pick(), **search), status


def arrived(checkin, name: str) -> str:
    """What the console says when staff checked someone in: capped check-ins say why no points came."""
    if checkin.capped:
        return _("签到成功：%(name)s。今日积分已达上限，本次获得 %(points)s 积分，出勤照常记录。", name=name,
                 points=checkin.points)
    return _("签到成功：%(name)s。", name=name)


def _member_name(member_id: int) -> str:
    return get_member(db.session(), member_id).name


def _rule_names(community_id: int | None = None) -> dict:
    community_id = viewed_community_id() if community_id is None else community_id
    return {(rule.community_id, rule.code): rule.name for rule in rules_of(db.session(), community_id)}


def _typed() -> dict:
    """The form as the API's JSON would carry it (times typed in the service's zone)."""
    form, community_id = request.form, viewed_community_id()
    lat, lng = number(form.get("lat")), number(form.get("lng"))
    place = ({"location": {"lat": lat, "lng": lng, "radius_m": integer(form.get("radius_m"))}}
             if lat is not None or lng is not None else {})
    capacity = integer(form.get("capacity"))
    return {"title": form.get("title", "").strip(), "rule_code": form.get("rule_code", ""),
            "starts_at": form.get("starts_at", "").strip() or None, "ends_at": form.get("ends_at", "").strip() or None,
            "checkin_methods": form.getlist("checkin_methods"), **place,
            **({"capacity": capacity} if capacity is not None else {}),
            **({"community_id": community_id} if community_id is not None else {})}


def _activity_form(*, problems: dict | None = None, message: str | None = None, status: int = 200):
    community_id = viewed_community_id()
    if community_id is None:
        message = _("请先在左侧选择要操作的社区。")
    elif problems and message is None:
        message = str(PROBLEMS["_schema"])
    start = (now().astimezone(zone()) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    defaults = {"starts_at": start.strftime(LOCAL_INPUT), "ends_at": (start + timedelta(hours=2)).strftime(LOCAL_INPUT),
                "radius_m": "200"}
    chosen = request.form.getlist("checkin_methods") if request.method == "POST" else list(CHECKIN_METHODS)
    return render_template("console/activity_new.html", form=request.form, defaults=defaults, chosen=chosen,
                           rules=rules_of(db.session(), community_id) if community_id is not None else [],
                           methods=CHECKIN_METHODS, method_names=METHOD_NAMES, basis_names=BASIS_NAMES,
                           problems=problems or {}, message=message, action_key=new_action_key(),
                           zone_name=zone().key, communities=communities_to_pick()), status
