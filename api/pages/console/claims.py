"""`/console/claims`: the review queue — pending first, oldest first, filtered by status and rule;
each tip with its member and their recent history, approved (optionally with other points) or
rejected with a reason, once, through `api.acts.organising`."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.claims import STATUSES, recent_claims, review_queue
from points.members import get_member, members_by_id
from points.photos import kept_photos
from points.rules import rules_of
from points.statement import recent_histories

from ...acts.claims import approve, reject
from ...acts.tips import open_tip_photo
from ...http import db
from ...http.clock import now
from ...http.photo_store import photo_store
from ...identity.access import reads_claim, visible_claim
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, new_action_key
from .base import blp, communities_to_pick, viewed_community_id
from .entered import optional_points, required_text

PAGE = 20
RECENT = 3


@blp.get("/console/claims")
def claims():
    """The review queue: each tip's text, its member and their recent history, and 通过 / 驳回."""
    return _queue()


def _filters() -> dict:
    """The queue's filters as the address carries them: status (default pending; `all`) and rule."""
    status = request.args.get("status", "pending")
    return {"status": status if status in (*STATUSES, "all") else "pending", "rule": request.args.get("rule", "")[:64]}


def _queue(*, message: str | None = None, status: int = 200):
    session, filters = db.session(), _filters()
    community_id = viewed_community_id()
    after = path_id(request.args.get("after", type=int))
    rows = review_queue(session, community_id=community_id,
                        status=None if filters["status"] == "all" else filters["status"],
                        rule_code=filters["rule"] or None, limit=PAGE + 1,
                        after=visible_claim(session, current_principal(), after) if after else None)
    rules = rules_of(session, community_id)
    names = {(rule.community_id, rule.code): rule.name for rule in rules}
    items = _items(session, rows[:PAGE])
    return render_template("console/claims.html", items=items, names=names, filters=filters, message=message,
                           rule_choices=sorted({(rule.code, rule.name) for rule in rules}),
                           more=rows[PAGE - 1].id if len(rows) > PAGE else None, new_key=new_action_key,
                           communities=communities_to_pick()), status


def _items(session, claims: list) -> list[dict]:
    """Each claim with its member and what they did lately (their last entries and other claims),
    in the same few queries however many claims the page shows."""
    members = members_by_id(session, {claim.member_id for claim in claims})
    histories = recent_histories(session, [member.account_id for member in members.values()], limit=RECENT)
    their_claims = recent_claims(session, list(members), limit=RECENT + 1)
    readable = [claim for claim in claims  # its text and photos: police (sees_tips) only
                if reads_claim(session, current_principal(), claim)]
    kept_photos(session, readable)
    items = []
    for claim in claims:
        member = members[claim.member_id]
        others = [other for other in their_claims[member.id] if other.id != claim.id][:RECENT]
        items.append({"claim": claim, "member": member, "entries": histories[member.account_id], "claims": others,
                      "readable": claim in readable, "photos": claim.kept_photos if claim in readable else []})
    return items


@blp.get("/console/claims/<int:claim_id>/photos/<int:n>")
def claims_photo(claim_id: int, n: int):
    """One photo of a tip, for staff who see tips; the audit trail notes who opened it."""
    data, mimetype = open_tip_photo(db.writer(), current_principal(), claim_id=path_id(claim_id), position=n,
                                    store=photo_store(), now=now())
    return Response(data, mimetype=mimetype)


@blp.post("/console/claims/<int:claim_id>/approve")
def claims_approve(claim_id: int):
    """`通过`: the claim's points (or the points typed) are awarded, once."""
    claim = visible_claim(db.session(), current_principal(), path_id(claim_id))
    try:
        points = optional_points(request.form.get("points"))
    except ValueError:
        return _queue(message=_("积分请填写正整数，或留空按规则发放。"), status=422)

    def approved():
        done = approve(db.writer(), current_principal(), claim_id=claim.id, points=points, now=now())
        flash(_("已通过：%(name)s 获得 %(points)s 积分。", name=get_member(db.session(), done.member_id).name,
                points=done.points), "done")
        return redirect(url_for(".claims", **_filters()), code=303)

    return act_once(approved, _refused)


@blp.post("/console/claims/<int:claim_id>/reject")
def claims_reject(claim_id: int):
    """`驳回` with a reason (required); no points move."""
    claim = visible_claim(db.session(), current_principal(), path_id(claim_id))
    reason = required_text(request.form.get("reason"), 500)
    if reason is None:
        return _queue(message=_("驳回时请填写原因。"), status=422)

    def rejected():
        reject(db.writer(), current_principal(), claim_id=claim.id, reason=reason, now=now())
        flash(_("已驳回这条线索。"), "done")
        return redirect(url_for(".claims", **_filters()), code=303)

    return act_once(rejected, _refused)


def _refused(sentence: str, status: int):
    return _queue(message=sentence, status=status)
