"""`benniu init` on a database made by the previous release (tests/fixtures) upgrades it
without losing a row, a balance or an entry, and the ledger stays sound."""
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import column, inspect, select, table, text

import api.models  # noqa: F401  (registers every table)
from api.cli import main
from api.operations.schema import alembic_config
from points.db import Base
from points.engines import make_engine

RELEASE = Path(__file__).parent.parent / "fixtures" / "release-0.1.0.sql"
# The ledger is append-only: its history and balances never change. Other tables may be
# backfilled by a migration (a new column filled in), but never lose a row.
UNCHANGED = {"transfers": None, "entries": None, "accounts": ["id", "kind", "balance"]}


def release_sqlite(path: Path) -> str:
    """The release's database as it was made: its own schema and rows, from the dump."""
    with sqlite3.connect(path) as connection:
        connection.executescript(RELEASE.read_text(encoding="utf-8"))
    connection.close()
    return f"sqlite:///{path}"


def rows_by_table(url: str, only: dict[str, list[str]] | None = None) -> dict[str, list[dict]]:
    """Every row of every table, read through the models' column types where today's models
    still have the column (so times compare as times across databases), limited to `only`'s
    columns and to those the database has."""
    engine = make_engine(url)
    found = {}
    with engine.connect() as connection:
        present = {name: [column["name"] for column in inspect(connection).get_columns(name)]
                   for name in inspect(connection).get_table_names()}
        for table in Base.metadata.sorted_tables:
            if table.name not in present or (only is not None and table.name not in only):
                continue
            names = [name for name in present[table.name] if only is None or name in only[table.name]]
            columns = [table.c[name] if name in table.c else column(name) for name in names]
            found[table.name] = [dict(row._mapping) for row in connection.execute(
                select(*columns).select_from(table).order_by(*table.primary_key.columns))]
    engine.dispose()
    return found


def release_postgres(url: str, source: str) -> None:
    """The release's schema built by its own migration (0001), then its rows copied in."""
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for name, rows in rows_by_table(source).items():
            if rows:  # exactly the release's columns: a later model's defaults name columns 0001 lacks
                connection.execute(table(name, *map(column, rows[0])).insert(), rows)
                if "id" in rows[0]:
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                            f"(SELECT max(id) FROM {name}))"))
    engine.dispose()


@pytest.fixture
def released(tmp_path, fresh_database_url):
    """A database of the previous release: (its url, its rows as the release left them)."""
    source = release_sqlite(tmp_path / "release.db")
    if fresh_database_url.startswith("sqlite"):
        url = source
    else:
        url = fresh_database_url
        release_postgres(url, source)
    return url, rows_by_table(source)


def benniu(url: str, tmp_path, *args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False,
                                env={"BENNIU_DATABASE_URL": url, "BENNIU_INSTANCE_PATH": str(tmp_path / "instance")})
    return result


def test_init_upgrades_the_previous_release_and_loses_nothing(released, tmp_path):
    url, before = released
    assert before["entries"] and before["redemptions"] and before["members"]

    result = benniu(url, tmp_path, "init")
    assert result.exit_code == 0, result.output

    engine = make_engine(url)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    engine.dispose()
    after = rows_by_table(url, only={name: list(rows[0]) for name, rows in before.items() if rows})
    for name, columns in UNCHANGED.items():
        now_held = {row["id"]: row for row in after[name]}  # (a migration may add rows of its own)
        for row in before[name]:
            kept = {key: row[key] for key in (columns or after[name][0])}
            assert {key: now_held.get(row["id"], {}).get(key) for key in kept} == kept, f"{name} changed"
    for name, rows in before.items():
        ids = {row.get("id") for row in after.get(name, [])}
        assert len(after.get(name, [])) >= len(rows), f"{name} lost rows in the upgrade"
        assert not rows or "id" not in rows[0] or {row["id"] for row in rows} <= ids, f"{name} lost rows"
    assert benniu(url, tmp_path, "verify").output.strip() == "ok"


def test_the_upgraded_release_keeps_serving_its_volunteers(released, tmp_path):
    url, _ = released
    benniu(url, tmp_path, "init")
    token = benniu(url, tmp_path, "token", "create", "--role", "organiser", "--name", "升级后",
                   "--community", "1").output.strip().splitlines()[-1]

    from api import create_app
    from tests.helpers import Client

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "release-fixture", "RATELIMIT_ENABLED": False},
                     instance_path=tmp_path / "instance")
    organiser = Client(app, token)
    balance = organiser.get("/api/v1/members/1/balance").get_json()
    assert {key: balance[key] for key in ("available", "held", "lifetime_earned", "lifetime_spent")} == \
        {"available": 100, "held": 300, "lifetime_earned": 500, "lifetime_spent": 100}
    # The rice voucher the release reserved is still good, once.
    organiser.post("/api/v1/redemptions/fulfil", {"voucher_code": "Z9H2-G4KT"}, expect=200)
    organiser.post("/api/v1/redemptions/fulfil", {"voucher_code": "Z9H2-G4KT"}, expect=409)
    organiser.post("/api/v1/awards", {"member_id": 3, "rule_code": "patrol"}, expect=201)
    app.extensions["benniu"].engine.dispose()
    assert benniu(url, tmp_path, "verify").output.strip() == "ok"
