"""Hostile bodies and query strings get a 4xx in the contract's format, never a 500."""
import base64

import pytest

from .test_errors import assert_error

DEEP = "[" * 20000 + "]" * 20000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


def post_raw(client, path, data, key=None):
    headers = {**client.headers(key), "Content-Type": "application/json"}
    return client.app.test_client().post(path, data=data, headers=headers)


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, '{"member_id": ' + DEEP + "}"])
def test_deeply_nested_json_is_a_400(organiser, body):
    assert_error(post_raw(organiser, "/api/v1/awards", body), 400, "bad_request")


def test_deeply_nested_json_with_an_idempotency_key_is_a_400(organiser):
    assert_error(post_raw(organiser, "/api/v1/awards", DEEP, key="k1"), 400, "bad_request")


def test_deeply_nested_json_at_login_without_a_token_is_a_400(app):
    response = app.test_client().post("/api/v1/auth/login", data=DEEP, content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_moderately_nested_json_is_refused_before_any_recursion(organiser):
    body = '{"member_id": 1, "rule_code": "patrol", "memo": ' + "[" * 500 + "]" * 500 + "}"
    assert_error(post_raw(organiser, "/api/v1/awards", body), 400, "bad_request")


@pytest.mark.parametrize("digits", [4000, 5000])
def test_huge_integers_are_refused(volunteer, organiser, digits):
    number = "9" * digits
    _, phone = volunteer
    response = post_raw(phone, "/api/v1/checkins", f'{{"code": "x", "lat": {number}, "lng": 1}}')
    assert response.status_code in (400, 422), response.get_json()
    assert_error(response, response.status_code, "bad_request" if response.status_code == 400 else
                 "validation_error")
    response = post_raw(organiser, "/api/v1/awards", f'{{"member_id": {number}, "rule_code": "patrol"}}')
    assert response.status_code in (400, 422)
    assert organiser.get("/api/v1/members", limit=number).status_code == 422


@pytest.mark.parametrize("value", [2**63, 2**64 + 5, 10**40, -1, 0, 2**53])
def test_crafted_cursors_are_a_422(organiser, value):
    cursor = base64.urlsafe_b64encode(f"k{value}".encode()).decode().rstrip("=")
    for path in ("/api/v1/members", "/api/v1/activities", "/api/v1/claims", "/api/v1/rewards",
                 "/api/v1/redemptions"):
        assert_error(organiser.get(path, cursor=cursor), 422, "validation_error")
