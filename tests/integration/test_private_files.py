"""The SQLite database, its WAL and shared-memory files and its backups are the service
user's alone (0600), whatever the umask; a backup holds commits still in the WAL."""
import os
import shutil
import sqlite3
import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from api.cli import main
from points.engines import make_engine

from ..conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite files")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def benniu(tmp_path, monkeypatch):
    monkeypatch.setenv("BENNIU_DATABASE_URL", f"sqlite:///{tmp_path / 'benniu.db'}")
    monkeypatch.setenv("BENNIU_INSTANCE_PATH", str(tmp_path / "instance"))
    previous = os.umask(0o022)  # a usual login umask: files would be world-readable
    yield lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)
    os.umask(previous)


def test_init_creates_the_database_its_wal_and_the_secret_for_the_owner_only(benniu, tmp_path):
    assert benniu("init", "--demo").exit_code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'benniu.db'}")  # a server's first connection makes -wal, -shm
    with engine.begin() as connection:
        connection.execute(text("UPDATE members SET team = team"))
        assert mode(tmp_path / "benniu.db-wal") == 0o600 and mode(tmp_path / "benniu.db-shm") == 0o600
    engine.dispose()
    assert mode(tmp_path / "benniu.db") == 0o600
    assert mode(tmp_path / "instance" / "secret_key") == 0o600


def test_init_takes_access_away_from_a_database_an_older_release_left_readable(benniu, tmp_path):
    benniu("init")
    (tmp_path / "benniu.db").chmod(0o644)
    benniu("init")
    assert mode(tmp_path / "benniu.db") == 0o600


def test_a_backup_is_private_and_holds_what_is_still_only_in_the_wal(benniu, tmp_path):
    benniu("init", "--demo")
    writer = sqlite3.connect(tmp_path / "benniu.db")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep the commit in the WAL, as a busy server may
    writer.execute("UPDATE members SET team = '只在 WAL 里' WHERE id = 1")
    writer.commit()
    shutil.copyfile(tmp_path / "benniu.db", tmp_path / "file-copy.db")  # what a plain copy would keep

    assert benniu("backup", str(tmp_path / "backup.db")).exit_code == 0
    writer.close()
    assert mode(tmp_path / "backup.db") == 0o600
    assert not (tmp_path / "backup.db-wal").exists()
    assert team_of_member_1(tmp_path / "backup.db") == "只在 WAL 里"
    assert team_of_member_1(tmp_path / "file-copy.db") != "只在 WAL 里"


def team_of_member_1(path) -> str | None:
    try:
        return sqlite3.connect(path).execute("SELECT team FROM members WHERE id = 1").fetchone()[0]
    except sqlite3.Error:  # a plain copy may not even have the tables yet
        return None


def test_restore_puts_a_backup_in_place_and_refuses_what_is_no_database(benniu, tmp_path):
    benniu("init", "--demo")
    benniu("backup", str(tmp_path / "backup.db"))
    (tmp_path / "benniu.db").unlink()
    result = benniu("restore", "--yes", str(tmp_path / "backup.db"))
    assert result.exit_code == 0 and "restored" in result.output
    assert mode(tmp_path / "benniu.db") == 0o600 and benniu("verify").output.strip() == "ok"
    (tmp_path / "junk").write_text("not a database")
    refused = benniu("restore", "--yes", str(tmp_path / "junk"))
    assert refused.exit_code != 0 and "not" in refused.output


def test_backup_on_postgresql_points_to_pg_dump(tmp_path, monkeypatch):
    monkeypatch.setenv("BENNIU_DATABASE_URL", "postgresql+psycopg://benniu@127.0.0.1:1/none")
    monkeypatch.setenv("BENNIU_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "b")])
    assert result.exit_code != 0 and "pg_dump" in result.output
