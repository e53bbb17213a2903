"""The points supermarket: the catalogue, redeeming, and my vouchers (shown, and cancelled while unused)."""
from flask import abort, redirect, render_template, request, url_for

from points.errors import NotFound
from points.members import balance_of
from rewards.catalogue import find_rewards
from rewards.kinds import KINDS
from rewards.partners import get_partner
from rewards.redemptions import Order, find_redemptions, get_redemption
from rewards.vouchers import display

from ...acts import redemptions
from ...http import db
from ...http.clock import now
from ...identity.access import visible_redemption, visible_reward
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp, me


@blp.get("/shop")
def shop():
    """The points supermarket: each kind's rewards with their cost and what is left."""
    member = me()
    rewards = find_rewards(db.session(), community_id=member.community_id, active_only=True, limit=500)
    by_kind = [(kind, [reward for reward in rewards if reward.kind == kind]) for kind in KINDS]
    return render_template("volunteer/shop.html", by_kind=by_kind, balance=balance_of(db.session(), member))


@blp.get("/shop/<int:reward_id>")
def reward(reward_id: int):
    """One reward, with what its kind needs and the button 确认兑换."""
    return _reward_form(visible_reward(db.session(), current_principal(), path_id(reward_id)))


def _reward_form(subject, *, message: str | None = None, status: int = 200, wrong: dict | None = None):
    """The reward, where it is redeemed (its partner) and how often; a refusal said beside its field."""
    partner = get_partner(db.session(), subject.partner_id) if subject.partner_id else None
    return render_template("volunteer/reward.html", reward=subject, partner=partner, message=message,
                           wrong=wrong or {}, form=request.form, balance=balance_of(db.session(), me()),
                           action_key=new_action_key()), status


@blp.post("/shop/<int:reward_id>")
def redeem(reward_id: int):
    """Redeem: the points are held and a voucher issued, once however often the button is pressed."""
    subject = visible_reward(db.session(), current_principal(), path_id(reward_id))
    order, wrong = _order(subject)
    if wrong:
        return _reward_form(subject, wrong=wrong, status=422)

    def redeemed():
        voucher = redemptions.redeem_points(db.writer(), current_principal(), reward_id=subject.id, order=order, now=now())
        return redirect(url_for(".voucher", redemption_id=voucher.id), code=303)

    def refused(said: str, status: int, *, refusal):
        field = getattr(refusal, "field", None)
        if field in ORDER_FIELDS:  # not a multiple of the cost, say: beside the field that was wrong
            return _reward_form(subject, wrong={field: _field_sentence(field, subject)}, status=status)
        return _reward_form(subject, message=said, status=status)

    return act_once(redeemed, refused, with_refusal=True)


ORDER_FIELDS = ("household", "points", "quantity")


def _field_sentence(field: str, subject) -> str:
    return sentence("points:multiple") % {"cost": subject.cost} if field == "points" else sentence(field)


def _order(subject) -> tuple[Order | None, dict]:
    """The order the form describes, or what is wrong with which of its fields."""
    form = request.form
    if KINDS[subject.kind].uses_fen_per_point:  # points in any multiple of the cost, for a household
        household, points = form.get("household", "").strip(), _whole(form.get("points", ""), 10_000_000)
        wrong = {field: _field_sentence(field, subject) for field, good in
                 (("household", household and len(household) <= 100), ("points", points)) if not good}
        return (None, wrong) if wrong else (Order(points=points, household=household), {})
    quantity = _whole(form.get("quantity", "1"), 100)
    return (Order(quantity=quantity), {}) if quantity else (None, {"quantity": _field_sentence("quantity", subject)})


def _whole(text: str, most: int) -> int | None:
    """A whole number from 1 to `most` typed in a field, else None."""
    text = text.strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= most else None


@blp.get("/me/vouchers")
def vouchers():
    """My vouchers, newest first, with their status."""
    rows = find_redemptions(db.session(), member_id=current_principal().member_id, limit=100)
    return render_template("volunteer/vouchers.html", vouchers=rows)


@blp.get("/me/vouchers/<int:redemption_id>")
def voucher(redemption_id: int):
    """A voucher: its QR and short code for the clerk, and 取消兑换 while it can be cancelled."""
    return _voucher_page(_my_voucher(redemption_id))


def _voucher_page(subject, *, message: str | None = None, status: int = 200):
    return render_template("volunteer/voucher.html", voucher=subject, display=display, message=message,
                           action_key=new_action_key()), status


@blp.post("/me/vouchers/<int:redemption_id>/cancel")
def cancel_voucher(redemption_id: int):
    """Cancel an unused voucher: the points come back."""
    subject = _my_voucher(redemption_id)

    def cancelled():
        redemptions.cancel_voucher(db.writer(), current_principal(), redemption_id=subject.id, now=now())
        return redirect(url_for(".voucher", redemption_id=subject.id), code=303)

    def refused(said: str, status: int):
        return _voucher_page(subject, message=said, status=status)

    return act_once(cancelled, refused)


def _my_voucher(redemption_id: int):
    """A voucher of mine; another member's is the 403 page, never their data."""
    session = db.session()
    get_redemption(session, path_id(redemption_id))
    try:
        return visible_redemption(session, current_principal(), redemption_id)
    except NotFound:
        abort(403)
