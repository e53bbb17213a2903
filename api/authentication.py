"""Request authentication: which principal a request acts as, and the role gate on views."""
from functools import wraps

from flask import abort, g, request

from . import db
from .principal import Principal
from .tokens import principal_for


def current_principal() -> Principal:
    return g.principal


def authenticate_request() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        abort(401, "missing bearer token")
    principal = principal_for(db.session(), plain.strip())
    if principal is None:
        abort(401, "unknown token")
    g.principal = principal
    return principal


def authorize(*roles: str):
    """Require a valid token (401) whose role is among `roles` (403)."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            principal = authenticate_request()
            if principal.role not in roles:
                abort(403, f"a {principal.role} token may not do this")
            return view(*args, **kwargs)
        return guarded
    return decorate
