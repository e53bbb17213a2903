"""The service's signed codes, with its secret, clock and public URL filled in."""
from datetime import datetime, timedelta

from flask import current_app, request

from points import codes, short_codes
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
    expires_at = now() + timedelta(seconds=_live_seconds())
    return codes.sign(_secret(), purpose="live", subject_id=activity.id, expires_at=expires_at), expires_at


def member_code(member_id: int) -> str:
    return codes.sign(_secret(), purpose="member", subject_id=member_id)


def short_code(activity: Activity) -> str:
    """The activity's 6-character code, printed under the poster's QR for those who type it."""
    return short_codes.short_code(_secret(), activity.id)


def live_short_code(activity: Activity, *, slots_ago: int = 0) -> str:
    """The short code the venue screen shows beside its QR now; it changes as often as the QR."""
    slot = short_codes.time_slot(now(), _live_seconds()) - slots_ago
    return short_codes.live_short_code(_secret(), activity.id, slot)


def is_live_short_code(activity: Activity, typed: str) -> bool:
    """Whether `typed` is the screen's short code now or one slot ago (read off the screen, typed late)."""
    typed = short_codes.normalise(typed)
    return any(live_short_code(activity, slots_ago=ago) == typed for ago in (0, 1))


def activity_of_short_code(typed: str) -> int:
    return short_codes.activity_of_short_code(_secret(), typed)


def checkin_url(code: str) -> str:
    return public_url(f"/c/{code}")


def read(text: str, *purposes: str) -> codes.Code:
    return codes.read(_secret(), text, now=now(), purposes=purposes)


def _live_seconds() -> int:
    return min(30, current_app.config["LIVE_CODE_SECONDS"])


def _secret() -> str:
    return current_app.config["SECRET_KEY"]
