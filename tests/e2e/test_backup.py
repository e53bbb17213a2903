"""A backup taken while the real server is busy awarding points, restored into a fresh
instance, holds every award acknowledged before it began, and `benniu verify` says ok.
SQLite: `benniu backup` and `benniu restore`. PostgreSQL: pg_dump and pg_restore."""
import glob
import os
import shutil
import stat
import subprocess
import threading
import time

import pytest
from sqlalchemy import select

from points.engines import make_engine
from points.ledger import Transfer

from .server import BENNIU, post, serving

pytestmark = pytest.mark.slow


def run(*command, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=120)


def postgres_tool(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def back_up(env: dict, target) -> None:
    url = env["BENNIU_DATABASE_URL"]
    if url.startswith("sqlite"):
        done = run(BENNIU, "backup", target, env=env)
    else:
        pg_dump = postgres_tool("pg_dump")
        if pg_dump is None:
            pytest.skip("pg_dump is not installed")
        done = run(pg_dump, "--format=custom", "--file", target, libpq_url(url), env={})
    assert done.returncode == 0, done.stderr


def restore(backup, env: dict) -> None:
    url = env["BENNIU_DATABASE_URL"]
    if url.startswith("sqlite"):
        done = run(BENNIU, "restore", "--yes", backup, env=env)
        assert done.returncode == 0 and "restored" in done.stdout, done.stdout + done.stderr
    else:
        done = run(postgres_tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", libpq_url(url),
                   backup, env={})
        assert done.returncode == 0, done.stderr


def test_a_backup_under_load_restores_every_acknowledged_award(world, tmp_path, fresh_database_url):
    if not world.env["BENNIU_DATABASE_URL"].startswith("sqlite") and postgres_tool("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    jobs = [(token, code) for token in world.tokens for code in world.codes]
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    backup = tmp_path / "backups" / "benniu.backup"
    backup.parent.mkdir()

    with serving(world.env) as server:
        def load(share):
            for token, code in share:
                if stop.is_set():
                    return
                status, body = post(f"{server.url}/api/v1/checkins", {"code": code}, token=token)
                if status == 201:
                    with lock:
                        acknowledged.append(body)

        threads = [threading.Thread(target=load, args=(jobs[i::6],)) for i in range(6)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 50 and time.monotonic() < deadline:
            time.sleep(0.01)
        with lock:
            before = list(acknowledged)
        assert len(before) >= 50, "the server did not take the load"
        back_up(world.env, backup)
        with lock:
            during = len(acknowledged) - len(before)
        stop.set()
        for thread in threads:
            thread.join()
    assert during > 0, "the load should go on while the backup is taken"

    fresh = {**world.env, "BENNIU_DATABASE_URL": fresh_database_url, "BENNIU_INSTANCE_PATH": str(tmp_path / "new")}
    restore(backup, fresh)
    engine = make_engine(fresh_database_url)
    with engine.connect() as connection:
        restored = dict(connection.execute(select(Transfer.id, Transfer.amount)).all())
    engine.dispose()
    missing = [body for body in before if restored.get(body["transfer_id"]) != body["points"]]
    assert not missing, f"{len(missing)} acknowledged awards are not in the restored backup"
    verified = run(BENNIU, "verify", env=fresh)
    assert verified.returncode == 0 and verified.stdout.strip() == "ok", verified.stdout
    if fresh_database_url.startswith("sqlite"):
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
