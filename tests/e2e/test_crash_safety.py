"""Kill the real server with SIGKILL in the middle of a load of check-ins; restart it; every
request that was answered 2xx is in the ledger exactly once, and the ledger is sound."""
import threading
import time

import pytest
from sqlalchemy import func, select

from points.checkins import Checkin
from points.ledger import Transfer
from points.verify import ledger_problems

from .server import Server, free_port, post

pytestmark = pytest.mark.slow


def test_sigkill_mid_load_loses_and_doubles_nothing(app, world):
    env, codes, tokens = world.env, world.codes, world.tokens
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
