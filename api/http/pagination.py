"""Keyset pagination: `?limit=&cursor=` in, `{items, next_cursor}` out; page N costs what page 1 does."""
import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

from .smorest import MAX_ID


class Cursor(fields.String):
    """An opaque cursor wrapping the last id of the previous page."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else base64.urlsafe_b64encode(f"k{value}".encode()).decode().rstrip("=")

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 64:
            raise ValidationError("not a cursor from this service")
        try:
            decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            if not decoded.startswith("k"):
                raise ValueError
            key = int(decoded[1:])
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ValidationError("not a cursor from this service") from None
        if not 1 <= key <= MAX_ID:  # a crafted one: beyond what the database's integers hold
            raise ValidationError("not a cursor from this service")
        return key


class PageArgsSchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = Cursor(load_default=None)


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The `{items, next_cursor}` envelope around `item_schema`."""
    return type(f"{item_schema.__name__.removesuffix('Schema')}PageSchema", (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": Cursor(allow_none=True, required=True),
    })


def keyset_page(finder, session, args: dict, *, key=lambda row: row.id, **filters) -> dict:
    """One page of a list: `finder(session, cursor=, limit=, **filters)` is asked for one row
    more than `?limit=`, which tells whether a next page exists."""
    return page(finder(session, cursor=args["cursor"], limit=args["limit"] + 1, **filters), args["limit"], key)


def page(rows: list, limit: int, key=lambda row: row.id) -> dict:
    """Build the envelope from up to `limit + 1` rows (the extra one says a next page exists)."""
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": key(rows[-1]) if more and rows else None}
