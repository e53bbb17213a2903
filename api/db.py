"""One database session per request: it reads until the view starts writing, and commits in one place."""
import random
import time
from functools import wraps

from flask import current_app, g
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from points.db import begin_write, is_retryable, serializes_writers

ATTEMPTS = 5


class ServiceBusy(Exception):
    """The database stayed locked or kept aborting the transaction through every retry."""


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
    """
    @wraps(view)
    def run(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = view(*args, **kwargs)
                if "db_session" in g:
                    g.db_session.commit()
                return response
            except DBAPIError as error:
                close_session()
                if not is_retryable(error):
                    raise
                if attempt == ATTEMPTS:
                    raise ServiceBusy("the database is busy; try again") from error
                time.sleep(random.uniform(0, 0.01 * 2 ** attempt))
            except BaseException:
                close_session()
                raise
    return run
