"""Database plumbing shared by every model: metadata, column types, write transactions."""
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import BigInteger, DateTime, Integer, MetaData
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

from .cursors import send
from .engines import WRITE_OPTION
from .errors import Conflict, NotFound

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


def fetch(session: Session, model, ident: int, what: str):
    """The `model` row with primary key `ident`, or NotFound naming `what` it is."""
    found = session.get(model, ident)
    if found is None:
        raise NotFound(f"{what} {ident} not found")
    return found


def keyset(query, key, *, cursor: int | None, limit: int, newest_first: bool = False):
    """`query` cut to one keyset page on the unique, indexed column `key`: the rows after
    `cursor` in the list's order, at most `limit` of them. Page N costs what page 1 does."""
    if cursor is not None:
        query = query.where(key < cursor if newest_first else key > cursor)
    return query.order_by(key.desc() if newest_first else key).limit(limit)


def within(query, column, *, start: datetime | None, end: datetime | None):
    """`query` cut to rows whose `column` lies in [start, end); a missing bound is open."""
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column < end)
    return query


def flush_unique(session: Session, row, *, taken: str, refusal: type[Conflict] = Conflict) -> None:
    """Add `row` and flush it in a savepoint: if a concurrent insert took one of its unique
    values first, raise `refusal(taken)` and leave the session usable."""
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise refusal(taken) from None


def begin_write(session: Session) -> None:
    """Start `session`'s transaction as a writer; call before its first statement."""
    session.connection(execution_options={WRITE_OPTION: True})


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
    return execute(session.connection(), statement, values).scalar()


@lru_cache(maxsize=None)
def _insert_unless_taken(dialect: str, table, unique: tuple[str, ...]):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(table.c.id)


def serializes_writers(session: Session) -> bool:
    """True on SQLite: one write transaction at a time (begun by `begin_write`), so a row
    lock would add nothing; PostgreSQL instead locks the rows a transaction writes."""
    return session.get_bind().dialect.name == "sqlite"


def execute(connection, statement, params: dict | list[dict]):
    """Run a statement built once (at import) on `connection`, as `connection.execute` would.

    The hot path's statements (a check-in's claim, transfer, lot and tallies) are compiled once
    per dialect and set of parameter names and sent on the DB-API cursor (`points.cursors`): on
    SQLite, what `execute` does each time for a statement it has already compiled (cache lookup,
    parameters built and processed, the result set up) cost more than SQLite's own work, and
    SQLite runs it holding the one write lock. Parameters are processed by their types as
    `execute` would (a `UTCDateTime` stored as SQLite's text), and values fixed in the statement
    (a literal it compares with) are sent with them. A list of dicts is run as executemany.
    """
    many = isinstance(params, list)
    plan = _plan(statement, connection.dialect, tuple(params[0] if many else params))
    return send(connection, plan.sql, [plan.bind(one) for one in params] if many else plan.bind(params), many=many)


class _Plan:
    """A statement's SQL for one dialect and set of parameter names, and how to bind them."""

    def __init__(self, statement, dialect, names: tuple[str, ...]):
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        if compiled.insert_prefetch or compiled.update_prefetch or compiled.post_compile_params \
                or compiled.escaped_bind_names:
            raise ValueError("points.db.execute takes statements whose parameters are all given and plain "
                             "(no Python-side defaults, IN lists or escaped names); use connection.execute")
        binds = compiled.binds
        self.names = compiled.positiontup if compiled.positional else list(binds)
        self.sql, self.positional = compiled.string, compiled.positional
        # for each name: (processor or None, the value fixed in the statement or _GIVEN)
        self.binds = [(binds[name].type.dialect_impl(dialect).bind_processor(dialect),
                       _GIVEN if name in names else binds[name].effective_value) for name in self.names]

    def bind(self, params: dict) -> tuple | dict:
        values = []
        for name, (process, fixed) in zip(self.names, self.binds):
            value = params[name] if fixed is _GIVEN else fixed
            values.append(value if process is None else process(value))
        return tuple(values) if self.positional else dict(zip(self.names, values))


_GIVEN = object()


@lru_cache(maxsize=1024)
def _plan(statement, dialect, names: tuple[str, ...]) -> _Plan:
    return _Plan(statement, dialect, names)
