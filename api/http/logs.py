"""One JSON line per request, and the request id (`X-Request-Id`) that ties a request to its events.

A line holds the time, request id, method, route (the URL rule, never the path: paths
carry check-in and voucher codes), status, duration, the calling token's id and role, and
the client's address; never a token, a password, a query string or a body.
"""
import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, current_app, g, has_request_context, request

from . import metrics

REQUESTS = logging.getLogger("benniu.requests")
HEADER = "X-Request-Id"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def json_line(logger: logging.Logger, **fields) -> None:
    """Log `fields` as one JSON line, with the time and, in a request, its id."""
    line = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds")}
    if has_request_context() and "request_id" in g:
        line["request_id"] = g.request_id
    line.update(fields)
    logger.info(json.dumps(line, ensure_ascii=False, default=str))


def _request_id() -> str:
    """The id a trusted proxy gave the request (nginx's $request_id), or a new one."""
    given = request.headers.get(HEADER, "")
    if current_app.config["TRUSTED_PROXIES"] and _SAFE_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    """Register first, so a request refused by a later hook (a rate limit) is timed and logged too."""
    @app.before_request
    def start():
        g.request_started = time.perf_counter()
        g.request_id = _request_id()

    @app.after_request
    def finish(response):
        seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule else "unmatched"
        code = (response.get_json(silent=True) or {}).get("code") if response.status_code >= 400 else None
        metrics.observe_request(route, request.method, response.status_code, seconds, code)
        principal = g.get("principal")
        json_line(REQUESTS, method=request.method, route=route, status=response.status_code,
                  duration_ms=round(seconds * 1000, 1), token_id=principal.token_id if principal else None,
                  role=principal.role if principal else None, client=request.remote_addr)
        response.headers[HEADER] = g.get("request_id", "")
        return response
