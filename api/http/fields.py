"""Marshmallow fields shared by the resources."""
from datetime import datetime

from marshmallow import ValidationError, fields, validate

from .clock import zone
from .smorest import MAX_ID, RULE_CODE


class LocalDateTime(fields.DateTime):
    """ISO 8601 with offset, shown in the service's zone; a time given without offset is local."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        return None if value is None else value.astimezone(zone()).isoformat()

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        parsed = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone())
        if not 2000 <= parsed.year <= 2200:
            raise ValidationError("year must be between 2000 and 2200")
        return parsed


MAX_POINTS = 1_000_000  # one award, reversal or approval at most


def Name(max_length: int = 100, **kwargs) -> fields.String:  # noqa: N802 (a field factory reads as a type)
    """A required, trimmed, non-empty string of bounded length."""
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def Points(**kwargs) -> fields.Integer:  # noqa: N802
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_POINTS), **kwargs)


def Id(*, strict: bool = True, **kwargs) -> fields.Integer:  # noqa: N802
    """A positive id; JSON bodies must send a number (`strict`), query strings send text."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def QueryId(**kwargs) -> fields.Integer:  # noqa: N802
    return Id(strict=False, **kwargs)


def RuleCode(**kwargs) -> fields.String:  # noqa: N802
    """A rule's code: what the `<rule_code:...>` route converter also matches."""
    return fields.String(validate=validate.Regexp(f"^{RULE_CODE}$", error="lower-case letters, digits and _ "
                                                  "(at most 64), starting with a letter"), **kwargs)


class FlatList(fields.List):
    """A list of objects of a flat schema (plain fields only), dumped as `List(Nested(schema))` would,
    but without marshmallow's per-field machinery for each item: each field's own `_serialize` on the
    attribute it names. For lists that run to thousands (a partner's whole settlement)."""

    def __init__(self, schema: type, **kwargs):
        super().__init__(fields.Nested(schema), **kwargs)
        self._plan: list | None = None

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if self._plan is None:
            shown = self.inner.schema.dump_fields
            if any(isinstance(field, (fields.Nested, fields.List, fields.Method, fields.Function))
                   for field in shown.values()):
                raise TypeError(f"{type(self.inner.schema).__name__} is not flat: dump it with List(Nested())")
            self._plan = [(field.data_key or name, field.attribute or name, field._serialize)
                          for name, field in shown.items()]
        plan = self._plan
        return [{key: dump(getattr(item, attribute), attribute, item) for key, attribute, dump in plan}
                for item in value]
