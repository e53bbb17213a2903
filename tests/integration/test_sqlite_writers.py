"""SQLite writers queue on a file lock, and the next one enters only once the last has committed."""
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from points.db import begin_write, make_engine

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
