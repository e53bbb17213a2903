"""`points.db.execute` sends what `Connection.execute` would, on SQLite and PostgreSQL alike,
and refuses the statements it could not bind exactly."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, bindparam, select

from points.db import UTCDateTime, execute
from points.engines import make_engine

probe = Table("execute_probe", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime),
              Column("day", Date), Column("kind", String(8)), Column("note", String(20), default="-"))
VALUES = {"at": datetime(9999, 12, 31, tzinfo=timezone.utc), "day": date(2026, 11, 1), "kind": "earn", "note": "5%"}


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    probe.create(engine)
    yield engine
    probe.drop(engine)
    engine.dispose()


def test_rows_written_by_execute_are_the_rows_connection_execute_writes(engine):
    # SQLite keeps a datetime as text: without the type's own processor, "never" was written
    # without its six-digit fraction and sorted before the same instant written by SQLAlchemy.
    with engine.begin() as connection:
        connection.execute(probe.insert(), VALUES)
        execute(connection, probe.insert(), VALUES)
        execute(connection, probe.insert(), [VALUES, VALUES])  # executemany
        rows = connection.exec_driver_sql("SELECT at, day, kind, note FROM execute_probe ORDER BY id").all()
    assert len(rows) == 4 and len(set(rows)) == 1


def test_a_value_fixed_in_the_statement_is_sent_with_it(engine):
    still_earning = probe.update().where(probe.c.id == bindparam("row"), probe.c.kind == "earn")
    with engine.begin() as connection:
        execute(connection, probe.insert(), VALUES)
        execute(connection, probe.insert(), {**VALUES, "kind": "hold"})
        assert execute(connection, still_earning, {"row": 1, "note": "done"}).rowcount == 1
        assert execute(connection, still_earning, {"row": 2, "note": "done"}).rowcount == 0
        assert connection.execute(select(probe.c.note).order_by(probe.c.id)).scalars().all() == ["done", "5%"]


@pytest.mark.parametrize("statement, params", [
    (probe.insert(), {key: value for key, value in VALUES.items() if key != "note"}),  # a Python-side default
    (select(probe.c.id).where(probe.c.id.in_(bindparam("ids", expanding=True))), {"ids": [1, 2]}),  # an IN list
])
def test_what_it_cannot_bind_exactly_is_refused(engine, statement, params):
    with engine.begin() as connection, pytest.raises(ValueError, match="use connection.execute"):
        execute(connection, statement, params)
