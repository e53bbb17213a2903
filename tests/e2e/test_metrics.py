"""`/metrics` of a real `benniu serve` (two workers, one metrics store) after a short load:
every counter says what the load did, whichever worker answered."""
import threading
import urllib.request
from collections import Counter

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .server import post, serving

pytestmark = pytest.mark.slow


def scrape(url: str, token: str) -> dict[tuple, float]:
    request = urllib.request.Request(f"{url}/metrics", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_counters_match_what_a_short_load_did(world, tmp_path):
    env = {**world.env, "BENNIU_METRICS_DIR": str(tmp_path / "metrics"), "BENNIU_METRICS_TOKEN": "scrape-me",
           "BENNIU_RATELIMIT_ENABLED": "true",
           "BENNIU_CHECKIN_RATE_LIMIT": "2 per minute"}
    statuses, lock = Counter(), threading.Lock()
    with serving(env) as server:
        def check_in(token, codes):
            for code in codes:
                status, _ = post(f"{server.url}/api/v1/checkins", {"code": code}, token=token)
                with lock:
                    statuses[status] += 1

        # Ten volunteers try six activities each, at 2 a minute: each is refused for their rate
        # at least once (the workers share the count; were it each worker's own, one of the two
        # would still see three of the six).
        threads = [threading.Thread(target=check_in, args=(token, world.codes[:6])) for token in world.tokens[:10]]
        # Ten more check in to one activity twice (within their rate): the second is refused
        # as already checked in.
        threads += [threading.Thread(target=check_in, args=(token, world.codes[:1] * 2))
                    for token in world.tokens[10:20]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for member_id in world.member_ids[:5]:
            assert post(f"{server.url}/api/v1/awards", {"member_id": member_id, "rule_code": "patrol"},
                        token=world.organiser)[0] == 201
        reward = post(f"{server.url}/api/v1/rewards", {"name": "雨伞", "kind": "goods", "cost": 50, "stock": 5,
                                                       "community_id": world.community_id}, token=world.organiser)[1]
        vouchers = [post(f"{server.url}/api/v1/redemptions", {"reward_id": reward["id"]}, token=token)[1]
                    for token in world.tokens[:2]]
        assert post(f"{server.url}/api/v1/redemptions/fulfil", {"voucher_code": vouchers[0]["voucher_code"]},
                    token=world.organiser)[0] == 200
        metrics = scrape(server.url, "scrape-me")
        assert len(list((tmp_path / "metrics").glob("counter_*.db"))) >= 2  # a file per worker (and master)

    def value(name, **labels):
        return metrics.get((name, tuple(sorted(labels.items()))), 0.0)

    made, rate_limited, duplicate = statuses[201], statuses[429], statuses[409]
    assert made + rate_limited + duplicate == 80 and duplicate == 10
    assert made >= 10 and rate_limited >= 10
    assert value("benniu_checkins_total", status="awarded") == made
    assert value("benniu_awards_total", via="checkin") == made
    assert value("benniu_awards_total", via="award") == 5
    assert value("benniu_refusals_total", code="rate_limited") == rate_limited
    assert value("benniu_rate_limited_total", route="/api/v1/checkins") == rate_limited
    assert value("benniu_refusals_total", code="already_checked_in") == duplicate
    assert value("benniu_redemptions_total", kind="goods") == 2
    assert value("benniu_fulfilments_total") == 1
    assert value("benniu_request_duration_seconds_count", route="/api/v1/checkins", method="POST",
                 status="201") == made
    assert value("benniu_request_duration_seconds_count", route="/api/v1/awards", method="POST", status="201") == 5
