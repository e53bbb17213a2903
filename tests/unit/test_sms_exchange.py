"""What every SMS provider's request meets on the network (api/sms/exchange.py), against small local
servers that answer badly: a redirect, an answer dripped byte by byte, a cut answer, not JSON."""
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.sms.exchange import json_answer
from api.sms.provider import SmsError


@contextmanager
def server(respond):
    """A local HTTP server whose every POST is answered by `respond(handler)`; yields (url, hits)."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            hits.append((self.path, dict(self.headers)))
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            respond(self)

        do_GET = do_POST  # noqa: N815 (a followed redirect would come as a GET)

        def log_message(self, *args):
            pass

    running = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    running.daemon_threads = True
    threading.Thread(target=running.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{running.server_port}/", hits
    finally:
        running.shutdown()
        running.server_close()


def post(url: str, timeout: float = 2) -> dict:
    request = urllib.request.Request(url, data=b"{}", method="POST", headers={
        "Content-Type": "application/json", "Authorization": "signed"})
    return json_answer(request, timeout=timeout, provider="the provider")


def answer(status: int, body: bytes, **headers):
    def respond(handler):
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return respond


def test_a_json_answer_and_a_json_refusal_are_both_read():
    with server(answer(200, b'{"Code": "OK"}')) as (url, _):
        assert post(url) == {"Code": "OK"}
    with server(answer(400, b'{"Code": "SignatureDoesNotMatch"}')) as (url, _):
        assert post(url) == {"Code": "SignatureDoesNotMatch"}


def test_a_redirect_is_not_followed_with_the_signed_headers():
    with server(answer(200, b'{"Code": "OK"}')) as (elsewhere, followed):
        with server(answer(302, b"", Location=elsewhere)) as (url, _):
            with pytest.raises(SmsError) as refused:
                post(url)
    assert refused.value.code == "bad_answer" and followed == []


def test_an_answer_dripped_slowly_is_given_up_at_the_time_limit():
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:  # the client gave up, as it should
            pass

    with server(drip) as (url, _):
        started = time.monotonic()
        with pytest.raises(SmsError) as slow:
            post(url, timeout=0.5)
    assert slow.value.code == "timeout" and time.monotonic() - started < 5


def test_a_connection_cut_mid_answer_is_a_bad_answer_not_a_crash():
    def cut(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"Code": ')
        handler.wfile.flush()
        handler.connection.shutdown(2)

    with server(cut) as (url, _):
        with pytest.raises(SmsError) as failed:
            post(url)
    assert failed.value.code == "bad_answer"  # what came is not JSON


@pytest.mark.parametrize("body", [b"<html>busy</html>", b"[" * 60000, b'["a list"]'])
def test_what_is_not_a_json_object_is_a_bad_answer(body):
    with server(answer(200, body)) as (url, _):
        with pytest.raises(SmsError) as bad:
            post(url)
    assert bad.value.code == "bad_answer"


def test_a_providers_code_and_message_are_bounded_before_they_are_logged():
    refusal = SmsError("X" * 10_000, "y" * 10_000)
    assert len(refusal.code) == 64 and len(str(refusal)) < 400
