"""The small web pages: where scanned check-in and voucher codes land, and the venue's screen."""
from flask import Blueprint, current_app, render_template

from rewards.vouchers import display, normalise

blp = Blueprint("pages", __name__)


@blp.get("/c/<code>")
def checkin_page(code: str):
    """A phone that scanned an activity's QR lands here: log in if needed, then check in."""
    return render_template("checkin.html", code=code[:500])


@blp.get("/activities/<id:activity_id>/screen")
def screen_page(activity_id: int):
    """Full-screen rotating check-in code for a screen at the venue (refreshes itself)."""
    refresh = max(5, min(20, current_app.config["LIVE_CODE_SECONDS"] // 3))
    return render_template("screen.html", activity_id=activity_id, refresh_seconds=refresh)


@blp.get("/v/<code>")
def voucher_page(code: str):
    """A clerk who scanned a volunteer's voucher lands here to fulfil it (partner token kept locally)."""
    bare = normalise(code)
    return render_template("voucher.html", code=bare, display=display(bare))
