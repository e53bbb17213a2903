"""Rate limits answer 429 rate_limited with Retry-After; body size is capped at 413."""
import pytest

from api import create_app

from .test_errors import assert_error


@pytest.fixture
def limited(database_url, clock, tmp_path):
    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                       "LOGIN_RATE_LIMIT": "3 per minute", "CHECKIN_RATE_LIMIT": "2 per minute"},
                      clock=clock, instance_path=tmp_path / "limited")


def test_login_attempts_are_limited_per_client(limited):
    client = limited.test_client()
    for _ in range(3):
        assert client.post("/api/v1/auth/login", json={"phone": "13800000000", "password": "guess"}).status_code == 401
    response = client.post("/api/v1/auth/login", json={"phone": "13800000000", "password": "guess"})
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0


def test_checkins_are_limited_per_token(limited):
    phone, other = limited.test_client(), limited.test_client()
    headers = {"Authorization": "Bearer bn_one"}
    for _ in range(2):
        phone.post("/api/v1/checkins", json={"code": "x"}, headers=headers)
    assert_error(phone.post("/api/v1/checkins", json={"code": "x"}, headers=headers), 429, "rate_limited")
    assert other.post("/api/v1/checkins", json={"code": "x"},
                      headers={"Authorization": "Bearer bn_two"}).status_code == 401


def test_limits_are_off_when_disabled(app):
    client = app.test_client()
    statuses = {client.post("/api/v1/auth/login", json={"phone": "1", "password": "x"}).status_code
                for _ in range(15)}
    assert statuses == {401}
