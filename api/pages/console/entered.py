"""What an organiser typed into a console form, checked by the JSON API's own argument schemas.

A form sends text; the API's schemas take JSON types (and refuse a number sent as text). These
turn the typed text into what JSON would carry, so a form and its JSON twin are validated by the
same schema, and a field's problem becomes one Chinese sentence shown beside that field.
"""
from marshmallow import Schema, ValidationError


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
