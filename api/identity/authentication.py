"""Request authentication: which principal a request acts as (a bearer token, or a browser
session's cookie), and signing a browser in and out."""
from datetime import timedelta

from flask import abort, current_app, g, request, session

from ..http import db
from ..http.clock import now
from .accounts import Person
from .principal import Principal
from .tokens import issue_for, principal_for, revoke

SESSION_KEY = "sid"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
KEPT_ACROSS_SIGN_IN = ("lang",)


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
        return principal
    scheme, _, plain = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        abort(401, "missing bearer token")
    principal = principal_for(db.session(), plain.strip(), now=now(), kinds=("api", "login"))
    if principal is None:
        abort(401, "unknown, expired or revoked token")
    g.principal = principal
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


def start_session(person: Person) -> Principal:
    """Sign this browser in: a server-side session record, its secret in the signed cookie."""
    hours = current_app.config["SESSION_HOURS"]
    plain, record = issue_for(db.writer(), person, kind="session", now=now(),
                              expires_at=now() + timedelta(hours=hours))
    kept = {name: session[name] for name in KEPT_ACROSS_SIGN_IN if name in session}
    session.clear()  # a new session (and CSRF token) on sign-in: nothing planted before it carries over
    session.update(kept)
    session.permanent = True  # the cookie's signed timestamp enforces the idle timeout
    session[SESSION_KEY] = plain
    g.principal = principal_for(db.session(), plain, now=now(), kinds=("session",))
    return g.principal


def end_session() -> None:
    """Sign this browser out: the session record is revoked, so a copied cookie is useless too."""
    principal = session_principal()
    if principal is not None:
        revoke(db.writer(), principal.token_id, now=now())
    session.clear()
    g.pop("principal", None)

