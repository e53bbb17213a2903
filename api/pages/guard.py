"""Who may open a page, and one effect per user action on a page's form."""
import hashlib
import hmac
import secrets
from functools import wraps

from flask import abort, current_app, make_response, redirect, request, url_for

from points.errors import DomainError

from ..http.errors import status_for
from ..http.idempotency import run_once
from ..identity.access import allows
from ..identity.authentication import session_principal
from .refusals import sentence_for

ACTION_FIELD = "action_key"
WHILE_PASSWORD_CHANGE_DUE = ("site.password", "site.password_post")


def signed_in(*roles: str):
    """Signed-out visits go to /login and come back; another role's session gets the 403 page."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            principal = session_principal()
            if principal is None:
                return redirect(url_for("site.login", next=request.full_path.rstrip("?")))
            if principal.must_change_password and request.endpoint not in WHILE_PASSWORD_CHANGE_DUE:
                return redirect(url_for("site.password"))  # a temporary password: changed before any other page
            if not allows(principal, roles):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate


def new_action_key() -> str:
    """A key minted when a form is rendered: every submission of that form is one user action."""
    return secrets.token_urlsafe(18)


def act_once(act, refused, *, said_to: str | None = None, with_refusal: bool = False):
    """Run a form's act once per key: a double tap or a resent form gets the first answer (a
    redirect to the result) back. A refusal comes back as `refused(sentence, status)`: the page
    again, saying in one sentence what happened (`refusals.sentence_for`, as said to `said_to`
    if the table has a sentence for them); `with_refusal`: the page is also handed the refusal
    itself (`refusal=`), to show it beside the field it names."""
    key = request.form.get(ACTION_FIELD, "")
    if not 16 <= len(key) <= 64:
        abort(400)
    try:
        return run_once(f"page:{key}", _form_fingerprint(), act, keep_refusals=False)
    except DomainError as refusal:
        extra = {"refusal": refusal} if with_refusal else {}
        return refused(sentence_for(refusal, said_to=said_to), status_for(type(refusal)), **extra)


def act_once_showing(act, refused, shown):
    """`act_once` whose first answer is the page `shown()` (a password made up for someone, shown
    once) instead of the act's redirect: kept nowhere, neither in the session cookie nor among the
    answers a repeated submission gets back (that gets the redirect)."""
    ran = []

    def once():
        ran.append(True)
        return act()

    response = make_response(act_once(once, refused))
    if not ran or response.status_code not in (302, 303):
        return response
    page = make_response(shown())
    page.headers["Cache-Control"] = "no-store"
    return page


def _form_fingerprint() -> str:
    """What was sent, keyed with the app's secret: forms may carry a password (a reset), and the
    stored fingerprint must not give it back to whoever reads the idempotency table."""
    fields = sorted((name, value) for name, value in request.form.items(multi=True) if name != "csrf_token")
    raw = request.path + "\n" + "\n".join(f"{name}={value}" for name, value in fields)
    key = current_app.secret_key
    return hmac.new(key.encode() if isinstance(key, str) else key, raw.encode(), hashlib.sha256).hexdigest()
