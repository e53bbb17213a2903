"""What people type is taken as they would type it: rules without an English code get one, and phones are mainland
mobiles (11 digits starting with 1) unless BENNIU_PHONE_PATTERN says otherwise."""
import pytest

from api import create_app
from points.phones import MAINLAND_MOBILE, is_phone, phone_typed, use_phone_pattern

from .test_errors import assert_error


def test_a_rule_without_a_code_gets_the_next_free_one(organiser, rules):
    made = organiser.post("/api/v1/rules", {"name": "清理楼道杂物", "points": 20, "basis": "per_event"}, expect=201).json
    assert made["code"] == "rule_4"   # three rules already
    organiser.post("/api/v1/rules", {"code": "rule_5", "name": "占位", "points": 1, "basis": "per_event"}, expect=201)
    again = organiser.post("/api/v1/rules", {"name": "夜间守望", "points": 30, "basis": "per_event"}, expect=201).json
    assert again["code"] == "rule_6"
    listed = {rule["code"]: rule["name"] for rule in organiser.get("/api/v1/rules").json["items"]}
    assert listed["rule_4"] == "清理楼道杂物" and listed["rule_6"] == "夜间守望"


@pytest.mark.parametrize("phone", ["12345", "1380000000", "138000000012", "23800000001", "+8613800000001"])
def test_a_phone_that_is_not_a_mainland_mobile_is_refused(organiser, community, phone):
    answer = organiser.post("/api/v1/members", {"name": "陈元龙", "phone": phone, "community_id": community["id"]})
    assert_error(answer, 422, "validation_error")
    assert "phone" in answer.json["errors"]


def test_typed_phones_lose_their_spaces_dashes_and_country_code_but_must_be_mobiles():
    assert phone_typed(" 138-0000 0001 ") == "13800000001" and phone_typed("+86 138 0000 0001") == "13800000001"
    assert phone_typed("12345") is None and phone_typed("02012345678") is None


def test_the_pattern_is_a_setting(database_url, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("BENNIU_PHONE_PATTERN", r"[0-9]{5,20}")
    try:
        app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s"}, clock=clock, instance_path=tmp_path)
        assert app.config["PHONE_PATTERN"] == r"[0-9]{5,20}" and is_phone("12345")
        app.extensions["benniu"].engine.dispose()
    finally:
        use_phone_pattern(MAINLAND_MOBILE)
    assert not is_phone("12345")
