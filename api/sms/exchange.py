"""One request to an SMS provider's HTTP API and its JSON answer, for every provider alike: the
whole exchange within the provider's time limit, refusals (4xx with a JSON body) read as answers,
never a redirect followed (a provider answers where it was asked; a redirect would carry the signed
headers elsewhere), and SmsError (`timeout`, `unreachable`, `bad_answer`) for everything else.
Standard library only."""
import http.client
import json
import time
import urllib.error
import urllib.request

from .provider import SmsError

MAX_ANSWER = 64 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx is then an HTTPError, and not JSON: bad_answer


_OPENER = urllib.request.build_opener(_NoRedirects)


def json_answer(request: urllib.request.Request, *, timeout: float, provider: str) -> dict:
    """Send `request` and return the JSON object `provider` answered with, all within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    try:
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                raw = _read(response, deadline)
        except urllib.error.HTTPError as refused:  # providers answer refusals (bad signature, key) with 4xx JSON
            raw = _read(refused, deadline)
    except TimeoutError as slow:  # socket.timeout is TimeoutError since Python 3.10
        raise SmsError("timeout", f"{provider} did not answer within {timeout} s") from slow
    except urllib.error.URLError as failed:
        if isinstance(failed.reason, TimeoutError):
            raise SmsError("timeout", f"{provider} did not answer within {timeout} s") from failed
        raise SmsError("unreachable", str(failed.reason)) from failed
    except (OSError, http.client.HTTPException) as failed:  # refused, reset, cut short, malformed
        raise SmsError("unreachable", f"{type(failed).__name__}: {failed}") from failed
    try:
        answer = json.loads(raw)
    except (ValueError, RecursionError):
        raise SmsError("bad_answer", f"{provider} answered with something other than JSON") from None
    if not isinstance(answer, dict):
        raise SmsError("bad_answer", f"{provider} answered with something other than a JSON object")
    return answer


def _read(response, deadline: float) -> bytes:
    """At most MAX_ANSWER bytes of the answer, given up at `deadline` (the socket's own timeout
    bounds each wait; this bounds an answer dripped slowly)."""
    chunks, size = [], 0
    while size < MAX_ANSWER:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took too long")
        chunk = response.read1(min(8192, MAX_ANSWER - size))  # what has come, not waiting for all of it
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
