"""The app's error handlers: every failure a request can meet, answered in the contract's JSON."""
import logging

from flask import Flask
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from points.errors import DomainError

from .errors import (
    ServiceBusy,
    error_response,
    response_for_busy,
    response_for_domain_error,
    response_for_http_exception,
)
from .faults import as_unavailable

log = logging.getLogger(__name__)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, response_for_domain_error)
    app.register_error_handler(HTTPException, response_for_http_exception)

    @app.errorhandler(ServiceBusy)
    def busy(error):
        return response_for_busy(error)

    @app.errorhandler(IntegrityError)
    def lost_race(error):
        # A database constraint caught what the service's checks let through (a concurrent
        # insert of the same unique value): the request changed nothing.
        log.warning("integrity error answered as conflict: %s", error.orig)
        return error_response("conflict", "a concurrent request changed the same thing; nothing was done")

    @app.errorhandler(Exception)
    def unexpected(error):
        fault = as_unavailable(error)  # a database fault met outside a view's transaction
        if fault is not None:
            return response_for_busy(fault)
        log.exception("unhandled error")
        return error_response("internal_error", "internal error")
