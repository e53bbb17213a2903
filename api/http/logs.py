"""One JSON line per log record, and the request id (`X-Request-Id`) that ties a request to its events.

Every logger writes through `JsonFormatter` (`benniu serve`'s gunicorn too, api/http/server.py): what
a record carries, user input included, is a JSON field value, escaped, so no input can start a line
of its own. A request's line holds the time, request id, method, route (the URL rule, never the
path: paths carry check-in and voucher codes), status, duration, the calling token's id and role,
and the client's address; never a token, a password, a query string or a body.
"""
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, current_app, g, has_request_context, request

from . import metrics

REQUESTS = logging.getLogger("benniu.requests")
HEADER = "X-Request-Id"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, then its fields (`json_line`) or its
    message, and a traceback as one more field."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name}
        fields = getattr(record, "fields", None)
        if fields is None:
            if has_request_context() and "request_id" in g:
                line["request_id"] = g.request_id
            line["message"] = record.getMessage()
        else:
            line.update(fields)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def json_line(logger: logging.Logger, level: int = logging.INFO, **fields) -> None:
    """Log `fields` as one JSON line, with, in a request, its id."""
    if has_request_context() and "request_id" in g:
        fields = {"request_id": g.request_id, **fields}
    logger.log(level, "%s", fields.get("event") or fields.get("message") or logger.name, extra={"fields": fields})


def write_to_stderr() -> None:
    """Send every logger's records, and Python's warnings, to stderr as JSON (the journal keeps them):
    Benniu's own from INFO up, the libraries' from WARNING up. Once: a second call changes nothing."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    logging.getLogger("benniu").setLevel(logging.INFO)
    logging.captureWarnings(True)


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
