"""The hot path's statements sent on the DB-API cursor itself (`points.db.execute`).

Below `Connection.exec_driver_sql`, SQLAlchemy still built an execution context and a result
for every statement: 12 % of a check-in's CPU, measured served (bench/RESULTS.md, issue 25,
fourth round). Here the statement goes straight to the pooled connection's cursor, and what
SQLAlchemy would have done around it is kept: listeners of `before_cursor_execute` still see it
(tests/api/test_statement_counts.py counts with them), a driver's error is raised as SQLAlchemy's
(`DBAPIError.instance`: an IntegrityError stays one, api.http.faults and `is_retryable` read it as
before), and a connection found dead is invalidated so the pool never hands it out again.
Results are the driver's values, as `exec_driver_sql` gave them: no column types apply.
"""
from collections import namedtuple
from functools import lru_cache

from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound


def send(connection, sql: str, values, *, many: bool) -> "Rows":
    """Run `sql` with `values` (a list of them, `many`) on `connection`'s transaction."""
    dialect, pooled = connection.dialect, connection.connection
    cursor = pooled.cursor()
    for listener in connection.dispatch.before_cursor_execute:
        sql, values = listener(connection, cursor, sql, values, None, many)
    try:
        if many:
            cursor.executemany(sql, values)
        else:
            cursor.execute(sql, values)
        return Rows(cursor)
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, pooled, cursor)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error, connection_invalidated=lost,
                                  dialect=dialect, ismulti=many) from error
    finally:
        cursor.close()


class Rows:
    """What a statement answered, read at once (the hot path's statements answer a few rows),
    with the few methods of SQLAlchemy's Result that the hot path uses."""

    def __init__(self, cursor):
        self.rowcount = cursor.rowcount
        if cursor.description is None:
            self.rows = []
        else:
            row = _row_type(tuple(column[0] for column in cursor.description))
            self.rows = [row(*values) for values in cursor.fetchall()]

    def all(self) -> list:
        return self.rows

    def first(self):
        return self.rows[0] if self.rows else None

    def scalar(self):
        return self.rows[0][0] if self.rows else None

    def scalar_one_or_none(self):
        if len(self.rows) > 1:
            raise MultipleResultsFound("more than one row where one was expected")
        return self.scalar()

    def scalar_one(self):
        if not self.rows:
            raise NoResultFound("no row where one was expected")
        return self.scalar_one_or_none()


@lru_cache(maxsize=256)
def _row_type(names: tuple[str, ...]):
    """A row whose columns are read by position or by name, as SQLAlchemy's Row is."""
    return namedtuple("Row", names, rename=True)
