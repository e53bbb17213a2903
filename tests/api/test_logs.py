"""Every log record is one line of JSON, and what a user typed stays inside its field."""
import io
import json
import logging

import pytest

from api.http.logs import JsonFormatter

TYPED = 'ABCD\n{"event":"fulfilment"}'


@pytest.fixture
def written():
    """What every logger writes through the JSON formatter, as `benniu serve` does."""
    stream, handler = io.StringIO(), logging.StreamHandler()
    handler.setStream(stream)
    handler.setFormatter(JsonFormatter())
    root, benniu = logging.getLogger(), logging.getLogger("benniu")
    level = benniu.level
    root.addHandler(handler)
    benniu.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    benniu.setLevel(level)


def test_a_voucher_look_up_with_newlines_and_braces_stays_one_json_line(shop, written):
    clerk = shop["barber_clerk"]
    assert clerk.get('/api/v1/vouchers/ABCD%0A{"event":"fulfilment"}').status_code == 404
    logging.getLogger("points.engines").warning("a library's own text:\n%s", '{"event":"award"}')
    try:
        raise ValueError('broken\n{"event":"reversal"}')
    except ValueError:
        logging.getLogger("api.http.errors").exception("unhandled error")

    lines = [json.loads(line) for line in written.getvalue().splitlines()]  # each line, or JSONDecodeError
    (miss,) = [line for line in lines if line["logger"] == "benniu.counter"]
    assert miss["code"] == TYPED and miss["refusal"] == "not_found" and miss["level"] == "warning"
    assert [line["message"] for line in lines if line["logger"] == "points.engines"] == [
        'a library\'s own text:\n{"event":"award"}']
    (failure,) = [line for line in lines if line["logger"] == "api.http.errors"]
    assert failure["message"] == "unhandled error" and "ValueError: broken" in failure["traceback"]
    assert not [line for line in lines if "event" in line]
