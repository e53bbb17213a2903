import pytest
from marshmallow import ValidationError

from api.http.pagination import Cursor, PageArgsSchema, page


def test_a_cursor_round_trips_to_the_id_it_wraps():
    field = Cursor()
    assert field.deserialize(field.serialize("c", {"c": 12345})) == 12345


@pytest.mark.parametrize("garbage", ["", "abc", "!!!", "a3g", "k"])
def test_a_cursor_not_made_here_is_a_validation_error(garbage):
    with pytest.raises(ValidationError):
        Cursor().deserialize(garbage)


def test_limit_is_bounded():
    with pytest.raises(ValidationError):
        PageArgsSchema().load({"limit": 501})
    assert PageArgsSchema().load({})["limit"] == 50


def test_page_offers_a_cursor_only_when_more_rows_exist():
    class Row:
        def __init__(self, id):
            self.id = id
    result = page([Row(3), Row(2), Row(1)], 2)
    assert [row.id for row in result["items"]] == [3, 2] and result["next_cursor"] == 2
    assert page([Row(3)], 2)["next_cursor"] is None
