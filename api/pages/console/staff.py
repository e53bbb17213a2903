"""`/console/staff`: the organiser and clerk accounts of a community — add, reset a password, disable
(asked first, with a reason) and enable again.

Who manages whom is the access policy's (`staff_cut`, `visible_staff`, `staff_grant`): admins every
account; organisers their community's organisers and the clerks of partners serving only it. A
disabled account's sessions and tokens are refused from its next request on (`principal_for`)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from points.audit import audit_trail
from points.communities import list_communities
from rewards.partners import find_partners, partner_names

from ...acts.staff import add_staff, disable_staff, enable_staff, reset_staff_password
from ...acts.tips import let_see_tips
from ...http import db
from ...http.clock import now
from ...identity.access import disabling_staff, grants_tips, staff_cut, visible_staff
from ...identity.accounts import find_staff
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, act_once_showing, new_action_key
from ..refusals import sentence
from .base import blp, communities_to_pick, viewed_community_id
from .entered import new_password, optional_text, phone_number, required_text
from .trail import AUDIT_ACTIONS

ROLES = {"organiser": _l("组织者"), "partner": _l("商家店员")}
ACCOUNT_ACTS = ("staff_added", "staff_changed", "staff_disabled", "password_reset", "staff_enabled")


@blp.get("/console/staff")
def staff():
    """The accounts this organiser (or admin) manages, the form to add one, and the latest account changes."""
    return _staff_page()


def _staff_page(*, message: str | None = None, status: int = 200, made: dict | None = None):
    session, principal, community_id = db.session(), current_principal(), viewed_community_id()
    cut = staff_cut(session, principal, community_id)
    accounts = find_staff(session, community_id=cut.community_id, partner_ids=cut.partner_ids)
    partners = [partner for partner in find_partners(session, community_id=cut.community_id)
                if cut.partner_ids is None or partner.id in cut.partner_ids]
    changes = sorted((entry for action in ACCOUNT_ACTS
                      for entry in audit_trail(session, community_id=community_id, action=action, limit=20)),
                     key=lambda entry: entry.id, reverse=True)[:20]
    return render_template(
        "console/staff.html", accounts=accounts, partners=partners, roles=ROLES, message=message,
        partner_names=partner_names(session, [account.partner_id for account in accounts if account.partner_id]),
        community_names={community.id: community.name for community in list_communities(session)},
        changes=changes, audit_names=AUDIT_ACTIONS, form=request.form, new_key=new_action_key, made=made,
        own_staff_id=principal.staff_id, grants_tips=grants_tips(session, principal),
        communities=communities_to_pick()), status


@blp.post("/console/staff")
def staff_add():
    """Add an organiser of the community or a clerk of one of its partners; a password left empty is
    made up and shown once."""
    name, phone = required_text(request.form.get("name"), 100), phone_number(request.form.get("phone"))
    role, partner_id = request.form.get("role", ""), request.form.get("partner_id", type=int)
    password, made_up = new_password(request.form.get("password"))
    if name is None or phone is None or password is None or role not in ROLES or (
            role == "partner" and partner_id is None):
        return _staff_page(message=sentence("staff_fields"), status=422)
    community_id = viewed_community_id() if role == "organiser" else None
    if role == "organiser" and community_id is None:
        return _staff_page(message=sentence("pick_community:organiser"), status=422)

    def added():
        add_staff(db.writer(), current_principal(), role=role, name=name, phone=phone, password=password, now=now(),
                  community_id=community_id, partner_id=path_id(partner_id) if role == "partner" else None,
                  seen_in=viewed_community_id(), temporary=True)
        flash(_("已添加账号 %(name)s，用手机号 %(phone)s 登录。", name=name, phone=phone), "done")
        return redirect(url_for(".staff"), code=303)

    return _shown_once(added, made_up, name, password)


@blp.post("/console/staff/<int:staff_id>/password")
def staff_password(staff_id: int):
    """Reset an account's password (typed, or made up and shown once); its sessions end."""
    account = visible_staff(db.session(), current_principal(), path_id(staff_id))
    password, made_up = new_password(request.form.get("password"))
    if password is None:
        return _staff_page(message=sentence("password"), status=422)

    def reset():
        reset_staff_password(db.writer(), current_principal(), staff_id=account.id, password=password, now=now(),
                             seen_in=viewed_community_id())
        flash(_("已重置 %(name)s 的密码，其已登录的设备都已退出。", name=account.name), "done")
        return redirect(url_for(".staff"), code=303)

    return _shown_once(reset, made_up, account.name, password)


@blp.post("/console/staff/<int:staff_id>/disable")
def staff_disable(staff_id: int):
    """`停用`, asked first and with a reason: its sessions and tokens stop working at once (never one's own)."""
    account = disabling_staff(db.session(), current_principal(), path_id(staff_id))
    reason = required_text(request.form.get("reason"), 500)
    if reason is None:
        return _staff_page(message=sentence("disable_reason"), status=422)

    def disabled():
        disable_staff(db.writer(), current_principal(), staff_id=account.id, now=now(), reason=reason,
                      seen_in=viewed_community_id())
        flash(_("已停用 %(name)s 的账号。", name=account.name), "done")
        return redirect(url_for(".staff"), code=303)

    return act_once(disabled, _refused)


def _shown_once(act, made_up: bool, name: str, password: str):
    """Run the form's act; a password made up here is shown on this answer only (`act_once_showing`)."""
    if not made_up:
        return act_once(act, _refused)
    return act_once_showing(act, _refused, lambda: _staff_page(made={"name": name, "password": password})[0])


@blp.post("/console/staff/<int:staff_id>/enable")
def staff_enable(staff_id: int):
    """`启用`: a disabled account may sign in again (with a new sign-in: its old sessions stay ended)."""
    account = disabling_staff(db.session(), current_principal(), path_id(staff_id))
    reason = optional_text(request.form.get("reason"), 500)

    def enabled():
        enable_staff(db.writer(), current_principal(), staff_id=account.id, now=now(), reason=reason,
                     seen_in=viewed_community_id())
        flash(_("已启用 %(name)s 的账号，可以重新登录。", name=account.name), "done")
        return redirect(url_for(".staff"), code=303)

    return act_once(enabled, _refused)


@blp.post("/console/staff/<int:staff_id>/tips")
def staff_tips(staff_id: int):
    """`允许查看线索` / `取消查看线索`: an organiser account reads tips' text and photos (police), or no longer."""
    account = visible_staff(db.session(), current_principal(), path_id(staff_id))
    sees = request.form.get("sees_tips") == "1"

    def changed():
        let_see_tips(db.writer(), current_principal(), staff_id=account.id, sees=sees, now=now(),
                     seen_in=viewed_community_id())
        flash(_("%(name)s 现在可以查看线索内容和照片。", name=account.name) if sees else
              _("%(name)s 不再能查看线索内容和照片。", name=account.name), "done")
        return redirect(url_for(".staff"), code=303)

    return act_once(changed, _refused)


def _refused(said: str, status: int):
    """The page again with the refusal; a refusal of the policy says what an organiser may manage."""
    generic = status == 403 and said == sentence("forbidden")
    return _staff_page(message=sentence("forbidden:staff") if generic else said, status=status)
