"""Rate limits (Flask-Limiter): logins per phone and per address, check-ins per principal, voucher
look-ups per clerk and per address.

Counted in `RATELIMIT_STORAGE_URI`; by default in a file in the instance folder that every
worker of the machine shares (api/limit_store.py). With several servers, use `redis://...`.
"""
from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import limit_store  # noqa: F401  (registers the benniu-file:// storage)

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def per_principal() -> str:
    """Who is calling, as authenticated (not the Authorization header as spelled): a volunteer's
    phones share one allowance, however `Bearer` is written."""
    return f"principal:{g.principal.scope}"


def per_phone() -> str:
    """The phone a login is for (JSON or the sign-in form), whatever address it comes from."""
    body = request.get_json(silent=True)
    phone = body.get("phone") if isinstance(body, dict) else request.form.get("phone")  # the API, or /login
    return f"phone:{str(phone)[:32]}" if phone else f"phone:none:{get_remote_address()}"


def login_limits(view):
    """Login attempts: at most LOGIN_RATE_LIMIT per client address and as many per phone."""
    rate = lambda: current_app.config["LOGIN_RATE_LIMIT"]  # noqa: E731
    view = limiter.limit(rate, key_func=per_phone, scope="login-phone")(view)
    return limiter.limit(rate, key_func=get_remote_address, scope="login-address")(view)


def voucher_limits(view):
    """Voucher look-ups and fulfilments together (codes are short: guessing must be slow): at
    most VOUCHER_RATE_LIMIT per clerk and as many per client address. Put under `blp.allow`."""
    rate = lambda: current_app.config["VOUCHER_RATE_LIMIT"]  # noqa: E731
    view = limiter.shared_limit(rate, scope="voucher-principal", key_func=per_principal)(view)
    return limiter.shared_limit(rate, scope="voucher-address", key_func=get_remote_address)(view)


def checkin_limit():
    """Check-ins per principal; put it under `blp.allow`, which authenticates first."""
    return limiter.limit(lambda: current_app.config["CHECKIN_RATE_LIMIT"], key_func=per_principal)
