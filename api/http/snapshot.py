"""A read-only transaction of its own, for a download that outlives the view that started it.

The request's session is committed and closed when its view returns (`db.transactional`), so a
response written while it is sent (a streamed export) reads on a connection of its own: one
transaction, one consistent snapshot for the whole file (REPEATABLE READ, READ ONLY on PostgreSQL;
on SQLite, in WAL mode, a read transaction sees the database as it was at its first read).
"""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.orm import Session

from .db import time_limit


@contextmanager
def snapshot_session() -> Iterator[Session]:
    """A session on a connection of its own, in one read-only transaction, ended (rolled back) and
    handed back to the pool when the block ends, however it ends (a failure, a client gone)."""
    benniu = current_app.extensions["benniu"]
    long_ms = int(current_app.config["DB_LONG_STATEMENT_TIMEOUT_MS"])
    with benniu.engine.connect() as connection:  # closing it rolls back what is open, and hands it back
        connection.begin()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        session = benniu.sessionmaker(bind=connection, join_transaction_mode="rollback_only")
        time_limit(session, long_ms)  # a whole community's year: the exports' time limit
        try:
            yield session
        finally:
            session.close()
