"""Each setting is read from its `BENNIU_` variable by its declared type, and the README's table is made from them."""
from pathlib import Path

import pytest

from api.config import SETTINGS, SettingError, from_environment, readme_table, setting

README = Path(__file__).resolve().parents[2] / "README.md"


def test_text_settings_stay_text_whatever_they_look_like(monkeypatch):
    monkeypatch.setenv("BENNIU_SECRET_KEY", "20261123")
    monkeypatch.setenv("BENNIU_METRICS_TOKEN", "1")
    assert setting("SECRET_KEY") == "20261123" and setting("METRICS_TOKEN") == "1"


def test_numbers_and_flags_are_read_as_numbers_and_flags(monkeypatch):
    monkeypatch.setenv("BENNIU_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("BENNIU_RATELIMIT_ENABLED", "off")
    monkeypatch.setenv("BENNIU_CLIENT_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("BENNIU_SQLITE_SYNCHRONOUS", "full")
    assert (setting("TRUSTED_PROXIES"), setting("RATELIMIT_ENABLED")) == (1, False)
    assert (setting("CLIENT_TIMEOUT_SECONDS"), setting("SQLITE_SYNCHRONOUS")) == (2.5, "FULL")


def test_an_unset_or_empty_variable_leaves_the_default(monkeypatch):
    monkeypatch.delenv("BENNIU_DB_POOL_SIZE", raising=False)
    assert setting("DB_POOL_SIZE") == 5
    monkeypatch.setenv("BENNIU_DB_POOL_SIZE", " ")
    assert setting("DB_POOL_SIZE") == 5


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("BENNIU_DB_POOL_SIZE", "five", "must be a whole number (0 or more)"),
    ("BENNIU_TRUSTED_PROXIES", "-1", "must be a whole number (0 or more)"),
    ("BENNIU_RATELIMIT_ENABLED", "maybe", "must be true or false"),
    ("BENNIU_LOGIN_RATE_LIMIT", "lots", 'must be a rate such as "10 per minute"'),
    ("BENNIU_CLIENT_TIMEOUT_SECONDS", "0", "must be a number of seconds above 0"),
    ("BENNIU_CLIENT_TIMEOUT_SECONDS", "nan", "must be a number of seconds above 0"),
    ("BENNIU_SQLITE_SYNCHRONOUS", "OFF", "must be one of NORMAL, FULL"),
])
def test_a_bad_value_is_refused_naming_its_variable(monkeypatch, variable, value, says):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError) as refused:
        from_environment()
    assert str(refused.value) == f"{variable} {says}, not {value!r}"


def test_every_setting_has_a_meaning_and_a_default_the_readme_can_tell():
    for each in SETTINGS:
        assert each.meaning and (each.default is not None or each.default_told), each.name


def test_the_readme_configuration_table_is_the_one_made_from_the_settings():
    assert readme_table() in README.read_text(encoding="utf-8"), \
        "README.md's configuration table differs from api.config.SETTINGS; replace it with:\n" + readme_table()
