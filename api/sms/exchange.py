"""One request to an SMS provider's HTTP API and its JSON answer, for every provider alike: a
timeout on connecting and on reading, refusals (4xx with a JSON body) read as answers, and
SmsError (`timeout`, `unreachable`, `bad_answer`) for everything else. Standard library only."""
import json
import socket
import urllib.error
import urllib.request

from .provider import SmsError

MAX_ANSWER = 64 * 1024


def json_answer(request: urllib.request.Request, *, timeout: float, provider: str) -> dict:
    """Send `request` and return the JSON object `provider` answered with."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(MAX_ANSWER)
    except urllib.error.HTTPError as refused:  # providers answer refusals (bad signature, key) with 4xx JSON
        raw = refused.read(MAX_ANSWER)
    except (TimeoutError, socket.timeout) as slow:
        raise SmsError("timeout", f"{provider} did not answer within {timeout} s") from slow
    except urllib.error.URLError as failed:
        if isinstance(failed.reason, (TimeoutError, socket.timeout)):
            raise SmsError("timeout", f"{provider} did not answer within {timeout} s") from failed
        raise SmsError("unreachable", str(failed.reason)) from failed
    except OSError as failed:
        raise SmsError("unreachable", str(failed)) from failed
    try:
        answer = json.loads(raw)
    except ValueError:
        raise SmsError("bad_answer", f"{provider} answered with something other than JSON") from None
    if not isinstance(answer, dict):
        raise SmsError("bad_answer", f"{provider} answered with something other than a JSON object")
    return answer
