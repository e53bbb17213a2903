"""Alembic migrations build exactly the models' schema and upgrade without losing data."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import String, text
from sqlalchemy.pool import StaticPool

import api.models  # noqa: F401
from api.operations.schema import migrating, upgrade
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



def test_a_sqlite_migration_may_copy_a_table_that_other_rows_point_at(tmp_path):
    """Batch migrations copy a table on SQLite; with rows pointing at it, that needs foreign-key
    enforcement off while migrating, and on again afterwards."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}", poolclass=StaticPool)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (id, kind, name, balance, opened_at) VALUES "
                                "(1, 'member', 'm', 0, CURRENT_TIMESTAMP), (2, 'hold', 'h', 0, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO communities (id, name, code, created_at) "
                                "VALUES (1, '老社区', 'old', CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO members (id, community_id, name, phone, account_id, hold_account_id, pending_account_id, "
            "issuance_account_id, joined_at) VALUES (1, 1, '陈元龙', '138', 1, 2, 2, 1, CURRENT_TIMESTAMP)"))
    with migrating(engine) as connection:
        with Operations(MigrationContext.configure(connection)).batch_alter_table(
                "communities", recreate="always") as batch:
            batch.alter_column("name", existing_type=String(200), type_=String(300))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM communities")).scalar() == "老社区"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_old_balances_become_lots_and_members_get_pending_accounts(tmp_path):
    """Upgrading a database from before public notice and expiry: every balance is a lot that
    never expires, every member has a pending account, every community an expiry account."""
    from alembic import command

    from api.operations.schema import alembic_config
    from points.verify import ledger_problems

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url, poolclass=StaticPool)
    with migrating(engine) as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO accounts (id, kind, community_id, name, balance, opened_at) VALUES "
            "(1, 'issuance', 1, 'i', -120, CURRENT_TIMESTAMP), (2, 'member', 1, 'm', 120, CURRENT_TIMESTAMP), "
            "(3, 'hold', 1, 'h', 0, CURRENT_TIMESTAMP), (4, 'station', 1, 's', 0, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO communities (id, name, code, station_account_id, created_at) "
                                "VALUES (1, '老社区', 'old', 4, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO members (id, community_id, name, phone, account_id, hold_account_id, issuance_account_id, "
            "lifetime_earned, lifetime_spent, joined_at) VALUES (1, 1, '陈元龙', '13800000001', 2, 3, 1, 120, 0, "
            "CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO transfers (id, kind, debit_account_id, credit_account_id, amount, at, "
                                "memo) VALUES (1, 'earn', 1, 2, 120, CURRENT_TIMESTAMP, '')"))
        connection.execute(text("INSERT INTO entries (transfer_id, account_id, amount, balance_after, at) VALUES "
                                "(1, 1, -120, -120, CURRENT_TIMESTAMP), (1, 2, 120, 120, CURRENT_TIMESTAMP)"))
    upgrade(engine)
    with engine.connect() as connection:
        lots = connection.execute(text("SELECT member_id, amount, remaining FROM lots")).all()
        pending = connection.execute(text("SELECT a.kind FROM members m JOIN accounts a "
                                          "ON a.id = m.pending_account_id")).scalar()
        expiry = connection.execute(text("SELECT a.kind FROM communities c JOIN accounts a "
                                         "ON a.id = c.expiry_account_id")).scalar()
    from sqlalchemy.orm import Session
    with Session(engine) as session:
        problems = ledger_problems(session)
    engine.dispose()
    assert lots == [(1, 120, 120)] and (pending, expiry) == ("pending", "expiry")
    assert problems == []


def test_upgrading_a_ledger_from_0001_counts_it_into_the_tallies(tmp_path, database_url):
    from zoneinfo import ZoneInfo

    from alembic import command
    from sqlalchemy.orm import Session

    from api.operations.schema import alembic_config
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
