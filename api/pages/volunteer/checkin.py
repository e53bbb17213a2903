"""Checking in: the camera or a typed code on /scan, a scanned link on /c/<code>, checking out, and
undoing a check-out within 10 minutes."""
from flask import redirect, render_template, request, url_for

from points.activities import get_activity
from points.corrections import undoable_by_member
from points.errors import DomainError

from ... import codes
from ...acts.checkins import check_in_by_code, check_out_now
from ...acts.corrections import undo_check_out
from ...http import db
from ...http.clock import now
from ...http.limits import checkin_limit, code_guess_limits
from ...identity.access import visible_checkin
from ...identity.authentication import current_principal
from ..blueprint import path_id
from ..errors import said_page
from ..guard import act_once, new_action_key
from ..refusals import sentence
from .base import blp


@blp.get("/scan")
def scan():
    """Scan an activity's QR with the camera, or type its code."""
    return _scan_form()


def _scan_form(*, message: str | None = None, status: int = 200, code: str = "", wrong: dict | None = None):
    return render_template("volunteer/scan.html", message=message, code=code, wrong=wrong or {},
                           action_key=new_action_key()), status


@blp.post("/scan")
@checkin_limit()
@code_guess_limits
def scan_post():
    """Check in with the typed or scanned code (and the phone's position when the activity has a place)."""
    text = request.form.get("code", "").strip()[:500]
    if not text:
        return _scan_form(wrong={"code": sentence("invalid_code")}, status=422)
    where = {name: _coordinate(request.form.get(name), limit) for name, limit in (("lat", 90), ("lng", 180))}

    def checked_in():
        checkin = check_in_by_code(db.writer(), current_principal(), code=text, now=now(), **where)
        return redirect(url_for(".checkin", checkin_id=checkin.id), code=303)

    def refused(said: str, status: int, *, refusal):
        if refusal.code == "outside_area" and where["lat"] is None:
            said = sentence("location_unavailable")  # the phone gave no position: say so, not "you are elsewhere"
        if refusal.code == "invalid_code":  # what was typed is wrong: said beside it
            return _scan_form(wrong={"code": said}, status=status, code=text)
        return _scan_form(message=said, status=status, code=text)

    return act_once(checked_in, refused, with_refusal=True)


@blp.get("/c/<path:code>")
def scanned(code: str):
    """Where a phone's camera or WeChat lands from a printed or screen code: the page checks in at once."""
    code = code[:500]
    try:
        activity = get_activity(db.session(), codes.read(code, "activity", "live").subject_id)
    except DomainError as refusal:
        return _scan_form(message=sentence(refusal.code))
    return render_template("volunteer/checkin.html", code=code, activity=activity,
                           needs_place=activity.radius_m is not None, action_key=new_action_key())


@blp.get("/me/checkins/<int:checkin_id>")
def checkin(checkin_id: int):
    """A check-in's result: the points earned, or that they await review or a check-out."""
    found = visible_checkin(db.session(), current_principal(), path_id(checkin_id))
    return render_template("volunteer/checkin_result.html", checkin=found,
                           activity=get_activity(db.session(), found.activity_id), action_key=new_action_key(),
                           undoable=undoable_by_member(found, now=now()))


@blp.post("/me/checkins/<int:checkin_id>/checkout")
def checkout(checkin_id: int):
    """Check out of an hourly activity: the hours served are paid."""
    found = visible_checkin(db.session(), current_principal(), path_id(checkin_id))

    def checked_out():
        check_out_now(db.writer(), current_principal(), checkin_id=found.id, now=now())
        return redirect(url_for(".checkin", checkin_id=found.id), code=303)

    return act_once(checked_out, said_page)


@blp.post("/me/checkins/<int:checkin_id>/undo-checkout")
def undo_checkout(checkin_id: int):
    """`撤销签退` within 10 minutes of checking out: the points are taken back and the check-in is open again."""
    found = visible_checkin(db.session(), current_principal(), path_id(checkin_id))

    def undone():
        undo_check_out(db.writer(), current_principal(), checkin_id=found.id, now=now())
        return redirect(url_for(".checkin", checkin_id=found.id), code=303)

    return act_once(undone, said_page)


def _coordinate(value: str | None, limit: float) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and -limit <= number <= limit else None
