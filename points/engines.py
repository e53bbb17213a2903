"""Engines: PostgreSQL as it comes; SQLite in WAL mode, its writers queued on a file lock."""
import fcntl
import logging
import os
import sqlite3

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

# The execution option `points.db.begin_write` sets: this transaction will write.
WRITE_OPTION = "benniu_write"

# How SQLite commits in WAL mode. NORMAL: a crash of the service loses nothing, a power cut
# or OS crash may lose the last commits (never corrupts). FULL: nothing either way; each
# commit waits for the disk (10-25 % fewer check-ins a second, bench/RESULTS.md).
SQLITE_SYNCHRONOUS = ("NORMAL", "FULL")

# SQLite's own checkpoint, inside a COMMIT, only as a backstop (`_Checkpoints`): ten times its default.
AUTOCHECKPOINT_PAGES = 10000


# How long a new PostgreSQL connection may take: a server that does not answer at all (a host
# gone in a failover) fails the request in seconds, not after TCP's own minutes.
CONNECT_SECONDS = 5

# SQLite's busy timeout when no statement time limit is given.
SQLITE_BUSY_MS = 30000


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL", statement_timeout_ms: int | None = None,
                **kwargs) -> Engine:
    """An engine set up for Benniu's locking: WAL and `BEGIN IMMEDIATE` writes on SQLite.

    `statement_timeout_ms` limits how long a statement may run (PostgreSQL's statement_timeout)
    or wait for SQLite's write lock (its busy timeout).
    """
    if url.startswith("sqlite"):
        synchronous = str(sqlite_synchronous).upper()
        if synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"SQLite synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
                             f"not {sqlite_synchronous!r}")
        busy_ms = int(statement_timeout_ms or SQLITE_BUSY_MS)
        engine = create_engine(url, connect_args={"timeout": busy_ms / 1000}, **kwargs)
        _configure_sqlite(engine, synchronous, busy_ms)
    else:
        connect_args = {"connect_timeout": CONNECT_SECONDS, **kwargs.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        if statement_timeout_ms:
            _limit_statements(engine, int(statement_timeout_ms))
    return engine


def _limit_statements(engine: Engine, milliseconds: int) -> None:
    # Set on each new connection rather than in the URL's `options`, which PgBouncer refuses.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {milliseconds}")
        dbapi_connection.commit()


def _configure_sqlite(engine: Engine, synchronous: str, busy_ms: int) -> None:
    writers = _WriterQueue(engine.url.database)
    checkpoints = _Checkpoints()

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins and how.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A writer takes the write lock at BEGIN, so it never has to upgrade a read
        # snapshot (which fails at once in WAL mode); writers queue on the flock first.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        if immediate:
            writers.enter(connection.connection.dbapi_connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    # SQLAlchemy fires "commit" and "rollback" before it sends them, and SQLite holds its
    # write lock until they are done: end the transaction here, then let the next writer
    # in. (SQLAlchemy's own COMMIT or ROLLBACK then finds no transaction and does nothing.)
    def end_then_hand_on(ending: str):
        def listener(connection):
            dbapi_connection = connection.connection.dbapi_connection
            try:
                getattr(dbapi_connection, ending)()
            finally:
                wrote = writers.leave(dbapi_connection)
            if wrote and ending == "commit":
                checkpoints.after_commit(dbapi_connection)
        return listener

    for ending in ("commit", "rollback"):
        event.listen(engine, ending, end_then_hand_on(ending))

    @event.listens_for(engine, "checkin")
    def on_return(dbapi_connection, _record):
        writers.leave(dbapi_connection)


class _WriterQueue:
    """Writers to one SQLite file queue on an OS lock (flock) before `BEGIN IMMEDIATE`.

    SQLite's own busy handler polls, sleeping up to 100 ms between tries, so under load a
    waiting writer sleeps long after the lock is free. A blocked flock() wakes the moment
    the holder lets go, across threads and processes (gunicorn workers, cron jobs) alike.
    """

    def __init__(self, database: str | None):
        memory = not database or database == ":memory:" or database.startswith("file::memory:")
        self.path = None if memory else f"{database}.writer-lock"
        self.held: dict[int, int] = {}  # id(dbapi connection) -> lock file descriptor

    def enter(self, dbapi_connection) -> None:
        if self.path is None or id(dbapi_connection) in self.held:
            return
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        self.held[id(dbapi_connection)] = descriptor

    def leave(self, dbapi_connection) -> bool:
        """Let the next writer in; whether this connection was the writer."""
        descriptor = self.held.pop(id(dbapi_connection), None)
        if descriptor is not None:
            os.close(descriptor)  # closing releases the flock
        return descriptor is not None


class _Checkpoints:
    """WAL checkpoints after the write lock is let go, not inside a COMMIT that holds it.

    SQLite copies its write-ahead log back into the database (a checkpoint, with an fsync) from
    inside whichever COMMIT takes the log past `wal_autocheckpoint` pages: that writer then holds
    the lock every other writer waits for, 6 to 8 ms instead of about one (bench/RESULTS.md). Here a
    process's every `EVERY`th write transaction runs a PASSIVE checkpoint (which takes no write
    lock: writers go on meanwhile) once it has let the next writer in. SQLite's own, at a log
    ten times longer, remains for whatever writes far more per transaction (an import).
    """

    EVERY = 32

    def __init__(self):
        self.commits = 0

    def after_commit(self, dbapi_connection) -> None:
        self.commits += 1
        if self.commits % self.EVERY == 0:
            # Busy (another connection checkpointing, a reader on old pages) is a result, not an
            # error: what is left is copied next time. An error must not fail a committed request.
            try:
                dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:
                log.warning("WAL checkpoint failed; SQLite's own will run at %s pages", AUTOCHECKPOINT_PAGES,
                            exc_info=True)
