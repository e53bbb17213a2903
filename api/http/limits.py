"""Rate limits (Flask-Limiter): logins per phone and per address, check-ins per principal, voucher
look-ups per clerk and per address.

Counted in `RATELIMIT_STORAGE_URI`; by default in a file in the instance folder that every
worker of the machine shares (api/limit_store.py). With several servers, use `redis://...`.
"""
from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from points.phones import normalise_phone
from points.short_codes import looks_short

from . import limit_store  # noqa: F401  (registers the benniu-file:// storage)

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def per_principal() -> str:
    """Who is calling, as authenticated (not the Authorization header as spelled): a volunteer's
    phones share one allowance, however `Bearer` is written."""
    return f"principal:{g.principal.scope}"


def per_phone() -> str:
    """The phone a sign-in is for (JSON or the sign-in form), spelt as the look-up spells it, so
    ' 13800000001', '138-0000-0001' and '+8613800000001' share one count."""
    body = request.get_json(silent=True)
    phone = body.get("phone") if isinstance(body, dict) else request.form.get("phone")  # the API, or /login
    phone = normalise_phone(phone) if isinstance(phone, str) else ""
    return f"phone:{phone[:32]}" if phone else f"phone:none:{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code == 401


def login_limits(view):
    """Failed sign-ins only: LOGIN_RATE_LIMIT per phone, LOGIN_ADDRESS_RATE_LIMIT (far more: a
    community hall shares one Wi-Fi) per client address. A successful sign-in counts against
    neither, so a crowd signing in at once is never turned away; a phone or an address past its
    failures is refused (429) until the window moves on, a right password included."""
    per_phone_rate = lambda: current_app.config["LOGIN_RATE_LIMIT"]  # noqa: E731
    per_address_rate = lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]  # noqa: E731
    view = limiter.limit(per_phone_rate, key_func=per_phone, scope="login-phone", deduct_when=_failed)(view)
    return limiter.limit(per_address_rate, key_func=get_remote_address, scope="login-address",
                         deduct_when=_failed)(view)


def voucher_limits(view):
    """Voucher look-ups and fulfilments together (codes are short: guessing must be slow): at
    most VOUCHER_RATE_LIMIT per clerk and as many per client address. Put under `blp.allow`."""
    rate = lambda: current_app.config["VOUCHER_RATE_LIMIT"]  # noqa: E731
    view = limiter.shared_limit(rate, scope="voucher-principal", key_func=per_principal)(view)
    return limiter.shared_limit(rate, scope="voucher-address", key_func=get_remote_address)(view)


def checkin_limit():
    """Check-ins per principal; put it under `blp.allow`, which authenticates first."""
    return limiter.limit(lambda: current_app.config["CHECKIN_RATE_LIMIT"], key_func=per_principal)


def _short_code_missed(response) -> bool:
    """A typed short code that named no activity (or one not open to the caller): a guess, maybe."""
    if response.status_code not in (404, 422):
        return False
    body = request.get_json(silent=True)
    typed = body.get("code") if isinstance(body, dict) else request.form.get("code")
    return isinstance(typed, str) and looks_short(typed)


def code_guess_limits(view):
    """Short codes are 6 characters: guessing must be slow. Missed short codes count, at most
    CODE_GUESS_RATE_LIMIT per signed-in volunteer and CODE_GUESS_ADDRESS_RATE_LIMIT per client address
    (a community hall shares one Wi-Fi); past either, check-ins are refused (429) until the window moves
    on. Put it under `blp.allow`, which authenticates first."""
    per_member_rate = lambda: current_app.config["CODE_GUESS_RATE_LIMIT"]  # noqa: E731
    per_address_rate = lambda: current_app.config["CODE_GUESS_ADDRESS_RATE_LIMIT"]  # noqa: E731
    view = limiter.limit(per_member_rate, key_func=per_principal, scope="code-guess-principal",
                         deduct_when=_short_code_missed)(view)
    return limiter.limit(per_address_rate, key_func=get_remote_address, scope="code-guess-address",
                         deduct_when=_short_code_missed)(view)


def sms_limits(view):
    """Codes asked for per client address: at most SMS_ADDRESS_RATE_LIMIT (each phone's own limits,
    one a minute and ten a day, are kept in the database: api.identity.sms_codes)."""
    return limiter.limit(lambda: current_app.config["SMS_ADDRESS_RATE_LIMIT"], key_func=get_remote_address,
                         scope="sms-address")(view)
def _missed(response) -> bool:
    return response.status_code in (404, 409, 410)


def guess_limits(view):
    """Codes typed by people who are not signed in (activation codes): missed codes count against
    the client address, as many as failed sign-ins (LOGIN_ADDRESS_RATE_LIMIT), so codes cannot be guessed."""
    rate = lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]  # noqa: E731
    return limiter.limit(rate, key_func=get_remote_address, scope="guess-address", deduct_when=_missed)(view)
