"""What every SMS provider's request meets on the network (api/sms/exchange.py), against small local
servers that answer badly: a redirect, an answer dripped byte by byte, a cut answer, not JSON."""
import time
import urllib.request

import pytest

from api.sms.exchange import json_answer
from api.sms.provider import SmsError

from ..fakes.provider import FakeProvider


class Server(FakeProvider):
    """A local server whose every request is answered by `respond(handler)`; `received` has the paths asked for."""

    def __init__(self, respond):
        super().__init__()
        self._respond = respond

    def respond(self, handler):
        self.received.append(handler.path)
        handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        self._respond(handler)


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
    with Server(answer(200, b'{"Code": "OK"}')) as fine:
        assert post(fine.url) == {"Code": "OK"}
    with Server(answer(400, b'{"Code": "SignatureDoesNotMatch"}')) as refusing:
        assert post(refusing.url) == {"Code": "SignatureDoesNotMatch"}


def test_a_redirect_is_not_followed_with_the_signed_headers():
    with Server(answer(200, b'{"Code": "OK"}')) as elsewhere:
        with Server(answer(302, b"", Location=elsewhere.url)) as redirecting:
            with pytest.raises(SmsError) as refused:
                post(redirecting.url)
    assert refused.value.code == "bad_answer" and elsewhere.received == []


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

    with Server(drip) as dripping:
        started = time.monotonic()
        with pytest.raises(SmsError) as slow:
            post(dripping.url, timeout=0.5)
    assert slow.value.code == "timeout" and time.monotonic() - started < 5


def test_a_connection_cut_mid_answer_is_a_bad_answer_not_a_crash():
    def cut(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b'{"Code": ')
        handler.wfile.flush()
        handler.connection.shutdown(2)

    with Server(cut) as cutting:
        with pytest.raises(SmsError) as failed:
            post(cutting.url)
    assert failed.value.code == "bad_answer"  # what came is not JSON


@pytest.mark.parametrize("body", [b"<html>busy</html>", b"[" * 60000, b'["a list"]'])
def test_what_is_not_a_json_object_is_a_bad_answer(body):
    with Server(answer(200, body)) as answering:
        with pytest.raises(SmsError) as bad:
            post(answering.url)
    assert bad.value.code == "bad_answer"


def test_a_providers_code_and_message_are_bounded_before_they_are_logged():
    refusal = SmsError("X" * 10_000, "y" * 10_000)
    assert len(refusal.code) == 64 and len(str(refusal)) < 400
