"""What a page shows when something is refused or breaks: a page in plain Chinese, never a stack or JSON."""
import logging

from flask import Blueprint, render_template
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from points.errors import DomainError

from ..http.errors import CODE_BY_STATUS, ServiceBusy, status_for
from ..http.faults import as_unavailable
from .refusals import sentence

log = logging.getLogger(__name__)


def refusal_page(code: str, status: int):
    return said_page(sentence(code), status)


def said_page(said: str, status: int):
    """The page that says one sentence: why something was refused (`act_once`'s `refused`)."""
    return render_template("site/error.html", message=said, status=status), status


def register(blp: Blueprint) -> None:
    @blp.errorhandler(DomainError)
    def refused(error):
        return refusal_page(error.code, status_for(type(error)))

    @blp.errorhandler(CSRFError)
    def stale_form(error):
        return refusal_page("csrf", 400)

    @blp.errorhandler(RateLimitExceeded)
    def too_many(error):
        return refusal_page("rate_limited", 429)

    @blp.errorhandler(HTTPException)
    def http_error(error):
        status = error.code or 500
        return refusal_page(CODE_BY_STATUS.get(status, "bad_request" if status < 500 else "internal_error"), status)

    @blp.errorhandler(ServiceBusy)
    def busy(error):
        return unavailable_page(error)

    @blp.errorhandler(Exception)
    def broken(error):
        fault = as_unavailable(error)  # a database fault met outside the view's transaction (its sign-in check)
        if fault is not None:
            return unavailable_page(fault)
        log.exception("page failed")
        return refusal_page("internal_error", 500)


def unavailable_page(error: ServiceBusy):
    page, status = refusal_page(error.code, error.status)
    return page, status, {"Retry-After": str(error.retry_after)}
