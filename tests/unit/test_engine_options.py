"""How the app asks psycopg to prepare statements (PgBouncer before 1.21 needs it off)."""
from api import _engine_options
from api.config import setting

POSTGRES = {"DATABASE_URL": "postgresql+psycopg://benniu@db/benniu", "DB_POOL_SIZE": 5}


def test_psycopg_prepares_a_statement_on_its_fifth_run_by_default():
    assert _engine_options({**POSTGRES, "DB_PREPARE_THRESHOLD": 5})["connect_args"] == {"prepare_threshold": 5}


def test_none_turns_prepared_statements_off_for_pgbouncer_in_transaction_mode(monkeypatch):
    for spelled in ("none", "None", " NONE "):
        monkeypatch.setenv("BENNIU_DB_PREPARE_THRESHOLD", spelled)
        threshold = setting("DB_PREPARE_THRESHOLD")
        assert _engine_options({**POSTGRES, "DB_PREPARE_THRESHOLD": threshold})["connect_args"] == \
            {"prepare_threshold": None}


def test_sqlite_gets_no_postgresql_options():
    assert _engine_options({"DATABASE_URL": "sqlite:///x.db", "SQLITE_SYNCHRONOUS": "FULL"}) == \
        {"sqlite_synchronous": "FULL"}
