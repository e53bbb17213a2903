"""What operators see: one JSON log line per request, domain events with who and why,
/metrics behind its token, and proxy headers believed only when told to."""
import json
import logging

import pytest
from prometheus_client import REGISTRY

from api import create_app
from api.http.logs import JsonFormatter

from ..helpers import Client


@pytest.fixture
def lines(caplog):
    """The JSON lines logged so far under `benniu.<name>`."""
    caplog.set_level(logging.INFO, logger="benniu")

    def lines(name: str) -> list[dict]:
        return [json.loads(JsonFormatter().format(record)) for record in caplog.records
                if record.name == f"benniu.{name}"]
    return lines


def counted(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_each_request_is_one_json_line_with_its_id_echoed(admin, community, enrol, lines):
    member, _ = enrol(password="s3cret-pass")
    response = Client(admin.app, None).post("/api/v1/auth/login", {"phone": member["phone"], "password": "s3cret-pass"})
    assert response.status_code == 200
    line = lines("requests")[-1]
    assert line["request_id"] == response.headers["X-Request-Id"] and len(line["request_id"]) == 32
    assert line["route"] == "/api/v1/auth/login" and line["method"] == "POST" and line["status"] == 200
    assert line["duration_ms"] >= 0 and line["client"] == "127.0.0.1" and "time" in line
    text = json.dumps(lines("requests"), ensure_ascii=False)
    assert "s3cret-pass" not in text and response.get_json()["token"] not in text and admin.token not in text


def test_a_request_line_names_the_token_by_id_and_the_route_not_the_path(app, admin, community, lines):
    admin.get("/api/v1/communities")
    admin.get("/c/not-a-code-but-a-secret-one")
    authenticated, page = lines("requests")[-2:]
    assert authenticated["token_id"] == 1 and authenticated["role"] == "admin"
    assert page["route"].startswith("/c/<") and "not-a-code" not in json.dumps(page)


def test_an_award_and_its_reversal_are_logged_with_who_and_why(organiser, volunteer, rules, lines):
    member, _ = volunteer
    award = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "夜巡"},
                           expect=201).json
    organiser.post(f"/api/v1/transfers/{award['transfer_id']}/reverse", {"reason": "记错了人"}, expect=201)
    awarded, reversed_ = lines("events")
    assert awarded["event"] == "award" and awarded["who"] == "organiser:罗塘派出所 民警" and awarded["why"] == "夜巡"
    assert awarded["member_id"] == member["id"] and awarded["points"] == 50
    assert reversed_["event"] == "reversal" and reversed_["why"] == "记错了人"
    assert reversed_["reverses"] == award["transfer_id"]
    assert awarded["request_id"] != reversed_["request_id"]


def test_a_claim_review_is_logged_without_the_tip_text(organiser, volunteer, rules, lines):
    member, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3 栋 502 住着未登记的张三"},
                       expect=201).json
    organiser.post(f"/api/v1/claims/{claim['id']}/reject", {"reason": "查无此人"}, expect=200)
    filed, review = lines("events")
    assert filed["event"] == "claim_filed" and filed["claim_id"] == claim["id"]
    assert review["event"] == "claim_reviewed" and review["decision"] == "rejected" and review["why"] == "查无此人"
    assert "张三" not in json.dumps(lines("events") + lines("requests"), ensure_ascii=False)


def test_refusals_and_replays_log_no_event_and_count_by_code(organiser, volunteer, rules, shop, lines):
    member, phone = volunteer
    refused = counted("benniu_refusals_total", code="insufficient_points")
    phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=409)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip", "points": 300}, key="k1",
                   expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip", "points": 300}, key="k1",
                   expect=201)
    fulfilments = counted("benniu_fulfilments_total")
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json
    organiser.post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}, expect=200)
    assert [line["event"] for line in lines("events")] == ["award", "redemption", "fulfilment"]
    assert counted("benniu_refusals_total", code="insufficient_points") == refused + 1
    assert counted("benniu_fulfilments_total") == fulfilments + 1


def test_metrics_are_off_unless_a_token_is_set_and_then_need_it(app, database_url, tmp_path):
    off = app.test_client().get("/metrics")
    assert off.status_code == 404 and off.get_json()["code"] == "not_found"
    guarded = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "METRICS_TOKEN": "m-token"},
                         instance_path=tmp_path / "other")
    assert guarded.test_client().get("/metrics").get_json()["code"] == "unauthorized"
    assert Client(guarded, "wrong").get("/metrics").status_code == 401
    answer = Client(guarded, "m-token").get("/metrics")
    assert answer.status_code == 200 and answer.content_type.startswith("text/plain")
    assert b"benniu_request_duration_seconds_bucket" in answer.data
    guarded.extensions["benniu"].engine.dispose()


def proxied_app(database_url, tmp_path, **settings):
    return create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", **settings}, instance_path=tmp_path / "p")


def test_forwarded_headers_are_ignored_unless_proxies_are_trusted(database_url, tmp_path, lines):
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Request-Id": "from-the-proxy"}
    for trusted, client, request_id in ((0, "127.0.0.1", None), (1, "203.0.113.9", "from-the-proxy")):
        app = proxied_app(database_url, tmp_path, TRUSTED_PROXIES=trusted)
        response = app.test_client().get("/healthz", headers=headers)
        line = lines("requests")[-1]
        assert line["client"] == client
        assert (response.headers["X-Request-Id"] == "from-the-proxy") == bool(request_id)
        app.extensions["benniu"].engine.dispose()


def test_a_transaction_run_again_is_counted_as_a_database_retry(app):
    from sqlalchemy.exc import OperationalError

    from api.http.db import transactional

    tries = []

    def locked_once():
        tries.append(1)
        if len(tries) == 1:
            raise OperationalError("UPDATE accounts", {}, Exception("database is locked"))
        return {"tries": len(tries)}

    app.add_url_rule("/locked-once", "locked_once", transactional(locked_once))
    retries = counted("benniu_db_retries_total")
    assert app.test_client().get("/locked-once").get_json() == {"tries": 2}
    assert counted("benniu_db_retries_total") == retries + 1
