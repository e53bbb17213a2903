"""Kill the real server with SIGKILL in the middle of a load of check-ins; restart it; every
request that was answered 2xx is in the ledger exactly once, and the ledger is sound."""
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from api.tokens import issue_token
from points.activities import plan_activity
from points.checkins import Checkin
from points.codes import sign
from points.communities import found_community
from points.ledger import Transfer
from points.members import enrol_member
from points.rules import define_rule
from points.verify import ledger_problems

from .server import Server, free_port, post

VOLUNTEERS, ACTIVITIES = 40, 10

pytestmark = pytest.mark.slow


@pytest.fixture
def world(app, database_url, tmp_path):
    """A community with open activities and volunteers with tokens, made through the services."""
    now = datetime.now(timezone.utc)
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        community = found_community(session, name="振宇社区", code="zy", now=now)
        define_rule(session, community_id=community.id, code="patrol", name="巡逻", points=50, basis="per_event",
                    now=now)
        codes = [sign("test-secret", purpose="activity", subject_id=activity.id, expires_at=now + timedelta(hours=3))
                 for activity in (plan_activity(session, community_id=community.id, rule_code="patrol",
                                                title=f"巡逻 {i}", starts_at=now - timedelta(minutes=5),
                                                ends_at=now + timedelta(hours=2), now=now)
                                  for i in range(ACTIVITIES))]
        tokens = []
        for i in range(VOLUNTEERS):
            member = enrol_member(session, community_id=community.id, name=f"志愿者{i}", phone=f"1380000{i:04d}",
                                  now=now)
            tokens.append(issue_token(session, role="volunteer", name=f"v{i}", member_id=member.id, now=now)[0])
    env = {"BENNIU_DATABASE_URL": database_url, "BENNIU_SECRET_KEY": "test-secret",
           "BENNIU_RATELIMIT_ENABLED": "false", "BENNIU_INSTANCE_PATH": str(tmp_path / "server")}
    return env, codes, tokens


def test_sigkill_mid_load_loses_and_doubles_nothing(app, world):
    env, codes, tokens = world
    server = Server(env, free_port()).start()
    # Every (volunteer, activity) pair is one check-in, sent with its own idempotency key.
    jobs = [(token, code, f"crash-{v}-{a}") for v, token in enumerate(tokens) for a, code in enumerate(codes)]
    answers, lock, stop = {}, threading.Lock(), threading.Event()

    def fire(share):
        for token, code, key in share:
            if stop.is_set():
                return
            status, body = post(f"{server.url}/api/v1/checkins", {"code": code}, token=token, key=key, timeout=5)
            with lock:
                answers[key] = (status, body)

    threads = [threading.Thread(target=fire, args=(jobs[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    while len(answers) < len(jobs) // 4:  # kill once a quarter of the load has been answered
        time.sleep(0.01)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()

    answered = {key: body for key, (status, body) in answers.items() if 200 <= status < 300}
    assert answered and len(answered) < len(jobs), "the kill should land mid-load"
    with app.extensions["benniu"].sessionmaker() as session:
        stored = dict(session.execute(select(Checkin.id, Checkin.transfer_id)).all())
        for body in answered.values():
            assert stored.get(body["id"]) == body["transfer_id"], "a 2xx check-in is missing after the crash"
        assert ledger_problems(session) == []

    # Restarted, the clients retry everything with the same keys: answered ones replay
    # their answer; the rest take effect now, or replay what committed before the kill.
    server = Server(env, free_port()).start()
    try:
        for token, code, key in jobs:
            status, body = post(f"{server.url}/api/v1/checkins", {"code": code}, token=token, key=key)
            assert status == 201, body
            if key in answered:
                assert body == answered[key]
    finally:
        server.stop()
    with app.extensions["benniu"].sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == len(jobs)
        assert session.scalar(select(func.count()).select_from(Transfer)) == len(jobs)
        assert ledger_problems(session) == []
