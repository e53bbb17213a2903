"""What the console's forms read: optional points, required and optional text, a phone, a password."""
import re

from ...accounts import MIN_PASSWORD
from ...credentials import temporary_password

MAX_POINTS = 1_000_000
PHONE = re.compile(r"^\+?[0-9]{5,20}$")


def optional_points(text: str | None) -> int | None:
    """Points typed into a form: None when left empty; ValueError unless a whole number from 1 up."""
    text = (text or "").strip()
    if not text:
        return None
    points = int(text)
    if not 1 <= points <= MAX_POINTS:
        raise ValueError(f"points must be 1 to {MAX_POINTS}")
    return points


def required_text(text: str | None, limit: int) -> str | None:
    """A field that must be filled (a reason, a name): None when empty or longer than `limit`."""
    text = (text or "").strip()
    return text if text and len(text) <= limit else None


def optional_text(text: str | None, limit: int) -> str | None:
    """A field that may be empty (a team): None when empty; cut to `limit`."""
    return (text or "").strip()[:limit] or None


def phone_number(text: str | None) -> str | None:
    text = (text or "").strip().replace(" ", "")
    return text if PHONE.match(text) else None


def new_password(text: str | None) -> tuple[str | None, bool]:
    """The password to set and whether it was made up here (to be shown once): the one typed, or a
    temporary one when left empty; (None, False) when the one typed is too short."""
    text = (text or "")[:128]
    if not text:
        return temporary_password(), True
    return (text, False) if len(text) >= MIN_PASSWORD else (None, False)
