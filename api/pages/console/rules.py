"""`/console/rules`: the earning rules, each with its versions; define one, change it (a new
version: what was earned keeps its own), retire it after a confirmation.

Each form is checked by the JSON API's own schema and acts through `api.acts.rules`, once per
rendered form.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from points.errors import NotFound
from points.rules import BASES, Rule, rule_versions, rules_of

from ...acts.rules import RuleArgsSchema, RuleChangeArgsSchema, add_rule, change_rule, retire
from ...http import db
from ...http.clock import now
from ...identity.access import named_community
from ...identity.authentication import current_principal
from ..guard import act_once, new_action_key
from .base import blp, communities_to_pick, viewed_community_id
from .entered import integer, load

BASIS_NAMES = {"per_event": _l("每次"), "per_hour": _l("每小时")}
PROBLEMS = {
    "code": _l("代码用小写英文字母开头，只含小写字母、数字和下划线，最多 64 位，例如 patrol。"),
    "name": _l("请填写名称（最多 200 字）。"),
    "points": _l("积分请填 1 到 1000000 之间的整数。"),
    "basis": _l("请选择计分方式。"),
    "daily_cap": _l("每日上限请填 1 到 1000000 之间的整数，不设上限请留空。"),
    "notice_days": _l("公示天数请填 0 到 90 之间的整数。"),
    "_schema": _l("填写的内容有误，请检查后再提交。"),
}


@blp.get("/console/rules")
def rules():
    """The community's live rules (current versions) and the retired ones."""
    community_id, communities = viewed_community_id(), communities_to_pick()
    return render_template("console/rules.html", rules=rules_of(db.session(), community_id),
                           retired=rules_of(db.session(), community_id, retired=True), basis_names=BASIS_NAMES,
                           communities=communities, community_names={one.id: one.name for one in communities})


@blp.get("/console/rules/new")
def rules_new():
    """`新建规则`: the form."""
    return _rule_form()


@blp.post("/console/rules/new")
def rules_new_post():
    """Define the rule (version 1), once however often `保存` is pressed."""
    code = request.form.get("code", "").strip() or None  # left empty: the next free rule_<n>
    args, problems = load(RuleArgsSchema(), {"code": code, **_typed()}, PROBLEMS)
    if problems:
        return _rule_form(problems=problems, status=422)

    def defined():
        rule = add_rule(db.writer(), current_principal(), now=now(), **args)
        flash(_("已新建规则 %(name)s（第 1 版）。", name=rule.name), "done")
        return redirect(_rule_url(".rules_detail", rule), code=303)

    return act_once(defined, lambda said, status: _rule_form(message=said, status=status))


@blp.get("/console/rules/<rule_code:code>")
def rules_detail(code: str):
    """One rule: its current terms and every version, newest first."""
    versions = rule_versions(db.session(), community_id=_community(), code=code)
    return render_template("console/rule.html", rule=versions[0], versions=versions, basis_names=BASIS_NAMES,
                           communities=communities_to_pick())


@blp.get("/console/rules/<rule_code:code>/edit")
def rules_edit(code: str):
    """`修改`: the rule's terms, and what saving them means for points already earned."""
    return _change_form(_current(code))


@blp.post("/console/rules/<rule_code:code>/edit")
def rules_edit_post(code: str):
    """Save the changed terms as the rule's next version, once per rendered form."""
    current = _current(code)
    args, problems = load(RuleChangeArgsSchema(), _typed(), PROBLEMS)
    if problems:
        return _change_form(current, problems=problems, status=422)
    if all(getattr(current, name) == value for name, value in args.items() if name != "community_id"):
        return _change_form(current, message=_("没有改动，无需保存。"), status=422)

    def changed():
        rule = change_rule(db.writer(), current_principal(), code=code, now=now(), **args)
        flash(_("已保存为第 %(version)s 版：之后获得的积分按新规则计算。", version=rule.version), "done")
        return redirect(_rule_url(".rules_detail", rule), code=303)

    return act_once(changed, lambda said, status: _change_form(current, message=said, status=status))


@blp.get("/console/rules/<rule_code:code>/retire")
def rules_retire(code: str):
    """`停用`: asks to confirm, and says what retiring does."""
    return render_template("console/rule_retire.html", rule=_current(code), action_key=new_action_key(),
                           communities=communities_to_pick())


@blp.post("/console/rules/<rule_code:code>/retire")
def rules_retire_post(code: str):
    """Retire the rule (no new earnings under it; its history stays), once."""
    rule = _current(code)

    def retired_now():
        retire(db.writer(), current_principal(), code=code, now=now(), community_id=rule.community_id)
        flash(_("已停用规则 %(name)s。已获得的积分不受影响。", name=rule.name), "done")
        return redirect(url_for(".rules"), code=303)

    def refused(said: str, status: int):
        return render_template("console/rule_retire.html", rule=rule, action_key=new_action_key(), message=said,
                               communities=communities_to_pick()), status

    return act_once(retired_now, refused)


def _typed() -> dict:
    """The rule's terms as the form sent them, typed as the API's JSON would carry them."""
    form, community_id = request.form, viewed_community_id()
    return {"name": form.get("name", "").strip(), "points": integer(form.get("points")),
            "basis": form.get("basis", ""), "daily_cap": integer(form.get("daily_cap")),
            "requires_review": form.get("requires_review") == "1", "notice_days": integer(form.get("notice_days")) or 0,
            **({"community_id": community_id} if community_id is not None else {})}


def _community() -> int:
    """The community whose rule a page names: the organiser's own, or the admin's pick (which must be made)."""
    return named_community(current_principal(), viewed_community_id())


def _current(code: str) -> Rule:
    """The rule's newest version, to change or retire; a retired or unknown one is the 404 page."""
    latest = rule_versions(db.session(), community_id=_community(), code=code)[0]
    if latest.retired:
        raise NotFound(f"rule {code!r} is retired")  # as the API: a retired rule takes no change
    return latest


def _rule_url(endpoint: str, rule: Rule) -> str:
    picking = bool(communities_to_pick())  # an admin: the link carries the rule's community
    return url_for(endpoint, code=rule.code, **({"community_id": rule.community_id} if picking else {}))


def _rule_form(*, problems: dict | None = None, message: str | None = None, status: int = 200):
    if viewed_community_id() is None:
        message = _("请先在左侧选择要操作的社区。")
    if problems and message is None:
        message = str(PROBLEMS["_schema"])
    return render_template("console/rule_new.html", form=request.form, values=_typed_terms("per_event"),
                           problems=problems or {}, message=message, bases=BASES, basis_names=BASIS_NAMES,
                           action_key=new_action_key(), communities=communities_to_pick()), status


def _change_form(rule: Rule, *, problems: dict | None = None, message: str | None = None, status: int = 200):
    if problems and message is None:
        message = str(PROBLEMS["_schema"])
    values = _typed_terms(rule.basis) if request.method == "POST" else rule
    return render_template("console/rule_edit.html", rule=rule, values=values, problems=problems or {}, message=message,
                           bases=BASES, basis_names=BASIS_NAMES, action_key=new_action_key(),
                           communities=communities_to_pick()), status


def _typed_terms(basis: str) -> dict:
    """The rule's terms as typed into the form, to show again beside what was wrong with them."""
    form = request.form
    return {"name": form.get("name"), "points": form.get("points"), "basis": form.get("basis", basis),
            "daily_cap": form.get("daily_cap"), "notice_days": form.get("notice_days"),
            "requires_review": form.get("requires_review") == "1"}
