"""Rate-limit counters in a small SQLite file, shared by every worker of one machine.

The `limits` library (under Flask-Limiter) counts in each worker's memory by default, so four
gunicorn workers allowed four times the configured logins. This storage keeps the counters in
a file beside the instance's data: SQLite's file locks make each increment atomic across
processes, with no server to run. Many machines share counters through Redis instead
(`BENNIU_RATELIMIT_STORAGE_URI=redis://...`).
"""
import random
import sqlite3
import threading
import time
import urllib.parse

from limits.storage import Storage

SCHEME = "benniu-file"

_INCREMENT = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :expires_at)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expires_at <= :now THEN excluded.count ELSE counters.count + excluded.count END,
    expires_at = CASE WHEN counters.expires_at <= :now THEN excluded.expires_at ELSE counters.expires_at END
RETURNING count
"""


def file_storage_uri(path) -> str:
    return f"{SCHEME}://{path}"


class FileStorage(Storage):
    """Fixed-window counters (what Flask-Limiter's default strategy needs) in a SQLite file."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        parsed = urllib.parse.urlparse(uri)
        self.path = parsed.netloc + parsed.path
        self._local = threading.local()
        self._connection().execute("CREATE TABLE IF NOT EXISTS counters "
                                   "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)")

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        connection = self._connection()
        if random.random() < 0.001:  # now and then, forget windows long past
            connection.execute("DELETE FROM counters WHERE expires_at < ?", (now - 3600,))
        return connection.execute(_INCREMENT, {"key": key, "amount": amount, "expires_at": now + expiry,
                                               "now": now}).fetchone()[0]

    def get(self, key: str) -> int:
        row = self._connection().execute("SELECT count FROM counters WHERE key = ? AND expires_at > ?",
                                          (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._connection().execute("SELECT expires_at FROM counters WHERE key = ? AND expires_at > ?",
                                          (key, time.time())).fetchone()
        return row[0] if row else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1")
            return True
        except sqlite3.Error:
            return False

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread (sqlite3 connections are not shared across threads); each
        # statement commits on its own (autocommit), so a counter is never held locked.
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            _switch_to_wal(connection)
            connection.execute("PRAGMA synchronous=OFF")  # a lost counter after a power cut is harmless
            self._local.connection = connection
        return connection


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """WAL lets workers read while one writes. Switching takes an exclusive lock and does not wait
    on the busy timeout, so workers starting together retry until one has switched the file."""
    for _ in range(200):
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            time.sleep(0.05)
    raise sqlite3.OperationalError("could not switch the rate-limit file to WAL mode")
