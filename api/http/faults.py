"""When the database fails: which fault it is, the 503 (or 507) it answers, one log line for many.

A fault is the database being unable to do a request, not the request being wrong: it cannot
be reached (refused, shutting down, starting up), it dropped the connection, it refuses new
clients, a statement ran over its time limit, it cannot be written (a read-only file, a standby
after a failover) or it is full. Each answers in the contract's JSON with `Retry-After`, is
counted in /metrics by kind, and is logged as one JSON line: the first of a kind at once, then
at most one a second, each saying how many more there were (`repeated`).
"""
import logging
import threading
import time

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .errors import ServiceBusy
from .logs import json_line
from .metrics import observe_fault

LOG = logging.getLogger("benniu.faults")

# kind -> (status, what the answer says, Retry-After seconds)
KINDS = {
    "unreachable": (503, "the database cannot be reached (refused, shutting down or starting up); "
                         "nothing was saved, try again in a moment", 1),
    "lost": (503, "the connection to the database was lost; nothing was saved, try again in a moment", 1),
    "too_many_clients": (503, "the database refuses new connections (too many clients); nothing was saved, "
                              "try again in a moment", 1),
    "statement_timeout": (503, "the database took longer than its time limit (BENNIU_DB_STATEMENT_TIMEOUT_MS); "
                               "nothing was saved, try again later", 5),
    "busy": (503, "the database is busy; nothing was saved, try again", 1),
    "read_only": (503, "the database cannot be written (a read-only file, or a standby server); nothing was "
                       "saved: an operator must make it writable", 30),
    "full": (507, "the database is full (its disk, or its size limit); nothing was saved: an operator must "
                  "free space", 30),
    "commit_unknown": (503, "the database connection was lost while saving; repeat the request with the same "
                            "Idempotency-Key to be sure it counts once", 1),
}
# Faults a request is run again for (before its COMMIT was sent: then nothing of it was saved), and
# how many times it is tried in all. A dead pooled connection is replaced by a live one at once (the
# server restarted); a server that refuses connections is tried once more, briefly: a request that
# waits for it holds its worker's turn (api.http.server.Turns), and the client has Retry-After.
ATTEMPTS = {"lost": 5, "unreachable": 2, "too_many_clients": 2}

_BY_SQLSTATE = {"53300": "too_many_clients", "57014": "statement_timeout", "55P03": "statement_timeout",
                "25006": "read_only", "53100": "full", "57P01": "unreachable", "57P02": "unreachable",
                "57P03": "unreachable"}
_BY_SQLITE_ERROR = {"SQLITE_FULL": "full", "SQLITE_READONLY": "read_only", "SQLITE_CANTOPEN": "unreachable",
                    "SQLITE_IOERR": "unreachable", "SQLITE_BUSY": "busy", "SQLITE_LOCKED": "busy"}


def kind_of(error: BaseException) -> str | None:
    """The fault `error` is, or None when it is not the database failing (a bug, a constraint).

    An error raised while handling a fault is that fault: SQLite rolls a whole transaction back
    when it is full, so releasing the savepoint the write was in then fails with "no such
    savepoint", and that error carries the full database as its context.
    """
    for _ in range(4):
        kind = _kind_of_one(error)
        if kind is not None or error.__context__ is None:
            return kind
        error = error.__context__
    return None


def _kind_of_one(error: BaseException) -> str | None:
    if isinstance(error, PoolTimeout):
        return "busy"  # every pooled connection stayed in use past the pool's timeout
    if not isinstance(error, DBAPIError):
        return None
    if error.connection_invalidated:
        return "lost"
    original = error.orig
    sqlite_error = getattr(original, "sqlite_errorname", None)
    if sqlite_error:
        return next((kind for prefix, kind in _BY_SQLITE_ERROR.items() if sqlite_error.startswith(prefix)), None)
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate:
        return _BY_SQLSTATE.get(sqlstate) or ("unreachable" if sqlstate.startswith("08") else None)
    message = str(original)
    if "too many clients" in message or "too many connections" in message:
        return "too_many_clients"
    # psycopg's failures to connect (refused, timed out, no such host) carry no SQLSTATE
    return "unreachable" if type(original).__name__ == "OperationalError" else None


def unavailable(error: BaseException, kind: str) -> ServiceBusy:
    """The answer for a fault of `kind` (its exception to raise), counted and logged."""
    status, message, retry_after = KINDS[kind]
    observe_fault(kind)
    summary.fault(kind, detail(error))
    return ServiceBusy(message, kind=kind, status=status, retry_after=retry_after)


def as_unavailable(error: BaseException) -> ServiceBusy | None:
    """`unavailable` for an error met outside a transaction's retries (a page's sign-in check)."""
    kind = kind_of(error)
    return None if kind is None else unavailable(error, kind)


def detail(error: BaseException) -> str:
    """The driver's own words for `error`, on one line."""
    original = getattr(error, "orig", None) or error
    return " ".join(str(original).split())[:300]


class Summary:
    """Faults logged as lines, at most one a second for each kind, and one line when they end."""

    def __init__(self, logger: logging.Logger = LOG, every: float = 1.0):
        self.logger, self.every = logger, every
        self.lock = threading.Lock()
        self.logged_at: dict[str, float] = {}   # kind -> when its last line was written
        self.unlogged: dict[str, int] = {}      # kind -> faults since that line
        self.since: float | None = None         # when the first fault of this outage came
        self.count = 0

    def fault(self, kind: str, detail: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.count += 1
            self.since = self.since or now
            if now - self.logged_at.get(kind, -self.every) < self.every:
                self.unlogged[kind] = self.unlogged.get(kind, 0) + 1
                return
            self.logged_at[kind] = now
            repeated = self.unlogged.pop(kind, 0)
        json_line(self.logger, event="database_fault", kind=kind, detail=detail, repeated=repeated)

    def answered(self) -> None:
        """The database did a request's work: if faults came before, say they ended, and how many."""
        if not self.count:  # the common case, without the lock
            return
        with self.lock:
            if not self.count:
                return
            count, seconds, unlogged = self.count, time.monotonic() - self.since, self.unlogged
            self.count, self.since, self.logged_at, self.unlogged = 0, None, {}, {}
        json_line(self.logger, event="database_answers_again", faults=count, seconds=round(seconds, 2),
                  unlogged=unlogged)


summary = Summary()
