"""Alembic migrations build exactly the models' schema and upgrade without losing data."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import api.models  # noqa: F401
from api.schema import upgrade
from points.db import Base
from points.engines import make_engine

from ..conftest import POSTGRES_URL


def migrated_url(tmp_path) -> str:
    return POSTGRES_URL or f"sqlite:///{tmp_path / 'migrated.db'}"


def test_the_migrations_build_what_the_models_describe(tmp_path, database_url):
    engine = make_engine(migrated_url(tmp_path))
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_again_keeps_the_data(tmp_path, database_url):
    engine = make_engine(migrated_url(tmp_path))
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (kind, name, balance, opened_at) "
                                "VALUES ('station', 'kept', 0, CURRENT_TIMESTAMP)"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM accounts WHERE name = 'kept'")).scalar() == "kept"
    engine.dispose()


def test_upgrading_a_ledger_from_0001_counts_it_into_the_tallies(tmp_path, database_url):
    from zoneinfo import ZoneInfo

    from alembic import command
    from sqlalchemy.orm import Session

    from api.schema import alembic_config
    from points.recount import tally_problems

    engine = make_engine(migrated_url(tmp_path))
    if engine.dialect.name == "postgresql":  # start again from the first revision
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for statement in (  # a member who earned 50 at 00:30 on 1 December in Shanghai (30 November in UTC)
                "INSERT INTO accounts (id, kind, name, balance, opened_at, community_id) VALUES "
                "(1, 'issuance', 'i', -50, '2026-11-01 00:00:00', 1), (2, 'member', 'm', 50, '2026-11-01 00:00:00', 1),"
                " (3, 'hold', 'h', 0, '2026-11-01 00:00:00', 1)",
                "INSERT INTO communities (id, name, code, created_at) VALUES (1, '振宇社区', 'zy', '2026-11-01 00:00:00')",
                "INSERT INTO members (id, community_id, name, phone, account_id, hold_account_id, issuance_account_id,"
                " lifetime_earned, lifetime_spent, joined_at) VALUES (1, 1, '陈元龙', '139', 2, 3, 1, 50, 0,"
                " '2026-11-01 00:00:00')",
                "INSERT INTO transfers (id, kind, debit_account_id, credit_account_id, amount, at, memo, rule_code)"
                " VALUES (1, 'earn', 1, 2, 50, '2026-11-30 16:30:00', '', 'patrol')",
                "INSERT INTO entries (transfer_id, account_id, amount, balance_after, at) VALUES"
                " (1, 1, -50, -50, '2026-11-30 16:30:00'), (1, 2, 50, 50, '2026-11-30 16:30:00')"):
            connection.execute(text(statement))
    upgrade(engine)
    with Session(engine) as session:
        assert tally_problems(session, zone=ZoneInfo("Asia/Shanghai")) == []
        months = session.execute(text("SELECT starts_on, earned FROM member_tallies WHERE span = 'month'")).all()
    engine.dispose()
    assert [(str(day), earned) for day, earned in months] == [("2026-12-01", 50)]
