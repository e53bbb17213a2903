"""What a page shows when something is refused or breaks: a page in plain Chinese, never a stack or JSON."""
import logging

from flask import Blueprint, render_template
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from points.errors import DomainError

from ..http.errors import ServiceBusy, status_for
from .refusals import sentence

log = logging.getLogger(__name__)
CODE_BY_STATUS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                  405: "method_not_allowed", 413: "payload_too_large", 429: "rate_limited"}


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
        return refusal_page("unavailable", 503)

    @blp.errorhandler(Exception)
    def broken(error):
        log.exception("page failed")
        return refusal_page("internal_error", 500)
