"""`benniu serve` writes nothing but JSON lines: gunicorn's own, the requests', the refusals' with what was typed."""
import json
import urllib.error
import urllib.request

import pytest

from .server import serving

pytestmark = pytest.mark.slow


def test_every_line_the_server_writes_is_json_and_typed_input_stays_in_its_field(world, tmp_path):
    log = tmp_path / "server.log"
    with serving(world.env, log=log) as server:
        looked_up = urllib.request.Request(f'{server.url}/api/v1/vouchers/ABCD%0A{{"event":"fulfilment"}}',
                                           headers={"Authorization": f"Bearer {world.organiser}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(looked_up, timeout=10)
        assert refused.value.code == 404
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]  # each, or JSONDecodeError

    assert [line["code"] for line in lines if line["logger"] == "benniu.counter"] == ['ABCD\n{"event":"fulfilment"}']
    assert not [line for line in lines if line.get("event") == "fulfilment"]
    assert {"gunicorn.error", "benniu.requests"} <= {line["logger"] for line in lines}
    assert any(line["message"].startswith("Booting worker") for line in lines if line["logger"] == "gunicorn.error")
