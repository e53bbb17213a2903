"""A page blueprint: its forms carry a CSRF token, and its refusals and failures are pages, never JSON."""
from flask import Blueprint, abort, request
from flask_wtf.csrf import CSRFProtect

from ..http.smorest import MAX_ID
from . import errors

csrf = CSRFProtect()


def page_blueprint(name: str, import_name: str) -> Blueprint:
    blp = Blueprint(name, import_name)
    blp.before_request(_forms_carry_their_token)
    errors.register(blp)
    return blp


def _forms_carry_their_token():
    """Every form a page posts carries the session's CSRF token (the 400 page otherwise)."""
    if request.method == "POST":
        csrf.protect()


def path_id(value: int | None) -> int | None:
    """An id from a page's address or query: one that cannot exist is 404 (never an overflow)."""
    if value is not None and not 1 <= value <= MAX_ID:
        abort(404)
    return value
