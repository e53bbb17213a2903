"""The database holds phones and password hashes: its files are the service user's alone."""
import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE = 0o077  # umask: new files 0600, new folders 0700


@contextmanager
def private_files():
    """Create files (database, WAL, backups, the secret) readable by this user only."""
    previous = os.umask(PRIVATE)
    try:
        yield
    finally:
        os.umask(previous)


def sqlite_files(url: str) -> list[Path]:
    """The SQLite database file of `url` and its WAL and shared-memory files; none for PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return []
    database = Path(parsed.database)
    return [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]


def make_private(url: str) -> None:
    """Take group and other access away from a SQLite database made before (e.g. by an older release).

    SQLite creates the WAL and shared-memory files with the database file's mode, so keeping
    the database at 0600 keeps them so too.
    """
    for path in sqlite_files(url):
        if path.exists():
            path.chmod(0o600)
