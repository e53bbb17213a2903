"""`/console/members`: search and add volunteers; a member's page with their balance, history, awards
put on public notice, claims, vouchers, card and audit trail, where an organiser awards points (`奖励积分`),
takes an earning back (`撤销`, saying first whether its points were spent, or withdrawing it from
notice), moves them to another team and resets their password. Every act goes through `api.acts`
(awards, members), once per rendered form."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.audit import audit_trail
from points.balance_now import balance_now
from points.claims import find_claims
from points.ledger import reversal_of, reversed_among
from points.members import find_members, member_of_transfer, teams_of
from points.notices import notice_of, notices_for, state_of
from points.rules import rule_names, rules_of
from points.statement import history
from rewards.redemptions import find_redemptions

from ...acts import awards
from ...acts.members import add_member, change_team, reset_password
from ...http import db
from ...http.clock import now
from ...identity.access import visible_member, visible_transfer
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, act_once_showing, new_action_key
from ..refusals import sentence
from .base import acting_community, blp, communities_to_pick, viewed_community_id
from .entered import new_password, optional_points, optional_text, phone_number, required_text
from .trail import AUDIT_ACTIONS

PAGE = 50
HISTORY_PAGE = 20
NOTICE_PAGE = 20


@blp.get("/console/members")
def members():
    """Search the community's volunteers by name or phone, and by team; add one; `导入` a roster."""
    return _list()


def _list(*, message: str | None = None, status: int = 200):
    session, community_id = db.session(), viewed_community_id()
    q, team = request.args.get("q", "").strip()[:100], request.args.get("team", "")[:100]
    after = path_id(request.args.get("after", type=int))
    rows = find_members(session, community_id=community_id, q=q or None, team=team or None, cursor=after,
                        limit=PAGE + 1)
    return render_template("console/members.html", members=rows[:PAGE], more=rows[PAGE - 1].id if len(rows) > PAGE
                           else None, q=q, team=team, teams=teams_of(session, community_id), message=message,
                           form=request.form, action_key=new_action_key(),
                           communities=communities_to_pick()), status


@blp.post("/console/members")
def members_add():
    """Add a volunteer (a phone signs in as one person only); a password left empty is made up and shown once."""
    name, phone = required_text(request.form.get("name"), 100), phone_number(request.form.get("phone"))
    team = optional_text(request.form.get("team"), 100)
    password, made_up = new_password(request.form.get("password"))
    if name is None or phone is None or password is None:
        return _list(message=sentence("member_fields"), status=422)
    if viewed_community_id() is None:
        return _list(message=sentence("pick_community:member"), status=422)
    community = acting_community()

    def added():
        member = add_member(db.writer(), current_principal(), community_id=community.id, name=name, phone=phone,
                            team=team, password=password, now=now(), temporary=True)
        added_member.append(member)
        flash(_("已添加志愿者 %(name)s。", name=name), "done")
        return redirect(url_for(".members_detail", member_id=member.id), code=303)

    added_member = []
    refused = lambda said, status: _list(message=said, status=status)  # noqa: E731
    if not made_up:
        return act_once(added, refused)
    return act_once_showing(added, refused, lambda: _member_page(added_member[0], made_password=password)[0])


@blp.get("/console/members/<int:member_id>")
def members_detail(member_id: int):
    """A member's page: balance, history (newest first, paged), claims, vouchers, card, audit trail, and the acts."""
    return _member_page(_member(member_id))


def _member(member_id: int):
    return visible_member(db.session(), current_principal(), path_id(member_id))


def _member_page(member, *, message: str | None = None, status: int = 200, made_password: str | None = None):
    session = db.session()
    before = path_id(request.args.get("before", type=int))
    rows = history(session, member.account_id, cursor=before, limit=HISTORY_PAGE + 1)
    shown = rows[:HISTORY_PAGE]
    moment = now()
    balance = balance_now(session, member, now=moment)
    rules = rules_of(session, member.community_id)
    notices_before = path_id(request.args.get("notices_before", type=int))
    on_notice = notices_for(session, member_id=member.id, cursor=notices_before, limit=NOTICE_PAGE + 1)
    notices = [(notice, state_of(notice, now=moment)) for notice in on_notice[:NOTICE_PAGE]]
    earnings = [transfer.id for _, transfer in shown if transfer.kind == "earn"] + [n.transfer_id for n, _ in notices]
    return render_template(
        "console/member.html", member=member, balance=balance, rows=shown,
        more=rows[HISTORY_PAGE - 1][0].id if len(rows) > HISTORY_PAGE else None,
        reversed=reversed_among(session, earnings), notices=notices,
        more_notices=on_notice[NOTICE_PAGE - 1].id if len(on_notice) > NOTICE_PAGE else None,
        before=before, notices_before=notices_before,  # each table's paging keeps the other's place
        claims=find_claims(session, member_id=member.id, limit=10, newest_first=True),
        vouchers=find_redemptions(session, member_id=member.id, limit=10),
        rules=rules, rule_names=rule_names(session, member.community_id),
        trail=audit_trail(session, member_id=member.id, limit=50),
        audit_names=AUDIT_ACTIONS, message=message, new_key=new_action_key, form=request.form,
        made_password=made_password, communities=communities_to_pick()), status


@blp.get("/console/members/<int:member_id>/card")
def members_card(member_id: int):
    """The member's card (QR, name, number, team), laid out to print and hand over."""
    return render_template("console/member_card.html", member=_member(member_id), communities=communities_to_pick())


@blp.post("/console/members/<int:member_id>/award")
def members_award(member_id: int):
    """`奖励积分`: points under a rule of the member's community (the rule's unless typed), with a memo."""
    member = _member(member_id)
    rule_code, memo = request.form.get("rule_code", "")[:64], request.form.get("memo", "").strip()[:500]
    try:
        points = optional_points(request.form.get("points"))
    except ValueError:
        return _member_page(member, message=sentence("points"), status=422)

    def awarded():
        done = awards.award(db.writer(), current_principal(), member_id=member.id, rule_code=rule_code,
                            points=points, memo=memo, now=now())
        flash(_("已奖励 %(name)s %(points)s 积分。", name=member.name, points=done.record.amount), "done")
        return redirect(url_for(".members_detail", member_id=member.id), code=303)

    return act_once(awarded, _refused(member))


def _earning(member, transfer_id: int):
    """An earning of this member that the principal may see; another member's or community's: 404."""
    record = visible_transfer(db.session(), current_principal(), path_id(transfer_id))
    owner = member_of_transfer(db.session(), record)
    if record.kind != "earn" or owner is None or owner.id != member.id:
        abort(404)
    return record


@blp.get("/console/members/<int:member_id>/entries/<int:transfer_id>/reverse")
def members_reverse(member_id: int, transfer_id: int):
    """`撤销` an earning: the page says first whether its points were already spent, and asks why."""
    member = _member(member_id)
    return _reverse_page(member, _earning(member, transfer_id))


def _reverse_page(member, record, *, message: str | None = None, status: int = 200):
    session = db.session()
    moment = now()
    available = balance_now(session, member, now=moment).available
    notice = notice_of(session, record.id)
    return render_template("console/reverse.html", member=member, record=record, available=available,
                           rule_names=rule_names(session, member.community_id),
                           reversal=reversal_of(session, record.id), notice=notice,
                           on_notice=notice is not None and state_of(notice, now=moment) == "on_notice",
                           message=message, action_key=new_action_key(), communities=communities_to_pick()), status


@blp.post("/console/members/<int:member_id>/entries/<int:transfer_id>/reverse")
def members_reverse_post(member_id: int, transfer_id: int):
    """Take the earning back (once) with the reason given; refused if its points were spent."""
    member = _member(member_id)
    record = _earning(member, transfer_id)
    reason = required_text(request.form.get("reason"), 500)
    if reason is None:
        return _reverse_page(member, record, message=sentence("reason:reversal"), status=422)

    def reversed_():
        awards.reverse_earning(db.writer(), current_principal(), transfer_id=record.id, reason=reason, now=now())
        flash(_("已撤销 %(points)s 积分。", points=record.amount), "done")
        return redirect(url_for(".members_detail", member_id=member.id), code=303)

    return act_once(reversed_, lambda said, status: _reverse_page(member, record, message=said, status=status))


@blp.post("/console/members/<int:member_id>/team")
def members_team(member_id: int):
    """Move the member to another team (empty: none)."""
    member = _member(member_id)
    team = optional_text(request.form.get("team"), 100)

    def changed():
        change_team(db.writer(), current_principal(), member_id=member.id, team=team, now=now())
        flash(_("已修改队伍。"), "done")
        return redirect(url_for(".members_detail", member_id=member.id), code=303)

    return act_once(changed, _refused(member))


@blp.post("/console/members/<int:member_id>/password")
def members_password(member_id: int):
    """Reset the volunteer's password (typed, or made up and shown once); their sessions end."""
    member = _member(member_id)
    password, made_up = new_password(request.form.get("password"))
    if password is None:
        return _member_page(member, message=sentence("password"), status=422)

    def reset():
        reset_password(db.writer(), current_principal(), member_id=member.id, password=password, now=now())
        flash(_("已重置 %(name)s 的密码，其已登录的设备都已退出。", name=member.name), "done")
        return redirect(url_for(".members_detail", member_id=member.id), code=303)

    if not made_up:
        return act_once(reset, _refused(member))
    return act_once_showing(reset, _refused(member), lambda: _member_page(member, made_password=password)[0])


def _refused(member):
    """A refusal on a member's page: the page again, saying it."""
    return lambda said, status: _member_page(member, message=said, status=status)
