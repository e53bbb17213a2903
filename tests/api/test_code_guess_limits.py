"""Short codes are 6 characters: typed codes that name nothing are counted per volunteer and per address,
and past either limit check-ins are refused (429) until the window moves on."""
import pytest

from api import create_app

from .test_checkins import make_activity  # noqa: F401  (fixture)
from .test_errors import assert_error

WRONG = ("222222", "333333", "444444", "555555", "666666", "777777")


@pytest.fixture
def app(database_url, clock, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                      "PUBLIC_URL": "https://benniu.test", "CODE_GUESS_RATE_LIMIT": "3 per 10 minutes",
                      "CODE_GUESS_ADDRESS_RATE_LIMIT": "5 per 10 minutes"},
                     clock=clock, instance_path=tmp_path / "instance")
    yield app
    app.extensions["benniu"].engine.dispose()


def typed(app, client, code, address):
    return app.test_client().post("/api/v1/checkins", json={"code": code}, headers=client.headers(),
                                  environ_base={"REMOTE_ADDR": address})


def test_a_volunteer_who_keeps_guessing_is_stopped_even_with_the_right_code(app, make_activity, volunteer):  # noqa: F811
    patrol = make_activity()
    _, phone = volunteer
    for code in WRONG[:3]:
        assert_error(typed(app, phone, code, "10.0.0.1"), 422, "invalid_code")
    assert_error(typed(app, phone, patrol["short_code"], "10.0.0.2"), 429, "rate_limited")


def test_guesses_from_one_address_are_counted_together(app, make_activity, enrol):  # noqa: F811
    patrol = make_activity()
    (_, first), (_, second), (_, third) = enrol(), enrol(name="第二位"), enrol(name="第三位")
    for code in WRONG[:3]:
        assert_error(typed(app, first, code, "10.0.0.1"), 422, "invalid_code")
    for code in WRONG[3:5]:
        assert_error(typed(app, second, code, "10.0.0.1"), 422, "invalid_code")
    assert_error(typed(app, third, patrol["short_code"], "10.0.0.1"), 429, "rate_limited")
    assert typed(app, third, patrol["short_code"], "10.0.0.9").status_code == 201


def test_right_codes_and_scanned_codes_are_not_counted(app, make_activity, enrol):  # noqa: F811
    members = [enrol(name=f"志愿者{number}")[1] for number in range(6)]
    patrol = make_activity()
    for phone in members:
        assert typed(app, phone, patrol["short_code"], "10.0.0.1").status_code == 201
