"""Idempotency-Key: same key and body -> same answer, no second effect; other body -> 422."""
from .test_errors import assert_error


def test_a_retry_with_the_same_key_replays_the_answer(organiser, volunteer, rules):
    member, phone = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol"}
    first = organiser.post("/api/v1/awards", body, key="k-1")
    again = organiser.post("/api/v1/awards", body, key="k-1")
    assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50


def test_a_key_reused_with_another_body_is_refused(organiser, volunteer, rules):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="k-2", expect=201)
    response = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": 5},
                              key="k-2")
    assert_error(response, 422, "idempotency_conflict")


def test_a_refusal_is_replayed_even_after_it_would_no_longer_apply(organiser, volunteer, rules):
    member, phone = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol", "points": 500}
    assert_error(organiser.post("/api/v1/awards", body, key="k-3"), 409, "limit_reached")
    organiser.put("/api/v1/rules/patrol", {"daily_cap": 1000})  # the same request would pass now
    assert_error(organiser.post("/api/v1/awards", body, key="k-3"), 409, "limit_reached")
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    organiser.post("/api/v1/awards", body, key="k-3b", expect=201)


def test_an_invalid_request_does_not_use_up_its_key(organiser, volunteer, rules):
    member, phone = volunteer
    assert_error(organiser.post("/api/v1/awards", {"member_id": member["id"]}, key="k-4"), 422, "validation_error")
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="k-4", expect=201)


def test_keys_belong_to_their_principal(organiser, enrol, rules):
    (_, mine), (_, theirs) = enrol(), enrol(name="王秀英")
    for phone in (mine, theirs):
        phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "同一把钥匙"}, key="same")
    assert len(organiser.get("/api/v1/claims").json["items"]) == 2


def test_a_key_longer_than_255_is_invalid(organiser, volunteer, rules):
    member, _ = volunteer
    response = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="k" * 256)
    assert_error(response, 422, "validation_error")


def test_a_key_is_forgotten_after_a_day(organiser, volunteer, rules, clock):
    member, phone = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol"}
    organiser.post("/api/v1/awards", body, key="daily", expect=201)
    clock.advance(hours=25)
    organiser.post("/api/v1/awards", body, key="daily", expect=201)
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 100
