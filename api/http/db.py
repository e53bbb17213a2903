"""One database session per request: it reads until the view starts writing, and commits in one place."""
import random
import time
from functools import wraps

from flask import current_app, g
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from points.db import begin_write, is_retryable, serializes_writers

from .errors import ServiceBusy
from .metrics import observe_retry

ATTEMPTS = 5


def session() -> Session:
    """This request's session, for reading (authentication, look-ups, GET views)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["benniu"].sessionmaker()
    return g.db_session


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
    """
    @wraps(view)
    def run(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            committing = False
            try:
                response = view(*args, **kwargs)
                if "db_session" in g:
                    committing = True
                    g.db_session.commit()
                return response
            except DBAPIError as error:
                close_session()
                if error.connection_invalidated and committing:
                    raise ServiceBusy("the database connection was lost while saving; repeat the request "
                                      "with the same Idempotency-Key to be sure it counts once") from error
                if not (is_retryable(error) or error.connection_invalidated):
                    raise
                if attempt == ATTEMPTS:
                    raise ServiceBusy("the database is busy; try again") from error
                observe_retry()
                time.sleep(random.uniform(0, 0.01 * 2 ** attempt))
            except BaseException:
                close_session()
                raise
    return run
