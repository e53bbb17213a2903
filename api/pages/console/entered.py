"""What an organiser typed into a console form, checked by the JSON API's own argument schemas.

A form sends text; the API's schemas take JSON types (and refuse a number sent as text). These
turn the typed text into what JSON would carry, so a form and its JSON twin are validated by the
same schema, and a field's problem becomes one Chinese sentence shown beside that field.
Fields no API schema covers (points, a reason, a phone, a new password) are read by the
functions below them.
"""
from marshmallow import Schema, ValidationError

from points.phones import phone_typed

from ...http.fields import MAX_POINTS
from ...identity.accounts import MIN_PASSWORD
from ...identity.credentials import temporary_password


def integer(text: str | None) -> int | str | None:
    """A whole number as typed: None when empty; text that is not one stays text (the schema refuses it)."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 12 else text


def number(text: str | None) -> float | str | None:
    """A decimal number as typed (a latitude): None when empty, else as `integer`."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text) if len(text) <= 30 else text
    except ValueError:
        return text


def load(schema: Schema, data: dict, sentences: dict[str, str]) -> tuple[dict | None, dict[str, str]]:
    """The schema's loaded args, or None and a sentence for each field it refused (by field name)."""
    try:
        return schema.load(data), {}
    except ValidationError as error:
        fields = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return None, {field: str(sentences.get(field, sentences["_schema"])) for field in fields}


def refused_fields(response) -> list[str]:
    """The fields a refused act's JSON answer names (a domain rule on the input, such as the window)."""
    return list(((response.get_json(silent=True) or {}).get("errors") or {"_schema": []}))


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
    """A phone people may be registered with (BENNIU_PHONE_PATTERN), as typed; None if it is not one."""
    return phone_typed(text)


def new_password(text: str | None) -> tuple[str | None, bool]:
    """The password to set and whether it was made up here (to be shown once): the one typed, or a
    temporary one when left empty; (None, False) when the one typed is too short."""
    text = (text or "")[:128]
    if not text:
        return temporary_password(), True
    return (text, False) if len(text) >= MIN_PASSWORD else (None, False)
