"""Pages at the venue: the rotating check-in screen."""
from flask import current_app, render_template

from points.activities import ActivityNotOpen, ensure_open

from .. import codes
from ..http import db
from ..http.clock import now
from ..identity.access import visible_activity
from ..identity.authentication import current_principal
from .blueprint import page_blueprint
from .guard import signed_in

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
