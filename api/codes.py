"""The service's signed codes, with its secret, clock and public URL filled in."""
from datetime import datetime, timedelta

from flask import current_app, request

from points import codes
from points.activities import Activity

from .http.clock import now


def grace() -> timedelta:
    return timedelta(minutes=current_app.config["CHECKIN_GRACE_MINUTES"])


def public_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_URL") or request.host_url
    return base.rstrip("/") + path


def printed_code(activity: Activity) -> str:
    """The code on an activity's printed QR: valid until its window (plus grace) ends."""
    return codes.sign(_secret(), purpose="activity", subject_id=activity.id, expires_at=activity.ends_at + grace())


def live_code(activity: Activity) -> tuple[str, datetime]:
    """A screen code that lives LIVE_CODE_SECONDS (at most 30 s): a forwarded photo is soon useless."""
    expires_at = now() + timedelta(seconds=min(30, current_app.config["LIVE_CODE_SECONDS"]))
    return codes.sign(_secret(), purpose="live", subject_id=activity.id, expires_at=expires_at), expires_at


def member_code(member_id: int) -> str:
    return codes.sign(_secret(), purpose="member", subject_id=member_id)


def checkin_url(code: str) -> str:
    return public_url(f"/c/{code}")


def read(text: str, *purposes: str) -> codes.Code:
    return codes.read(_secret(), text, now=now(), purposes=purposes)


def _secret() -> str:
    return current_app.config["SECRET_KEY"]
