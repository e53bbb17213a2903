"""Backups of a SQLite database with SQLite's online backup API, and restoring one.

A backup is a consistent copy taken while the service runs (writers carry on meanwhile:
in WAL mode a reader never blocks them), never a copy of the file. PostgreSQL has its own
tools for this: pg_dump, or base backups with WAL archiving (README, Operations).
"""
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from .private import sqlite_files

POSTGRES_ADVICE = ("benniu backup and restore are for SQLite; back PostgreSQL up with pg_dump -Fc "
                   "(or base backups with WAL archiving) and restore with pg_restore: see the README, Operations")


# The stages of a backup or restore, in order (`step` is told each as it begins).
BACKUP_STEPS, RESTORE_STEPS = ("copying", "checking the copy"), ("checking the backup", "copying")


class BackupError(Exception):
    """What went wrong, in words for the operator."""


def _quietly(stage: str) -> None:
    """No one is watching the stages."""


def database_path(url: str) -> Path:
    """The SQLite file `url` names; BackupError for PostgreSQL or an in-memory database."""
    files = sqlite_files(url)
    if not files:
        raise BackupError(POSTGRES_ADVICE)
    return files[0]


def copy_database(source: Path, target: Path, *, step: Callable[[str], None] = _quietly) -> int:
    """Copy `source` into a new file at `target` (mode 0600), consistently; the number of pages.

    The copy is taken in one step, in one read transaction: it is the database as of one
    commit, and writers are not held up. It is written beside `target` and renamed into
    place, so `target` is never half a database. `step` is told each stage as it begins.
    """
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent} to write the backup into")
    draft = target.with_name(f".{target.name}.{os.getpid()}.partial")
    os.close(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        with _open(source, readonly=True) as origin, _open(draft) as copy:
            step("copying")
            origin.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            step("checking the copy")
            problems = _integrity_problems(copy)
            pages = copy.execute("PRAGMA page_count").fetchone()[0]
        if problems:
            raise BackupError(f"the copy of {source} failed its integrity check: {problems}")
        os.replace(draft, target)
    finally:
        draft.unlink(missing_ok=True)
    return pages


def restore_database(backup: Path, target: Path, *, step: Callable[[str], None] = _quietly) -> int:
    """Write `backup` over the database at `target` (made if missing); the number of pages.

    Runs through SQLite's backup API into `target`, so its WAL is handled: stop the
    service first, or its open requests see the database change beneath them.
    `step` is told each stage as it begins.
    """
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    with _open(backup, readonly=True) as origin:
        step("checking the backup")
        problems = _integrity_problems(origin)
        if problems:
            raise BackupError(f"{backup} is not a sound SQLite database: {problems}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
        with _open(target) as destination:
            step("copying")
            origin.backup(destination)
            return destination.execute("PRAGMA page_count").fetchone()[0]


def _open(path: Path, *, readonly: bool = False) -> closing:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    connection = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # fails here if it is no database
    except sqlite3.DatabaseError as error:
        connection.close()
        raise BackupError(f"cannot open {path} as a SQLite database: {error}") from None
    return closing(connection)


def _integrity_problems(connection) -> str:
    found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return "" if found == ["ok"] else "; ".join(found[:5])
