"""Rate limits (Flask-Limiter): login per client address, check-in per token.

Limits are counted in `RATELIMIT_STORAGE_URI` (default: each worker's memory). With several
workers or servers, point it at a shared store (e.g. `redis://...`) so the limits hold overall.
"""
import hashlib

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, headers_enabled=True)


def per_token() -> str:
    """The caller's bearer token (hashed): each phone gets its own allowance."""
    header = request.headers.get("Authorization", "")
    return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32] if header else get_remote_address()


def login_limit():
    return limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=get_remote_address)


def checkin_limit():
    return limiter.limit(lambda: current_app.config["CHECKIN_RATE_LIMIT"], key_func=per_token)
