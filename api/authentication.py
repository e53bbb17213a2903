"""Request authentication: which principal a request acts as."""
from flask import abort, g, request

from . import db
from .principal import Principal
from .tokens import principal_for


def current_principal() -> Principal:
    return g.principal


def authenticate_request() -> Principal:
    """The principal of the request's bearer token (401 without a known one)."""
    header = request.headers.get("Authorization", "")
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        abort(401, "missing bearer token")
    principal = principal_for(db.session(), plain.strip())
    if principal is None:
        abort(401, "unknown token")
    g.principal = principal
    return principal
