"""`GET /metrics` for Prometheus, and the counters behind it.

Requests are timed in api.http.logs; domain events are counted as they are committed
(api.acts.events); database retries and faults where they happen (api.http.db, api.http.faults).
Under `benniu serve` every gunicorn worker writes to one store (prometheus-client's multiprocess mode, in
`PROMETHEUS_MULTIPROC_DIR`), so a scrape of any worker sees them all.
"""
import hmac
import os
import tempfile
from pathlib import Path

from flask import Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from ..config import setting
from .errors import error_response

STORE = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram("benniu_request_duration_seconds", "Time to answer a request",
                            ["route", "method", "status"],
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
CHECKINS = Counter("benniu_checkins_total", "Check-ins made", ["status"])
AWARDS = Counter("benniu_awards_total", "Points awarded, by how", ["via"])
REVERSALS = Counter("benniu_reversals_total", "Transfers reversed")
REDEMPTIONS = Counter("benniu_redemptions_total", "Vouchers issued", ["kind"])
FULFILMENTS = Counter("benniu_fulfilments_total", "Vouchers fulfilled")
REFUSALS = Counter("benniu_refusals_total", "Requests refused, by error code", ["code"])
RATE_LIMITED = Counter("benniu_rate_limited_total", "Requests refused for their rate", ["route"])
DB_RETRIES = Counter("benniu_db_retries_total", "Transactions run again after a lock, deadlock or lost connection")
DB_FAULTS = Counter("benniu_db_faults_total", "Requests the database could not do (answered 503 or 507), by kind "
                    "(api.http.faults)", ["kind"])


def prepare_multiprocess_store() -> None:
    """Give the workers `benniu serve` starts one empty metrics store: `BENNIU_METRICS_DIR`,
    or a new private folder. Only the server's environment gets `PROMETHEUS_MULTIPROC_DIR`:
    in any other process (the cron commands) it would make every metric a file there."""
    folder = setting("METRICS_DIR") or os.environ.get(STORE)
    if folder:
        Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):  # counts from a previous run would add up
            stale.unlink()
    else:
        folder = tempfile.mkdtemp(prefix="benniu-metrics-")
    os.environ[STORE] = folder


def observe_request(route: str, method: str, status: int, seconds: float, code: str | None) -> None:
    REQUEST_SECONDS.labels(route, method, str(status)).observe(seconds)
    if code:
        REFUSALS.labels(code).inc()
        if code == "rate_limited":
            RATE_LIMITED.labels(route).inc()


def observe_event(kind: str, details: dict) -> None:
    """Count a committed domain event (see api.acts.events for the kinds)."""
    awarded = bool(details.get("transfer_id"))
    if kind == "checkin":
        CHECKINS.labels(details["status"]).inc()
        if awarded:
            AWARDS.labels("checkin").inc()
    elif kind == "checkout" and awarded:
        AWARDS.labels("checkout").inc()
    elif kind == "award":
        AWARDS.labels("award").inc()
    elif kind == "claim_reviewed" and details.get("decision") == "approved":
        AWARDS.labels("claim").inc()
    elif kind == "reversal":
        REVERSALS.inc()
    elif kind == "redemption":
        REDEMPTIONS.labels(details["reward_kind"]).inc()
    elif kind == "fulfilment":
        FULFILMENTS.inc()


def observe_retry() -> None:
    DB_RETRIES.inc()


def observe_fault(kind: str) -> None:
    DB_FAULTS.labels(kind).inc()


def exposition():
    """The metrics in Prometheus' text format; only with `BENNIU_METRICS_TOKEN` set, and shown it."""
    # JSON refusals, as the API's: outside /api/ an abort() would answer with an HTML page.
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        return error_response("not_found", "metrics are off: set BENNIU_METRICS_TOKEN to turn them on", status=404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), str(token).encode()):
        return error_response("unauthorized", "send Authorization: Bearer <BENNIU_METRICS_TOKEN>", status=401)
    registry = REGISTRY
    if os.environ.get(STORE):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
