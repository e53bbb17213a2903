"""Settings from the environment reach the app with their declared types."""
import pytest

from api import codes, create_app
from api.config import SettingError

from ..helpers import Client


@pytest.fixture
def app_from_environment(database_url, clock, tmp_path):
    made = []

    def app_from_environment():
        made.append(create_app({"DATABASE_URL": database_url}, clock=clock, instance_path=tmp_path / "instance"))
        return made[-1]
    yield app_from_environment
    for app in made:
        app.extensions["benniu"].engine.dispose()


def test_a_numeric_secret_key_signs_and_reads_codes(app_from_environment, monkeypatch):
    monkeypatch.setenv("BENNIU_SECRET_KEY", "20261123")
    app = app_from_environment()
    with app.test_request_context():
        assert codes.read(codes.member_code(7), "member").subject_id == 7


def test_a_metrics_token_of_1_is_the_bearer_token_1(app_from_environment, monkeypatch):
    monkeypatch.setenv("BENNIU_METRICS_TOKEN", "1")
    app = app_from_environment()
    assert Client(app, "1").get("/metrics").status_code == 200
    assert Client(app, "True").get("/metrics").status_code == 401


def test_the_app_will_not_start_on_a_bad_value(app_from_environment, monkeypatch):
    monkeypatch.setenv("BENNIU_VOUCHER_DAYS", "30 days")
    with pytest.raises(SettingError, match="BENNIU_VOUCHER_DAYS must be a whole number"):
        app_from_environment()
