"""Database plumbing shared by every model: metadata, engines, write transactions."""
import fcntl
import os
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

from .errors import NotFound

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# PostgreSQL SQLSTATEs worth running the whole transaction again for.
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every integer column is 64-bit on PostgreSQL (ids and points alike never overflow);
    # SQLite's INTEGER already is, and must stay INTEGER for primary keys to autoincrement.
    type_annotation_map = {int: BigInteger().with_variant(Integer(), "sqlite")}


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC; SQLite keeps no offset, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware one")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# How SQLite commits in WAL mode. NORMAL: a crash of the service loses nothing, a power cut
# or OS crash may lose the last commits (never corrupts). FULL: nothing either way; each
# commit waits for the disk (10-25 % fewer check-ins a second, bench/RESULTS.md).
SQLITE_SYNCHRONOUS = ("NORMAL", "FULL")


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL", **kwargs) -> Engine:
    """An engine set up for Benniu's locking: WAL and `BEGIN IMMEDIATE` writes on SQLite."""
    if url.startswith("sqlite"):
        synchronous = str(sqlite_synchronous).upper()
        if synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"SQLite synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
                             f"not {sqlite_synchronous!r}")
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine, synchronous)
    else:
        engine = create_engine(url, **kwargs)
    return engine


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    writers = _WriterQueue(engine.url.database)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins and how.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A writer takes the write lock at BEGIN, so it never has to upgrade a read
        # snapshot (which fails at once in WAL mode); writers queue on the flock first.
        immediate = connection.get_execution_options().get("benniu_write", False)
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
                writers.leave(dbapi_connection)
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

    def leave(self, dbapi_connection) -> None:
        descriptor = self.held.pop(id(dbapi_connection), None)
        if descriptor is not None:
            os.close(descriptor)  # closing releases the flock


def fetch(session: Session, model, ident: int, what: str):
    """The `model` row with primary key `ident`, or NotFound naming `what` it is."""
    found = session.get(model, ident)
    if found is None:
        raise NotFound(f"{what} {ident} not found")
    return found


def begin_write(session: Session) -> None:
    """Start `session`'s transaction as a writer; call before its first statement."""
    session.connection(execution_options={"benniu_write": True})


def is_retryable(error: BaseException) -> bool:
    """Whether running the whole transaction again may succeed (lock, deadlock, serialization)."""
    if not isinstance(error, DBAPIError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def insert_unless_taken(session: Session, table, values: dict, *, unique: list[str]):
    """INSERT ... ON CONFLICT (unique) DO NOTHING RETURNING id: the new id, or None if taken.

    On PostgreSQL a concurrent insert of the same key waits for the other transaction and
    then returns nothing, so exactly one of two racing inserts claims the key.
    """
    statement = _insert_unless_taken(session.get_bind().dialect.name, table, tuple(unique))
    return session.connection().execute(statement, values).scalar()


@lru_cache(maxsize=None)
def _insert_unless_taken(dialect: str, table, unique: tuple[str, ...]):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c.id)


def serializes_writers(session: Session) -> bool:
    """True on SQLite: one write transaction at a time (begun by `begin_write`), so a row
    lock would add nothing; PostgreSQL instead locks the rows a transaction writes."""
    return session.get_bind().dialect.name == "sqlite"

