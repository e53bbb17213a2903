"""One database session per request: it reads until the view starts writing, and commits in one place."""
import random
import re
import time
from functools import wraps

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from points.db import begin_write, is_retryable, serializes_writers

from . import faults
from .metrics import observe_retry

ATTEMPTS = 5

# Views that read or write a whole community at once (exports, imports, batch awards, the
# console's spreadsheets): their statements get BENNIU_DB_LONG_STATEMENT_TIMEOUT_MS.
LONG_VIEWS = re.compile(r"^exports\.|import_members|batch_awards|_xlsx$")


def session() -> Session:
    """This request's session, for reading (authentication, look-ups, GET views)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["benniu"].sessionmaker()
        if has_request_context() and LONG_VIEWS.search(request.endpoint or ""):
            time_limit(g.db_session, int(current_app.config["DB_LONG_STATEMENT_TIMEOUT_MS"]))
    return g.db_session


def time_limit(session: Session, milliseconds: int) -> Session:
    """Give `session`'s statements this time limit on PostgreSQL instead of the engine's (0: none)."""
    session.info[_TIME_LIMIT] = milliseconds
    return session


_TIME_LIMIT = "statement_timeout_ms"


@event.listens_for(Session, "after_begin")
def _longer_time_limit(session, _transaction, connection):
    """On PostgreSQL, this session's transactions get the time limit it was given (`time_limit`)."""
    limit = session.info.get(_TIME_LIMIT)
    if limit is not None and connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(limit)}")


def writer() -> Session:
    """This request's session, now in a write transaction: call it where a view starts to write.

    On SQLite, whatever was read so far is committed and the write transaction begins with
    the write lock (`BEGIN IMMEDIATE`): the lock is held only for the writing part of a
    request, never for its authentication or argument parsing, and every check a service
    makes before it writes (a daily cap, "already reversed") runs inside it.
    """
    current = session()
    if not g.get("db_writing"):
        if serializes_writers(current):
            current.commit()
            begin_write(current)
        # PostgreSQL needs no switch: its row locks come with the writes themselves.
        g.db_writing = True
    return current


def close_session(_error=None) -> None:
    """Close (and so roll back, if still open) the request's session."""
    opened = g.pop("db_session", None)
    g.pop("db_writing", None)
    if opened is not None:
        opened.close()


def transactional(view):
    """Run a view as one transaction: commit what it did, retry it whole on lock or deadlock.

    Views never commit; a view that raises leaves nothing behind, because the session
    is closed (rolled back) before the error response is made.

    A connection found dead (the database restarted, a proxy dropped it) is retried too,
    on a new one, if it died before COMMIT was sent: the server has then rolled the
    transaction back. This is why pooled connections are not pinged before each use.
    If it dies during COMMIT, whether the work was saved is unknown: 503, no retry.
    A database that cannot be reached or refuses new clients is tried again the same way;
    one still failing, or failing otherwise (api.http.faults), answers 503 (507 when full).
    Retries stop once the request has spent its statement time limit.
    """
    @wraps(view)
    def run(*args, **kwargs):
        started = time.monotonic()
        for attempt in range(1, ATTEMPTS + 1):
            committing = False
            try:
                response = view(*args, **kwargs)
                if "db_session" in g:
                    committing = True
                    g.db_session.commit()
                faults.summary.answered()
                return response
            except (DBAPIError, PoolTimeout) as error:
                close_session()
                kind = faults.kind_of(error)
                if kind == "lost" and committing:
                    raise faults.unavailable(error, "commit_unknown") from error
                if not (is_retryable(error) or kind in faults.ATTEMPTS):
                    if kind is None:
                        raise
                    raise faults.unavailable(error, kind) from error
                if attempt >= faults.ATTEMPTS.get(kind, ATTEMPTS) or _spent_time_limit(started):
                    raise faults.unavailable(error, kind or "busy") from error
                observe_retry()
                time.sleep(random.uniform(0, 0.01 * 2 ** attempt))
            except BaseException:
                close_session()
                raise
    return run


def _spent_time_limit(started: float) -> bool:
    return (time.monotonic() - started) * 1000 >= int(current_app.config["DB_STATEMENT_TIMEOUT_MS"])
