"""Request authentication: which principal a request acts as (a bearer token, or a browser
session's cookie), and signing a browser in and out."""
from datetime import datetime, timedelta

from flask import abort, current_app, g, request, session

from ..http import db
from ..http.clock import now
from .credentials import PasswordChangeRequired
from .principal import Principal
from .tokens import principal_for

SESSION_KEY = "sid"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
KEPT_ACROSS_SIGN_IN = ("lang",)
WHILE_PASSWORD_CHANGE_DUE = ("auth.change_password", "auth.logout")


def current_principal() -> Principal:
    return g.principal


def authenticate_request() -> Principal:
    """The bearer token's principal; without an Authorization header, the browser session's,
    for reading only (a session cannot POST to the API, so a forged cross-site form cannot either)."""
    header = request.headers.get("Authorization")
    if header is None and request.method in SAFE_METHODS:
        principal = session_principal()
        if principal is None:
            abort(401, "missing bearer token")
        return _unless_password_change_due(principal)
    scheme, _, plain = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        abort(401, "missing bearer token")
    principal = principal_for(db.session(), plain.strip(), now=now(), kinds=("api", "login"))
    if principal is None:
        abort(401, "unknown, expired or revoked token")
    g.principal = principal
    return _unless_password_change_due(principal)


def _unless_password_change_due(principal: Principal) -> Principal:
    """A sign-in with a temporary password may change it and sign out, nothing else."""
    if principal.must_change_password and request.endpoint not in WHILE_PASSWORD_CHANGE_DUE:
        raise PasswordChangeRequired("change the temporary password first: POST /api/v1/auth/password")
    return principal


def session_principal() -> Principal | None:
    """Who this browser is signed in as, or None (no cookie, idle too long, signed out, or disabled)."""
    if "principal" in g:
        return g.principal
    plain = session.get(SESSION_KEY)
    principal = principal_for(db.session(), plain, now=now(), kinds=("session",)) if plain else None
    if principal is not None:
        g.principal = principal
    return principal


def session_expiry() -> datetime:
    """When a browser session opened now ends at the latest."""
    return now() + timedelta(hours=current_app.config["SESSION_HOURS"])


def remember_session(plain: str) -> Principal:
    """Sign this browser in with a session just opened (`api.acts.sessions.open_session`): its
    secret in the signed cookie; a new cookie (and CSRF token), so nothing planted before carries over."""
    kept = {name: session[name] for name in KEPT_ACROSS_SIGN_IN if name in session}
    session.clear()
    session.update(kept)
    session.permanent = True  # the cookie's signed timestamp enforces the idle timeout
    session[SESSION_KEY] = plain
    g.principal = principal_for(db.session(), plain, now=now(), kinds=("session",))
    return g.principal


def forget_session() -> None:
    """This browser forgets who signed in (after `api.acts.sessions.close_session`)."""
    session.clear()
    g.pop("principal", None)
