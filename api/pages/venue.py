"""Pages at the venue and the counter: the rotating check-in screen, and where a scanned voucher lands."""
from flask import current_app, flash, redirect, render_template, url_for

from points.activities import ActivityNotOpen, ensure_open
from points.errors import DomainError
from points.members import get_member
from rewards.redemptions import fulfil
from rewards.vouchers import display, normalise

from .. import codes, db, events
from ..access import fulfillable_voucher, visible_activity
from ..authentication import current_principal
from ..clock import now
from .blueprint import page_blueprint
from .guard import new_action_key, once_per_action, signed_in
from .refusals import sentence

blp = page_blueprint("venue", __name__)


@blp.get("/activities/<int:activity_id>/screen")
@signed_in("organiser", "admin")
def screen(activity_id: int):
    """Full-screen rotating check-in code for a screen at the venue; it says so once the activity is over."""
    activity = visible_activity(db.session(), current_principal(), activity_id)
    try:
        ensure_open(activity, now=now(), grace=codes.grace())
    except ActivityNotOpen:
        state = "ended" if now() > activity.starts_at else "not_yet"
        return render_template("venue/screen.html", activity=activity, state=state)
    refresh = max(5, min(20, current_app.config["LIVE_CODE_SECONDS"] // 3))
    return render_template("venue/screen.html", activity=activity, state="open", refresh_seconds=refresh)


@blp.get("/v/<code>")
@signed_in("partner", "organiser", "admin")
def voucher(code: str):
    """Where a clerk's scan of a voucher lands: what it is for, and 确认核销 while it is unused."""
    try:
        subject = fulfillable_voucher(db.session(), current_principal(), normalise(code[:300]))
    except DomainError as refusal:
        return render_template("venue/voucher.html", refusal=sentence(refusal.code), code=display(normalise(code))), \
            200
    return render_template("venue/voucher.html", voucher=subject, display=display(subject.voucher_code),
                           action_key=new_action_key(), member=_masked(subject))


@blp.post("/v/<code>")
@signed_in("partner", "organiser", "admin")
def fulfil_voucher(code: str):
    """Fulfil the voucher, once per press: a used one is shown as used, with when, never as a new success."""
    subject = fulfillable_voucher(db.session(), current_principal(), normalise(code[:300]))

    def fulfilled():
        events.redemption_changed("fulfilment", fulfil(db.writer(), redemption=subject, now=now(),
                                                       by=current_principal().actor))
        flash("fulfilled")
        return redirect(url_for(".voucher", code=subject.voucher_code), code=303)

    response = once_per_action(fulfilled)
    if response.status_code >= 400:
        return redirect(url_for(".voucher", code=subject.voucher_code), code=303)
    return response


def _masked(subject) -> str:
    name = get_member(db.session(), subject.member_id).name
    return name[:1] + "*" * max(1, len(name) - 1)
