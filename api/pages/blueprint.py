"""A page blueprint: its forms carry a CSRF token, and its refusals and failures are pages, never JSON."""
from flask import Blueprint, request
from flask_wtf.csrf import CSRFProtect

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
