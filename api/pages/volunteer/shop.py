"""The points supermarket: the catalogue, redeeming, and my vouchers (shown, and cancelled while unused)."""
from flask import abort, redirect, render_template, request, url_for

from points.errors import NotFound
from points.members import balance_of
from rewards.catalogue import find_rewards
from rewards.kinds import KINDS
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


def _reward_form(subject, *, message: str | None = None, status: int = 200):
    return render_template("volunteer/reward.html", reward=subject, message=message, form=request.form,
                           balance=balance_of(db.session(), me()), action_key=new_action_key()), status


@blp.post("/shop/<int:reward_id>")
def redeem(reward_id: int):
    """Redeem: the points are held and a voucher issued, once however often the button is pressed."""
    subject = visible_reward(db.session(), current_principal(), path_id(reward_id))
    order = _order(subject)
    if order is None:
        return _reward_form(subject, message=sentence("validation_error"), status=422)

    def redeemed():
        voucher = redemptions.redeem_points(db.writer(), current_principal(), reward_id=subject.id, order=order, now=now())
        return redirect(url_for(".voucher", redemption_id=voucher.id), code=303)

    def refused(said: str, status: int):
        return _reward_form(subject, message=said, status=status)

    return act_once(redeemed, refused)


def _order(subject) -> Order | None:
    """The order the form describes, or None if a field is missing or out of range."""
    try:
        if KINDS[subject.kind].uses_fen_per_point:  # points in any multiple of the cost, for a household
            household = request.form.get("household", "").strip()
            points = int(request.form.get("points", ""))
            if not household or len(household) > 100 or not 1 <= points <= 10_000_000:
                return None
            return Order(points=points, household=household)
        quantity = int(request.form.get("quantity", "1"))
        return Order(quantity=quantity) if 1 <= quantity <= 100 else None
    except ValueError:
        return None


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
