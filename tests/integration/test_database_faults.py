"""A database that cannot do a request (away, full, read-only, slow, out of connections) answers
503 (507 when full) with Retry-After, in JSON on the API and in Chinese on the pages; nothing is
half-written, and each fault is one log line and a count in /metrics."""
import json
import logging
import os
import socket
import sqlite3
import threading

import pytest
from click.testing import CliRunner
from prometheus_client import REGISTRY
from sqlalchemy import event, func, select, text

from api import create_app
from api.cli import main
from api.http import faults
from api.http.logs import JsonFormatter
from points.engines import make_engine
from points.ledger import Transfer

from ..conftest import POSTGRES_URL
from ..helpers import Client
from ..pages.conftest import PageClient

postgres_only = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (BENNIU_TEST_DATABASE_URL)")
sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="a SQLite file's own faults")


def earnings(session) -> int:
    session.rollback()  # a fresh snapshot
    return session.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "earn"))


def faults_counted(kind: str) -> float:
    return REGISTRY.get_sample_value("benniu_db_faults_total", {"kind": kind}) or 0


def unreachable_url(tmp_path) -> str:
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path / 'no-such-folder' / 'benniu.db'}"
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://benniu@127.0.0.1:{port}/benniu"


@pytest.fixture
def fault_lines(caplog):
    """The JSON lines api.http.faults writes while the test runs."""
    caplog.set_level(logging.INFO, logger="benniu.faults")
    faults.summary = faults.Summary()  # a fresh count: no fault of an earlier test is summarised here
    return lambda: [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name == "benniu.faults"]


def kinds(lines: list[dict]) -> list[str]:
    return [line["kind"] for line in lines if line["event"] == "database_fault"]


def assert_unavailable(response, status: int = 503, code: str = "service_unavailable"):
    assert (response.status_code, response.json["code"], response.json["status"]) == (status, code, status)
    assert int(response.headers["Retry-After"]) >= 1
    return response.json["message"]


def test_an_unreachable_database_at_start_up_answers_503_with_the_reason_and_a_chinese_page(
        app, tmp_path, volunteer, fault_lines):
    member, _ = volunteer
    browser = PageClient(app).sign_in(member["phone"], "secret123")
    away = create_app({"DATABASE_URL": unreachable_url(tmp_path), "SECRET_KEY": "test-secret",
                       "RATELIMIT_ENABLED": False}, instance_path=tmp_path / "away")
    try:
        client = away.test_client()
        before = faults_counted("unreachable")
        assert "cannot be reached" in assert_unavailable(client.get("/healthz"))
        assert_unavailable(Client(away, "any-token").get("/api/v1/members/1"))
        # the same browser, signed in: its sign-in check itself meets the fault
        client.set_cookie("benniu_session", browser.client.get_cookie("benniu_session").value)
        page = client.get("/me/claims")
        assert page.status_code == 503 and page.headers["Retry-After"] == "1"
        assert "系统正在恢复，请稍后再试" in page.get_data(as_text=True)
        assert faults_counted("unreachable") == before + 3
        lines = fault_lines()
        assert len(lines) == 1 and lines[0]["kind"] == "unreachable"  # three faults, one line this second
    finally:
        away.extensions["benniu"].engine.dispose()


def test_commands_against_an_unreachable_database_fail_with_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("BENNIU_DATABASE_URL", unreachable_url(tmp_path))
    monkeypatch.setenv("BENNIU_INSTANCE_PATH", str(tmp_path / "instance"))
    for command in (["init"], ["verify"], ["expire-vouchers"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: the database could not do it: the database "
                                                       "cannot be reached"), result.output


def test_repeated_faults_are_one_line_a_second_with_their_count():
    written = []

    class Collect(logging.Handler):
        def emit(self, record):
            written.append(json.loads(JsonFormatter().format(record)))

    logger = logging.getLogger("test.faults.summary")
    logger.addHandler(Collect())
    logger.setLevel(logging.INFO)
    summary = faults.Summary(logger, every=3600)
    for _ in range(50):
        summary.fault("unreachable", "connection refused")
    summary.fault("too_many_clients", "too many clients")
    summary.answered()
    summary.answered()  # nothing more to say
    assert [(line["event"], line.get("kind")) for line in written] == [
        ("database_fault", "unreachable"), ("database_fault", "too_many_clients"), ("database_answers_again", None)]
    assert written[2]["faults"] == 51 and written[2]["unlogged"] == {"unreachable": 49}
    summary = faults.Summary(logger, every=0)  # every fault past the interval gets its line, with the count
    summary.fault("busy", "locked")
    summary.fault("busy", "locked")
    assert [line["repeated"] for line in written[3:]] == [0, 0]


@sqlite_only
def test_a_full_sqlite_database_answers_507_and_saves_nothing(app, organiser, volunteer, session, database_url,
                                                              fault_lines):
    member, _ = volunteer
    organiser.post("/api/v1/rules", {"code": "tidy", "name": "清扫", "points": 1, "basis": "per_event"}, expect=201)
    body = {"member_id": member["id"], "rule_code": "tidy", "memo": "清扫楼道" * 50}
    engine = app.extensions["benniu"].engine
    engine.dispose()
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as raw:
        pages = raw.execute("PRAGMA page_count").fetchone()[0]

    def cap(dbapi_connection, _record):  # the database may not grow by a single page
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", cap)
    faults.summary = faults.Summary(every=3600)  # one line a kind however long 40 requests take on a busy machine
    before = earnings(session)
    answers = [organiser.post("/api/v1/awards", body, key=f"full-{n}").status_code for n in range(40)]
    assert 507 in answers, answers
    refused = organiser.post("/api/v1/awards", body, key="full-last")
    assert "full" in assert_unavailable(refused, 507, "insufficient_storage")
    assert earnings(session) == before + answers.count(201)
    assert kinds(fault_lines()) == ["full"]  # many faults, one line
    event.remove(engine, "connect", cap)
    engine.dispose()
    organiser.post("/api/v1/awards", body, key="full-last", expect=201)
    assert earnings(session) == before + answers.count(201) + 1


@sqlite_only
def test_a_read_only_sqlite_file_answers_503_for_writes_and_still_serves_reads(app, organiser, volunteer, rules,
                                                                              database_url, session, fault_lines):
    member, _ = volunteer
    engine = app.extensions["benniu"].engine
    engine.dispose()
    path = database_url.removeprefix("sqlite:///")
    os.chmod(path, 0o444)  # as the service's user finds a file another user owns: SQLite opens it read-only

    def refuse_writes(dbapi_connection, _record):
        # root writes whatever the file's mode says: there, SQLite is told to refuse writes, which
        # it does with the same SQLITE_READONLY as for a file it could only open for reading
        dbapi_connection.execute("PRAGMA query_only = ON")

    if os.geteuid() == 0:
        event.listen(engine, "connect", refuse_writes)
    try:
        before = earnings(session)
        refused = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, key="ro")
        assert "cannot be written" in assert_unavailable(refused)
        assert organiser.get(f"/api/v1/members/{member['id']}").status_code == 200
        assert earnings(session) == before
        assert kinds(fault_lines()) == ["read_only"]
    finally:
        os.chmod(path, 0o644)
        if event.contains(engine, "connect", refuse_writes):
            event.remove(engine, "connect", refuse_writes)
        engine.dispose()


@sqlite_only
def test_a_writer_waiting_past_the_busy_timeout_answers_503(database_url, clock, tmp_path, session):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
                      "DB_STATEMENT_TIMEOUT_MS": 200}, clock=clock, instance_path=tmp_path / "slow")
    admin = Client(app, _admin_token(app, clock))
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holding SQLite's write lock
    try:
        refused = admin.post("/api/v1/communities", {"name": "振宇社区", "code": "zhenyu"})
        assert_unavailable(refused)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    admin.post("/api/v1/communities", {"name": "振宇社区", "code": "zhenyu"}, expect=201)
    app.extensions["benniu"].engine.dispose()


def _admin_token(app, clock) -> str:
    from api.identity.tokens import issue_token

    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        return issue_token(session, role="admin", name="admin", now=clock.now())[0]


@postgres_only
def test_too_many_clients_answers_503_and_serves_again_once_a_connection_is_free(database_url, clock, tmp_path,
                                                                                 fault_lines):
    server = make_engine(database_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text("DROP ROLE IF EXISTS benniu_one_client"))
        connection.execute(text("CREATE ROLE benniu_one_client LOGIN CONNECTION LIMIT 1"))
    url = database_url.replace("//benniu@", "//benniu_one_client@")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False},
                     clock=clock, instance_path=tmp_path / "crowded")
    other = make_engine(url)
    try:
        held = other.connect()  # the role's one connection, taken by another client
        held.execute(text("SELECT 1"))
        assert "too many clients" in assert_unavailable(app.test_client().get("/healthz"))
        assert kinds(fault_lines()) == ["too_many_clients"]
        held.close()
        other.dispose()
        assert app.test_client().get("/healthz").status_code == 200
        assert fault_lines()[-1]["event"] == "database_answers_again"
    finally:
        other.dispose()
        app.extensions["benniu"].engine.dispose()
        with server.connect() as connection:
            connection.execute(text("DROP ROLE benniu_one_client"))
        server.dispose()


@postgres_only
def test_a_statement_over_its_time_limit_answers_503_and_saves_nothing(database_url, clock, tmp_path, organiser,
                                                                      volunteer, session, fault_lines):
    member, _ = volunteer
    organiser.post("/api/v1/rules", {"code": "tidy", "name": "清扫", "points": 1, "basis": "per_event"}, expect=201)
    slow = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
                       "DB_STATEMENT_TIMEOUT_MS": 300}, clock=clock, instance_path=tmp_path / "slow")
    award = {"member_id": member["id"], "rule_code": "tidy"}
    locker = make_engine(database_url)
    locked, release = threading.Event(), threading.Event()

    def hold_the_ledger():  # a long transaction (a migration, a vacuum full) locking the table awards write
        with locker.begin() as connection:
            connection.execute(text("LOCK TABLE transfers IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_ledger)
    holder.start()
    try:
        assert locked.wait(10)
        refused = Client(slow, organiser.token).post("/api/v1/awards", award, key="slow")
        assert "time limit" in assert_unavailable(refused)
        assert kinds(fault_lines()) == ["statement_timeout"]
    finally:
        release.set()
        holder.join()
        locker.dispose()
    assert earnings(session) == 0
    Client(slow, organiser.token).post("/api/v1/awards", award, key="slow", expect=201)
    assert earnings(session) == 1
    slow.extensions["benniu"].engine.dispose()


@postgres_only
def test_exports_and_imports_get_the_longer_time_limit(app):
    from flask import g

    from api.http import db

    app.config.update(DB_LONG_STATEMENT_TIMEOUT_MS=123456)
    for path, limit in (("/api/v1/exports/members", "123456ms"), ("/console/members/import", "123456ms"),
                        ("/api/v1/members", "15s")):
        with app.test_request_context(path):
            assert db.session().execute(text("SHOW statement_timeout")).scalar() == limit, path
            g.pop("db_session").close()
