"""The volunteer's pages (mobile first): points, history, check-in, the supermarket, vouchers, tips, card."""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from points.activities import get_activity
from points.checkins import check_out, open_checkins_of
from points.claims import find_claims, submit_claim
from points.errors import DomainError, NotFound
from points.ledger import history
from points.members import balance_of, get_member
from points.rules import rules_of
from rewards.catalogue import KINDS, find_rewards
from rewards.redemptions import Order, cancel, find_redemptions, get_redemption
from rewards.vouchers import display

from .. import codes, db
from ..authentication import current_principal
from ..clock import now
from ..resources import MAX_ID
from ..resources.checkins import check_in_by_code, visible_checkin
from ..resources.redemptions import redeem_for, visible_redemption
from ..resources.rewards import visible_reward
from .blueprint import page_blueprint
from .guard import new_action_key, once_per_action, signed_in
from .refusals import sentence

blp = page_blueprint("volunteer", __name__)
volunteer_only = signed_in("volunteer")
PAGE = 20


@blp.before_request
def _volunteers_only():
    return volunteer_only(lambda: None)()


def me():
    return get_member(db.session(), current_principal().member_id)


@blp.get("/me")
def home():
    """Name, available and held points, open hourly check-ins to check out of, and the way to everything else."""
    member = me()
    return render_template("volunteer/home.html", member=member, balance=balance_of(db.session(), member),
                           open_checkins=_with_activities(open_checkins_of(db.session(), member.id)),
                           action_key=new_action_key())


@blp.get("/me/entries")
def entries():
    """The points history, newest first, a page at a time."""
    before = request.args.get("before", type=int)
    rows = history(db.session(), me().account_id, before_id=_id_or_none(before), limit=PAGE + 1)
    more = rows[PAGE - 1][0].id if len(rows) > PAGE else None
    return render_template("volunteer/entries.html", rows=rows[:PAGE], more=more)


@blp.get("/scan")
def scan():
    """Scan an activity's QR with the camera, or type its code."""
    return _scan_form()


def _scan_form(*, message: str | None = None, status: int = 200, code: str = ""):
    return render_template("volunteer/scan.html", message=message, code=code, action_key=new_action_key()), status


@blp.post("/scan")
def scan_post():
    """Check in with the typed or scanned code (and the phone's position when the activity has a place)."""
    text = request.form.get("code", "").strip()[:500]
    if not text:
        return _scan_form(message=sentence("invalid_code"), status=422)
    where = {name: _coordinate(request.form.get(name), limit) for name, limit in (("lat", 90), ("lng", 180))}
    response = once_per_action(lambda: redirect(url_for(".checkin", checkin_id=check_in_by_code(text, **where).id),
                                                code=303))
    code = _refusal(response)
    if code is None:
        return response
    if code == "outside_area" and where["lat"] is None:
        code = "location_unavailable"
    return _scan_form(message=sentence(code), status=response.status_code, code=text)


@blp.get("/c/<path:code>")
def scanned(code: str):
    """Where a phone's camera or WeChat lands from a printed or screen code: checks in at once."""
    code = code[:500]
    try:
        activity = get_activity(db.session(), codes.read(code, "activity", "live").subject_id)
    except DomainError as refusal:
        return _scan_form(message=sentence(refusal.code), status=200)
    return render_template("volunteer/checkin.html", code=code, activity=activity,
                           needs_place=activity.radius_m is not None, action_key=new_action_key())


@blp.get("/me/checkins/<int:checkin_id>")
def checkin(checkin_id: int):
    """A check-in's result: the points earned, or that they await review or a check-out."""
    found = visible_checkin(db.session(), _id(checkin_id))
    return render_template("volunteer/checkin_result.html", checkin=found,
                           activity=get_activity(db.session(), found.activity_id), action_key=new_action_key())


@blp.post("/me/checkins/<int:checkin_id>/checkout")
def checkout(checkin_id: int):
    """Check out of an hourly activity: the hours served are paid."""
    found = visible_checkin(db.session(), _id(checkin_id))
    response = once_per_action(lambda: (check_out(db.writer(), checkin=found, now=now()),
                                        redirect(url_for(".checkin", checkin_id=found.id), code=303))[1])
    code = _refusal(response)
    if code is None:
        return response
    return render_template("site/error.html", message=sentence(code), status=response.status_code), \
        response.status_code


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
    return _reward_form(visible_reward(db.session(), _id(reward_id)))


def _reward_form(subject, *, message: str | None = None, status: int = 200):
    return render_template("volunteer/reward.html", reward=subject, message=message, form=request.form,
                           balance=balance_of(db.session(), me()), action_key=new_action_key()), status


@blp.post("/shop/<int:reward_id>")
def redeem(reward_id: int):
    """Redeem: the points are held and a voucher issued, once however often the button is pressed."""
    subject = visible_reward(db.session(), _id(reward_id))
    order = _order(subject)
    if order is None:
        return _reward_form(subject, message=sentence("validation_error"), status=422)
    response = once_per_action(lambda: redirect(url_for(".voucher", redemption_id=redeem_for(
        None, reward_id=subject.id, order=order).id), code=303))
    code = _refusal(response)
    if code is None:
        return response
    return _reward_form(subject, message=sentence(code), status=response.status_code)


def _order(subject) -> Order | None:
    """The order the form describes, or None if a field is missing or out of range."""
    try:
        if subject.kind == "fee_deduction":
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
    return render_template("volunteer/voucher.html", voucher=_my_voucher(redemption_id),
                           display=display, action_key=new_action_key())


@blp.post("/me/vouchers/<int:redemption_id>/cancel")
def cancel_voucher(redemption_id: int):
    """Cancel an unused voucher: the points come back."""
    subject = _my_voucher(redemption_id)
    response = once_per_action(lambda: (cancel(db.writer(), redemption=subject, now=now()),
                                        redirect(url_for(".voucher", redemption_id=subject.id), code=303))[1])
    code = _refusal(response)
    if code is None:
        return response
    return render_template("volunteer/voucher.html", voucher=subject, display=display, message=sentence(code),
                           action_key=new_action_key()), response.status_code


def _my_voucher(redemption_id: int):
    """A voucher of mine; another member's is the 403 page, never their data."""
    session = db.session()
    get_redemption(session, _id(redemption_id))
    try:
        return visible_redemption(session, redemption_id)
    except NotFound:
        abort(403)


@blp.get("/me/claims")
def claims():
    """My tips and mediations, and whether they were approved."""
    rows = find_claims(db.session(), member_id=current_principal().member_id, limit=200)
    names = {rule.code: rule.name for rule in rules_of(db.session(), me().community_id)}
    return render_template("volunteer/claims.html", claims=list(reversed(rows)), names=names)


@blp.get("/me/claims/new")
def new_claim():
    """Submit a tip (a rented flat, a dispute...) for an organiser to review."""
    return _claim_form()


def _claim_form(*, message: str | None = None, status: int = 200):
    kinds = [rule for rule in rules_of(db.session(), me().community_id) if rule.requires_review]
    return render_template("volunteer/claim_new.html", kinds=kinds, message=message, form=request.form,
                           action_key=new_action_key()), status


@blp.post("/me/claims/new")
def new_claim_post():
    rule_code = request.form.get("rule_code", "")[:64]
    description = request.form.get("description", "").strip()
    if not rule_code or not description or len(description) > 2000:
        return _claim_form(message=sentence("validation_error"), status=422)
    response = once_per_action(lambda: (submit_claim(db.writer(), member=me(), rule_code=rule_code,
                                                     description=description, now=now()),
                                        redirect(url_for(".claims"), code=303))[1])
    code = _refusal(response)
    if code is None:
        return response
    return _claim_form(message=sentence(code), status=response.status_code)


@blp.get("/leaderboard")
def leaderboard():
    """The community's ranking (its page comes with the reports): for now, says so."""
    return render_template("site/coming.html", title=_("排行榜"))


@blp.get("/me/card")
def card():
    """My member card: an organiser scans it to check me in when I have no phone with me."""
    return render_template("volunteer/card.html", member=me())


def _with_activities(checkins):
    session = db.session()
    return [(checkin, get_activity(session, checkin.activity_id)) for checkin in checkins]


def _refusal(response) -> str | None:
    """The refusal code of an action's answer, or None when it succeeded."""
    if response.status_code < 400:
        return None
    body = response.get_json(silent=True) or {}
    return body.get("code", "internal_error")


def _coordinate(value: str | None, limit: float) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and -limit <= number <= limit else None


def _id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        abort(404)
    return value


def _id_or_none(value: int | None) -> int | None:
    return value if value is not None and 1 <= value <= MAX_ID else None
