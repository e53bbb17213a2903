"""Who may open a page, and one effect per user action on a page's form."""
import hashlib
import hmac
import secrets
from functools import wraps

from flask import abort, current_app, redirect, request, url_for

from ..http.idempotency import run_once
from ..identity.access import allows
from ..identity.authentication import session_principal

ACTION_FIELD = "action_key"


def signed_in(*roles: str):
    """Signed-out visits go to /login and come back; another role's session gets the 403 page."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            principal = session_principal()
            if principal is None:
                return redirect(url_for("site.login", next=request.full_path.rstrip("?")))
            if not allows(principal, roles):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


def new_action_key() -> str:
    """A key minted when a form is rendered: every submission of that form is one user action."""
    return secrets.token_urlsafe(18)


def once_per_action(produce):
    """Run the form's action once per key: a double tap or a resent form gets the first answer back.

    The answer is a redirect to the result, or the JSON refusal a page turns into a sentence.
    """
    key = request.form.get(ACTION_FIELD, "")
    if not 16 <= len(key) <= 64:
        abort(400)
    return run_once(f"page:{key}", _form_fingerprint(), produce)


def _form_fingerprint() -> str:
    """What was sent, keyed with the app's secret: forms may carry a password (a reset), and the
    stored fingerprint must not give it back to whoever reads the idempotency table."""
    fields = sorted((name, value) for name, value in request.form.items(multi=True) if name != "csrf_token")
    raw = request.path + "\n" + "\n".join(f"{name}={value}" for name, value in fields)
    key = current_app.secret_key
    return hmac.new(key.encode() if isinstance(key, str) else key, raw.encode(), hashlib.sha256).hexdigest()


def refusal_of(response) -> str | None:
    """The refusal code of an action's answer (the API's JSON error), or None when it succeeded."""
    if response.status_code < 400:
        return None
    return (response.get_json(silent=True) or {}).get("code", "internal_error")
