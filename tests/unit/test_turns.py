"""`api.http.server.Turns`: a worker's threads read requests side by side and run the app one at a time."""
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.http.server import Turns


class _Recorder:
    """A WSGI app that notes how many requests are inside it at once."""

    def __init__(self, seconds: float = 0.05):
        self.seconds, self.inside, self.most, self.lock = seconds, 0, 0, threading.Lock()
        self.bodies = []

    def __call__(self, environ, start_response):
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        try:
            self.bodies.append(environ["wsgi.input"].read())
            time.sleep(self.seconds)
            start_response("200 OK", [])
            return [b"ok"]
        finally:
            with self.lock:
                self.inside -= 1


def environ(body: bytes = b"", **extra) -> dict:
    return {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), **extra}


def test_requests_run_the_app_one_at_a_time():
    app = _Recorder()
    turns = Turns(app, patience=5)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda n: turns(environ(b"%d" % n), lambda *_: None), range(6)))
    assert answers == [[b"ok"]] * 6
    assert app.most == 1
    assert sorted(app.bodies) == [b"%d" % n for n in range(6)]


def test_a_request_slower_than_the_patience_lets_the_next_one_in_beside_it():
    release, entered = threading.Event(), []

    def app(environ, start_response):
        entered.append(time.monotonic())
        if len(entered) == 1:
            assert release.wait(10)
        return [b"ok"]

    turns = Turns(app, patience=0.2)
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(turns, environ(), None)
        while not entered:
            time.sleep(0.01)
        started = time.monotonic()
        assert pool.submit(turns, environ(), None).result(timeout=5) == [b"ok"]  # while the first still runs
        waited = time.monotonic() - started
        release.set()
        assert slow.result(timeout=5) == [b"ok"]
    assert 0.15 < waited < 2


class _SlowBody(io.RawIOBase):
    """A client that sends its body only when told to."""

    def __init__(self, body: bytes, go: threading.Event):
        self.body, self.go = body, go

    def readable(self):
        return True

    def read(self, size=-1):
        assert self.go.wait(10)
        body, self.body = self.body, b""
        return body


def test_a_body_still_on_its_way_does_not_hold_the_turn():
    app, go = _Recorder(seconds=0), threading.Event()
    turns = Turns(app, patience=30)
    with ThreadPoolExecutor(2) as pool:
        waiting = pool.submit(turns, {"wsgi.input": _SlowBody(b"late", go), "CONTENT_LENGTH": "4"}, lambda *_: None)
        time.sleep(0.1)
        assert pool.submit(turns, environ(b"quick"), lambda *_: None).result(timeout=2) == [b"ok"]
        go.set()
        assert waiting.result(timeout=5) == [b"ok"]
    assert app.bodies == [b"quick", b"late"]


def test_a_client_that_stalls_in_its_body_fails_the_app_s_read_as_before():
    class Stalled(io.RawIOBase):
        def readable(self):
            return True

        def read(self, size=-1):
            raise ConnectionResetError("client silent")

    seen = []

    def app(environ, start_response):
        with pytest.raises(ConnectionResetError):
            environ["wsgi.input"].read(10)
        seen.append(True)
        return [b"400"]

    assert Turns(app)({"wsgi.input": Stalled(), "CONTENT_LENGTH": "10"}, None) == [b"400"]
    assert seen == [True]


def test_a_body_declared_over_the_limit_is_left_unread_for_the_app_to_refuse():
    stream = io.BytesIO(b"x" * 100)
    seen = []

    def app(environ, start_response):
        seen.append(environ["wsgi.input"])
        return []

    Turns(app, body_limit=10)({"wsgi.input": stream, "CONTENT_LENGTH": "100"}, None)
    assert seen == [stream] and stream.tell() == 0
