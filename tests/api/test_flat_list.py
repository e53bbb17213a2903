"""A settlement's items dumped by FlatList are what List(Nested(SettlementLineSchema)) gave, value for
value (None, text, numbers, local times), and a schema that is not flat is refused."""
from datetime import datetime, timezone

import pytest
from marshmallow import Schema, fields

from api.http.fields import FlatList
from api.resources.partners import SettlementLineSchema
from rewards.settlement import SettlementLine


def test_a_flat_list_dumps_as_a_list_of_nested_schemas(app):
    lines = [SettlementLine(1, "GFRH6W43", 7, "段龙斌", "158****5204", 3, "洗衣液", "goods", 1, 100, 0, None,
                            datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc), None, None),
             SettlementLine(2, "=cmd", 8, "陈元龙", "139****0001", 4, "减免物业费", "fee_deduction", 2, 200, 20000,
                            "5栋302", datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc), "物业 前台", 99)]

    class Flat(Schema):
        items = FlatList(SettlementLineSchema, attribute="lines")

    class Nested(Schema):
        items = fields.List(fields.Nested(SettlementLineSchema), attribute="lines")

    with app.app_context():
        flat, nested = Flat().dump({"lines": lines}), Nested().dump({"lines": lines})
    assert flat == nested
    assert flat["items"][1]["fulfilled_at"] == "2027-01-01T00:00:00+08:00"
    assert flat["items"][0]["household"] is None and "receipt_no" not in flat["items"][0]


def test_a_schema_with_a_nested_or_method_field_is_refused():
    class Deep(Schema):
        inner = fields.Nested(SettlementLineSchema)

    class Outer(Schema):
        items = FlatList(Deep)

    with pytest.raises(TypeError, match="not flat"):
        Outer().dump({"items": [{"inner": None}]})
