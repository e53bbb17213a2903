"""Bad input gets the contract's JSON error, never a 500, and leaves nothing behind."""
import pytest
from sqlalchemy import func, select

from points.ledger import Transfer
from points.members import Member


def assert_error(response, status, code):
    body = response.get_json()
    assert response.status_code == status, body
    assert body["code"] == code and body["status"] == status and body["message"]
    return body


def test_an_unknown_path_is_a_json_404(admin):
    assert_error(admin.get("/api/v1/nothing-here"), 404, "not_found")


def test_a_wrong_method_is_a_json_405(admin):
    assert_error(admin.delete("/api/v1/awards"), 405, "method_not_allowed")


def test_a_missing_or_unknown_token_is_401(app, admin):
    assert_error(app.test_client().get("/api/v1/communities"), 401, "unauthorized")
    assert_error(app.test_client().get("/api/v1/communities", headers={"Authorization": "Bearer nope"}),
                 401, "unauthorized")


def test_malformed_json_is_400(organiser):
    response = organiser.app.test_client().post(
        "/api/v1/awards", data="{not json", headers={**organiser.headers(), "Content-Type": "application/json"})
    assert_error(response, 400, "bad_request")


def test_a_body_that_is_not_json_is_400(organiser):
    response = organiser.app.test_client().post(
        "/api/v1/awards", data="member_id=1", headers={**organiser.headers(),
                                                      "Content-Type": "application/x-www-form-urlencoded"})
    assert_error(response, 400, "bad_request")


def test_a_body_over_the_limit_is_413(organiser):
    response = organiser.post("/api/v1/claims", {"rule_code": "x", "description": "长" * 70_000})
    assert_error(response, 413, "payload_too_large")


@pytest.mark.parametrize("body, field", [
    ({}, "member_id"),
    ({"member_id": "one", "rule_code": "patrol"}, "member_id"),
    ({"member_id": 1, "rule_code": "patrol", "points": 0}, "points"),
    ({"member_id": 1, "rule_code": "patrol", "points": -50}, "points"),
    ({"member_id": 1, "rule_code": "patrol", "points": 2.5}, "points"),
    ({"member_id": 1, "rule_code": "x" * 300}, "rule_code"),
    ({"member_id": 1, "rule_code": "patrol", "memo": "m" * 501}, "memo"),
    ({"member_id": 1, "rule_code": "patrol", "surprise": True}, "surprise"),
])
def test_invalid_award_fields_are_named_in_a_422(organiser, body, field, session):
    error = assert_error(organiser.post("/api/v1/awards", body), 422, "validation_error")
    assert field in error["errors"]
    assert session.scalar(select(func.count()).select_from(Transfer)) == 0


def test_an_unknown_member_is_404_and_moves_nothing(organiser, rules, session):
    assert_error(organiser.post("/api/v1/awards", {"member_id": 99999, "rule_code": "patrol"}), 404, "not_found")
    assert session.scalar(select(func.count()).select_from(Transfer)) == 0


def test_an_unknown_rule_is_404(organiser, volunteer, rules):
    member, _ = volunteer
    assert_error(organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "nope"}), 404, "not_found")


def test_a_duplicate_phone_is_409_conflict_and_adds_no_member(organiser, community, volunteer, session):
    member, _ = volunteer
    response = organiser.post("/api/v1/members", {"name": "冒名", "phone": member["phone"],
                                                  "community_id": community["id"]})
    assert_error(response, 409, "conflict")
    assert session.scalar(select(func.count()).select_from(Member)) == 1


def test_404_comes_before_validation_for_a_missing_resource(organiser):
    assert_error(organiser.post("/api/v1/claims/424242/reject", {"reason": 12}), 404, "not_found")


def test_huge_query_strings_are_422_not_500(organiser):
    assert_error(organiser.get("/api/v1/members", q="q" * 5000), 422, "validation_error")
    assert_error(organiser.get("/api/v1/members", limit="lots"), 422, "validation_error")
    assert_error(organiser.get("/api/v1/members", cursor="garbage!"), 422, "validation_error")


def test_chinese_text_comes_back_unescaped(organiser, volunteer):
    member, _ = volunteer
    raw = organiser.get(f"/api/v1/members/{member['id']}").get_data(as_text=True)
    assert "陈元龙" in raw


def test_text_a_database_cannot_store_is_refused_with_the_field_named(organiser, community):
    body = {"name": "夜\u0000巡", "phone": "13900009999", "community_id": community["id"]}
    error = assert_error(organiser.post("/api/v1/members", body), 422, "validation_error")
    assert list(error["errors"]) == ["name"]
    assert_error(organiser.get("/api/v1/members", q="a\u0000b"), 422, "validation_error")


def test_an_id_beyond_any_database_integer_is_just_not_found(organiser):
    assert_error(organiser.get("/api/v1/members/99999999999999999999999"), 404, "not_found")
    assert_error(organiser.get("/api/v1/members/0"), 404, "not_found")
