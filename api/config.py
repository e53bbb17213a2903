"""Configuration: defaults, overridden by `BENNIU_*` environment variables, then by the caller."""
import os
import secrets
from pathlib import Path

from .http.limit_store import file_storage_uri

DEFAULTS = {
    "TIMEZONE": "Asia/Shanghai",
    "PUBLIC_URL": None,                  # default: the request's host
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "CHECKIN_RATE_LIMIT": "30 per minute",
    "VOUCHER_RATE_LIMIT": "30 per minute",
    "RATELIMIT_STORAGE_URI": None,       # default: a file in the instance folder, shared by its workers
    "MAX_CONTENT_LENGTH": 64 * 1024,     # bytes; larger bodies get 413 payload_too_large
    "CHECKIN_GRACE_MINUTES": 15,         # printed codes work this long before and after the window
    "LIVE_CODE_SECONDS": 30,
    "VOUCHER_DAYS": 30,
    "IDEMPOTENCY_HOURS": 24,
    "DB_POOL_SIZE": 5,
    "DB_PREPARE_THRESHOLD": 5,           # psycopg prepares a statement on its 5th run on a connection; none: never
    "SQLITE_SYNCHRONOUS": "NORMAL",      # or FULL: see points.engines.SQLITE_SYNCHRONOUS
    "LOGIN_TOKEN_HOURS": 720,            # tokens from POST /auth/login expire after this long
    "API_TOKEN_DAYS": 365,               # tokens from POST /tokens expire after this long unless expires_in says
    "SESSION_HOURS": 720,                # a browser session ends this long after sign-in at the latest
    "SESSION_IDLE_MINUTES": 720,         # ...and sooner when the browser is not used this long
    "TRUSTED_PROXIES": 0,                # proxies in front whose X-Forwarded-For/-Proto count (nginx: 1)
    "METRICS_TOKEN": None,               # GET /metrics answers only to this bearer token; off when unset
}


def load(instance_path: Path, overrides: dict | None = None) -> dict:
    """The effective configuration: defaults < environment (`BENNIU_X`) < `overrides`."""
    config = dict(DEFAULTS)
    for key, value in os.environ.items():
        if key.startswith("BENNIU_") and key != "BENNIU_INSTANCE_PATH":
            config[key.removeprefix("BENNIU_")] = _parse(value)
    config.update(overrides or {})
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'benniu.db'}"
    if not config.get("RATELIMIT_STORAGE_URI"):
        instance_path.mkdir(parents=True, exist_ok=True)
        config["RATELIMIT_STORAGE_URI"] = file_storage_uri(instance_path / "ratelimits.sqlite")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _kept_secret(instance_path)
    return config


def instance_path() -> Path:
    return Path(os.environ.get("BENNIU_INSTANCE_PATH", "instance")).resolve()


def _parse(value: str):
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    return int(value) if value.strip().isdigit() else value


def _kept_secret(instance: Path) -> str:
    """A secret generated once and kept in the instance folder, so codes outlive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".secret_key.{os.getpid()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:  # link() is atomic and refuses to overwrite: of two workers starting at once, one secret wins
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
