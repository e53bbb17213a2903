"""SQLite's set-up: writers queue on a file lock and the next enters only once the last has
committed; how durably it commits is a setting."""
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api import create_app
from points.db import begin_write
from points.engines import make_engine

from ..conftest import POSTGRES_URL
from ..helpers import at_once

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="the writer queue is SQLite's")


def test_a_queued_writer_never_finds_the_database_still_locked(tmp_path):
    # With SQLite's busy handler switched off, any writer let in before the previous one's
    # COMMIT has finished fails at once with "database is locked". Releasing the queue in
    # SQLAlchemy's commit event (which fires before the COMMIT) fails this test.
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")

    @event.listens_for(engine, "connect")
    def no_busy_handler(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    rows = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("writer", Integer))
    rows.metadata.create_all(engine)

    def write(writer):
        def run():
            locked = 0
            for _ in range(150):
                with Session(engine) as session:
                    try:
                        begin_write(session)
                        session.execute(rows.insert().values(writer=writer))
                        session.commit()
                    except OperationalError:
                        locked += 1
            return locked
        return run

    assert at_once([write(n) for n in range(4)]) == [0, 0, 0, 0]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(rows)) == 600
    engine.dispose()


@pytest.mark.parametrize("setting, level", [(None, 1), ("full", 2), ("NORMAL", 1)])
def test_how_sqlite_commits_is_configurable(tmp_path, setting, level):
    # PRAGMA synchronous: 1 is NORMAL, 2 is FULL.
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'sync.db'}", "SECRET_KEY": "x"}
    if setting:
        config["SQLITE_SYNCHRONOUS"] = setting
    app = create_app(config, instance_path=tmp_path)
    with app.extensions["benniu"].engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == level


def test_an_unknown_sqlite_synchronous_setting_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="NORMAL, FULL"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'sync.db'}", "SECRET_KEY": "x",
                    "SQLITE_SYNCHRONOUS": "off"}, instance_path=tmp_path)


def test_the_write_ahead_log_is_checkpointed_outside_the_commits(tmp_path):
    # 320 write transactions of one row each: every COMMIT appends at least one page to the
    # log, and SQLite's own checkpoint waits for 10,000. Left at that, the log would hold 320
    # pages or more; checkpointed every 32 commits once the lock is let go, it starts over.
    database = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{database}")
    rows = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("n", Integer))
    rows.metadata.create_all(engine)

    for n in range(320):
        with Session(engine) as session:
            begin_write(session)
            session.execute(rows.insert().values(n=n))
            session.commit()
    with engine.connect() as connection:
        page_size = connection.exec_driver_sql("PRAGMA page_size").scalar()
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10000
    frames = (database.with_name("wal.db-wal").stat().st_size - 32) // (24 + page_size)  # header, frames
    assert frames < 100, f"the log holds {frames} pages"
    engine.dispose()
