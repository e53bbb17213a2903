"""The one table from errors to HTTP answers, and the JSON error body everywhere."""
from flask import jsonify
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from points.activities import OutsideArea
from points.codes import CodeExpired, InvalidCode
from points.errors import DomainError, Forbidden, Invalid, LimitReached, NotFound, TooOften


class ServiceBusy(Exception):
    """The database cannot do the request now (api.http.faults says which `kind` of fault): 503,
    or 507 when it is full, with `Retry-After`. Nothing of the request was saved, unless the
    connection was lost while committing (`commit_unknown`): then a replay with its key tells."""

    def __init__(self, message: str, *, kind: str = "busy", status: int = 503, retry_after: int = 1):
        super().__init__(message)
        self.kind, self.status, self.retry_after = kind, status, retry_after

    @property
    def code(self) -> str:
        return "insufficient_storage" if self.status == 507 else "service_unavailable"


class IdempotencyConflict(DomainError):
    """An `Idempotency-Key` (or a page's action key) used again for a different request."""

    code = "idempotency_conflict"


# Domain refusals by class: a subclass answers with its nearest listed ancestor's status, and
# with the code it carries itself (tests/api/test_errors.py walks every DomainError subclass).
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    DomainError: 409,
    NotFound: 404,
    Forbidden: 403,
    Invalid: 422,
    InvalidCode: 422,
    OutsideArea: 422,
    CodeExpired: 410,
    IdempotencyConflict: 422,
    TooOften: 429,
}
# Answers that are not domain refusals.
STATUS_BY_CODE = {
    "conflict": 409,
    "rate_limited": 429,
    "internal_error": 500,
    "service_unavailable": 503,
    "insufficient_storage": 507,
}
CODE_BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                  405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
                  422: "validation_error", 429: "rate_limited"}


class ErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": "machine-readable error code"})
    message = fields.String(required=True)
    status = fields.Integer(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "field -> messages, for validation errors"})


def error_response(code: str, message: str, *, status: int | None = None, errors: dict | None = None,
                   headers: dict | None = None, extra: dict | None = None):
    status = status or STATUS_BY_CODE[code]
    body = {"code": code, "message": message, "status": status, **(extra or {})}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def status_for(error_class: type[DomainError]) -> int:
    return next(STATUS_BY_ERROR[ancestor] for ancestor in error_class.__mro__ if ancestor in STATUS_BY_ERROR)


def response_for_domain_error(error: DomainError):
    errors = {error.field or "_schema": [error.message]} if isinstance(error, Invalid) else None
    status = status_for(type(error))
    headers = {"Retry-After": str(error.facts["retry_after"])} if "retry_after" in error.facts else None
    return error_response(error.code, error.message, status=status, errors=errors, headers=headers,
                          extra=facts_of(error))


def facts_of(error: DomainError) -> dict:
    """A refusal's facts as the contract answers them: `limit: {kind, limit, period, left}` for
    `limit_reached`, `left` for `out_of_stock`."""
    facts = {name: value for name, value in error.facts.items() if value is not None}
    if isinstance(error, LimitReached):
        return {"limit": facts}
    return {"left": facts["left"]} if "left" in facts else {}


def response_for_http_exception(error: HTTPException):
    status = error.code or 500
    code = CODE_BY_STATUS.get(status, "internal_error" if status >= 500 else "bad_request")
    data = getattr(error, "data", None) or {}
    errors = _flatten(data.get("messages")) if status == 422 else None
    message = data.get("message") or error.description or error.name
    if status == 422 and errors:
        message = "the request has invalid fields"
    headers = dict(data.get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(code, message, status=status, errors=errors, headers=headers)


def _flatten(messages) -> dict | None:
    """webargs nests field errors by location ({"json": {"x": [...]}}); clients want {"x": [...]}."""
    if not isinstance(messages, dict):
        return None
    flat = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            for field, problems in location_errors.items():
                flat[str(field)] = _as_list(problems)
    return flat or None


def _as_list(problems) -> list[str]:
    if isinstance(problems, dict):  # nested schema or list index: keep the inner messages, prefixed
        return [f"{key}: {message}" for key, inner in problems.items() for message in _as_list(inner)]
    if isinstance(problems, list):
        return [str(problem) for problem in problems]
    return [str(problems)]


def response_for_busy(error: ServiceBusy):
    return error_response(error.code, str(error), status=error.status,
                          headers={"Retry-After": str(error.retry_after)})
