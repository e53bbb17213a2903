"""One database session per request, begun as a writer for unsafe methods, committed in one place."""
import random
import time
from functools import wraps

from flask import current_app, g, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from points.db import begin_write, is_retryable

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ATTEMPTS = 5


class ServiceBusy(Exception):
    """The database stayed locked or kept aborting the transaction through every retry."""


def session() -> Session:
    """This request's session; a POST/PUT/PATCH/DELETE starts it with the write lock (SQLite)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["benniu"].sessionmaker()
        if request.method not in SAFE_METHODS:
            begin_write(g.db_session)
    return g.db_session


def close_session(_error=None) -> None:
    """Close (and so roll back, if still open) the request's session."""
    opened = g.pop("db_session", None)
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
