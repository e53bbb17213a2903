"""PostgreSQL stopped and started under the real service (`benniu serve`): the service answers 503
with Retry-After while it is away (never 500), loses and doubles nothing, logs a few lines a second,
and serves again by itself. The cluster is a throwaway of the test's own (.ci/postgres)."""
import json
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.identity.tokens import issue_token
from api.operations.schema import upgrade
from points.communities import found_community
from points.engines import make_engine
from points.ledger import Transfer
from points.members import enrol_member
from points.rules import define_rule

from ..conftest import POSTGRES_URL
from .server import Server, free_port

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not POSTGRES_URL, reason="stops and starts a PostgreSQL cluster of its own")]

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres"
CLIENTS = 8
BACK_WITHIN_SECONDS = 10


class Cluster:
    """A PostgreSQL cluster in a folder of its own, on a port of its own."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="benniu-outage-pg.", dir="/tmp")  # the postgres user must reach it
        self.port = free_port()
        self.url = None

    def start(self) -> float:
        """Start it; when it accepts connections (pg_ctl -w waits for that)."""
        output = subprocess.run([str(SCRIPT), "start", self.folder, str(self.port)], check=True,
                                capture_output=True, text=True).stdout
        self.url = output.strip().splitlines()[-1]
        return time.monotonic()

    def stop(self) -> float:
        """A fast shutdown, as an operator's restart or a failover does: clients are disconnected."""
        subprocess.run([str(SCRIPT), "stop", self.folder], check=True)
        return time.monotonic()


@dataclass
class Ledger:
    url: str
    organiser: str
    member_ids: list[int]
    env: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def ledger(cluster, tmp_path_factory) -> Ledger:
    """The schema, a community with a rule without a daily cap, a member for each client."""
    engine = make_engine(cluster.url)
    upgrade(engine)
    now = datetime.now(timezone.utc)
    with Session(engine) as session, session.begin():
        community = found_community(session, name="振宇社区", code="zy", now=now)
        define_rule(session, community_id=community.id, code="tidy", name="清扫", points=1, basis="per_event", now=now)
        member_ids = [enrol_member(session, community_id=community.id, name=f"志愿者{n}", phone=f"1380000{n:04d}",
                                   now=now).id for n in range(CLIENTS)]
        organiser = issue_token(session, role="organiser", name="民警", community_id=community.id, now=now)[0]
    engine.dispose()
    env = {"BENNIU_DATABASE_URL": cluster.url, "BENNIU_SECRET_KEY": "test-secret", "BENNIU_RATELIMIT_ENABLED": "false",
           "BENNIU_INSTANCE_PATH": str(tmp_path_factory.mktemp("server")), "BENNIU_METRICS_TOKEN": "scrape"}
    return Ledger(cluster.url, organiser, member_ids, env)


def award(base: str, token: str, member_id: int, key: str) -> tuple[int, dict, str | None]:
    """POST an award; (status, body, Retry-After), or (0, {}, None) if no answer came."""
    request = urllib.request.Request(
        f"{base}/api/v1/awards", data=json.dumps({"member_id": member_id, "rule_code": "tidy"}).encode(),
        method="POST", headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                                "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), error.headers.get("Retry-After")
    except OSError:
        return 0, {}, None


def health(base: str) -> tuple[int, dict, str | None]:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read()), None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), error.headers.get("Retry-After")


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.01)


def earnings(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Transfer).where(Transfer.kind == "earn"))
    engine.dispose()
    return count


def test_a_service_started_while_the_database_is_away_answers_503_then_serves_when_it_comes(
        cluster, ledger, tmp_path):
    cluster.stop()
    server = Server(ledger.env, free_port(), log=tmp_path / "server.log").start(healthy=False)
    try:
        status, body, retry_after = health(server.url)
        assert (status, body["code"], retry_after) == (503, "service_unavailable", "1")
        assert "cannot be reached" in body["message"]
        status, body, retry_after = award(server.url, ledger.organiser, ledger.member_ids[0], "before-start")
        assert (status, body["code"], retry_after) == (503, "service_unavailable", "1")
        ready = cluster.start()
        wait_for(lambda: health(server.url)[0] == 200, BACK_WITHIN_SECONDS, "the service to answer again")
        print(f"serving {time.monotonic() - ready:.2f} s after PostgreSQL accepted connections")
        status, body, _ = award(server.url, ledger.organiser, ledger.member_ids[0], "before-start")
        assert status == 201, body
    finally:
        server.stop()


def test_an_outage_under_load_answers_503_loses_nothing_counts_once_and_ends_by_itself(cluster, ledger, tmp_path):
    log = tmp_path / "server.log"
    server = Server(ledger.env, free_port(), log=log).start()
    before = earnings(ledger.url)
    answers: list[tuple[float, str, int, dict, str | None]] = []  # (when, key, status, body, Retry-After)
    stop = threading.Event()

    def client(number: int):
        sent = 0
        while not stop.is_set():
            key = f"c{number}-{sent}"
            status, body, retry_after = award(server.url, ledger.organiser, ledger.member_ids[number], key)
            answers.append((time.monotonic(), key, status, body, retry_after))
            sent += 1

    def answered(status: int, after: float = 0) -> int:
        return sum(1 for when, _, code, _, _ in list(answers) if code == status and when > after)

    def refused_since(moment: float, prefix: str) -> int:
        return sum(1 for when, key, code, _, _ in list(answers) if code == 503 and when > moment
                   and key.startswith(prefix))

    clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in clients:
        thread.start()
    try:
        wait_for(lambda: answered(201) >= 100, 60, "a hundred awards before the outage")
        lines_before = len(log.read_text(encoding="utf-8").splitlines())
        stopped = cluster.stop()
        wait_for(lambda: all(refused_since(stopped, f"c{n}-") >= 50 for n in range(CLIENTS)), 60,
                 "every client to be answered 503 fifty times")
        ready = cluster.start()
        outage = ready - stopped
        wait_for(lambda: answered(201, ready) >= 1, BACK_WITHIN_SECONDS, "an award after PostgreSQL came back")
        back = min(when for when, _, status, _, _ in list(answers) if status == 201 and when > ready) - ready
        outage_lines = log.read_text(encoding="utf-8").splitlines()[lines_before:]
        wait_for(lambda: answered(201, ready) >= 100, 60, "a hundred awards after the outage")
    finally:
        stop.set()
        for thread in clients:
            thread.join()
    try:
        statuses = {status for _, _, status, _, _ in answers}
        assert statuses <= {201, 503}, statuses
        refused = [(body, retry_after) for _, _, status, body, retry_after in answers if status == 503]
        assert all(body["code"] == "service_unavailable" and retry_after for body, retry_after in refused)
        print(f"PostgreSQL away {outage:.2f} s: {len(refused)} answers 503, {answered(201)} awards; "
              f"serving again {back:.2f} s after it accepted connections")

        # Logs: besides the one line per request, no traceback and a few lines a second.
        others = [line for line in outage_lines if not _request_or_event(line)]
        print(f"{len(others)} other log lines while it was away, such as: {others[:3]}")
        assert not [line for line in others if "Traceback" in line]
        assert len(others) <= 5 * (outage + 1), others
        faults = [json.loads(line) for line in others if line.startswith("{")]
        assert {line["event"] for line in faults} <= {"database_fault", "database_answers_again"}

        # Every acknowledged award is there once; replaying any key adds nothing more.
        acknowledged = {key: body["transfer_id"] for _, key, status, body, _ in answers if status == 201}
        unknown = {key for _, key, status, _, _ in answers if status == 503}
        saved = earnings(ledger.url) - before
        assert len(acknowledged) <= saved <= len(acknowledged) + len(unknown)
        for key, transfer_id in acknowledged.items():
            member_id = ledger.member_ids[int(key[1:].split("-")[0])]
            status, body, _ = award(server.url, ledger.organiser, member_id, key)
            assert (status, body.get("transfer_id")) == (201, transfer_id), key
        assert earnings(ledger.url) - before == saved
        for key in unknown:  # whether it was saved or not, once replayed it counts exactly once
            member_id = ledger.member_ids[int(key[1:].split("-")[0])]
            assert award(server.url, ledger.organiser, member_id, key)[0] == 201, key
        assert earnings(ledger.url) - before == len(acknowledged) + len(unknown)

        scrape = urllib.request.Request(f"{server.url}/metrics", headers={"Authorization": "Bearer scrape"})
        with urllib.request.urlopen(scrape, timeout=10) as response:
            counted = [line for line in response.read().decode().splitlines()
                       if line.startswith("benniu_db_faults_total{")]
        assert sum(float(line.rsplit(" ", 1)[1]) for line in counted) >= 1, counted
    finally:
        server.stop()
    assert back < BACK_WITHIN_SECONDS


def _request_or_event(line: str) -> bool:
    """A request's own line (api.http.logs) or a committed event's (api.acts.events): one per request."""
    if not line.startswith("{"):
        return False
    parsed = json.loads(line)
    return "route" in parsed or parsed.get("event") not in (None, "database_fault", "database_answers_again")
