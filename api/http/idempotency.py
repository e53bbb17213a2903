"""`Idempotency-Key`: a retried or duplicated request takes effect once and gets the same answer."""
import hashlib
import json
from datetime import datetime, timedelta
from functools import wraps

from flask import Response, abort, current_app, redirect, request
from sqlalchemy import String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.db import Base, UTCDateTime, insert_unless_taken
from points.errors import DomainError

from ..identity.authentication import current_principal
from . import bodies, db
from .clock import now
from .errors import IdempotencyConflict, response_for_domain_error

HEADER = "Idempotency-Key"


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column()
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def idempotent(view):
    """Make a point- or stock-moving POST answer a repeated `Idempotency-Key` from its record.

    The key is claimed with `INSERT ... ON CONFLICT DO NOTHING` in the request's own
    transaction: a concurrent duplicate waits on the unique index until the first commits
    (PostgreSQL) or on the write lock (SQLite), then finds the stored answer and replays it.
    Refusals (409...) are stored and replayed too; malformed requests (4xx from validation)
    roll back with the key, so a corrected retry may use it.
    """
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not 1 <= len(key) <= 255:
            abort(422, f"{HEADER} must be 1 to 255 characters")
        return run_once(key, request_fingerprint(), lambda: view(*args, **kwargs))
    wrapper.honours_idempotency_key = True  # kept by the decorators above it (functools.wraps), read by the docs
    return wrapper


def honours_idempotency_key(view) -> bool:
    """Whether `view` (or one it wraps) is `idempotent`."""
    return getattr(view, "honours_idempotency_key", False)


def run_once(key: str, fingerprint: str, produce, *, keep_refusals: bool = True) -> Response:
    """The response of `produce()` for this caller's `key`, made once: a repeat gets it back,
    a refusal included. Pages use it too, with a key minted when the form was rendered, and
    `keep_refusals=False`: a refusal changed nothing, so it is raised for the page to say in
    words, and the key is let go (a second tap is refused the same way, or succeeds if the
    reason went away meanwhile, once)."""
    session = db.writer()
    scope = current_principal().scope
    record = _claim(session, scope=scope, key=key, fingerprint=fingerprint)
    if record is not None:
        if record.fingerprint != fingerprint:
            raise IdempotencyConflict(f"{HEADER} {key!r} was used with a different request")
        if 300 <= record.status < 400:
            return redirect(record.body, code=record.status)
        return Response(record.body, status=record.status, mimetype="application/json")
    try:
        with session.begin_nested():
            response = current_app.make_response(produce())
    except DomainError as error:
        if not keep_refusals:
            session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.scope == scope,
                                                            IdempotencyRecord.key == key))
            raise
        response = response_for_domain_error(error)
    stored = response.location if response.status_code in _REDIRECTS else response.get_data(as_text=True)
    session.execute(
        IdempotencyRecord.__table__.update()
        .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        .values(status=response.status_code, body=stored)
    )
    return response


_REDIRECTS = (301, 302, 303, 307, 308)


def _claim(session: Session, *, scope: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Insert the key; None if it is ours now, else the earlier request's record."""
    stamp = now()
    lifetime = timedelta(hours=current_app.config["IDEMPOTENCY_HOURS"])
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key,
                                                    IdempotencyRecord.created_at < stamp - lifetime))
    claimed = insert_unless_taken(session, IdempotencyRecord.__table__, unique=["scope", "key"],
                                  values={"scope": scope, "key": key, "fingerprint": fingerprint, "created_at": stamp})
    if claimed is not None:
        return None
    return session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.scope == scope,
                                                          IdempotencyRecord.key == key))


def request_fingerprint() -> str:
    """What the request asks for: method, path and its body (JSON compared by value)."""
    raw = request.get_data()
    try:
        canonical = json.dumps(bodies.parse(raw), sort_keys=True, separators=(",", ":")).encode() if raw else b""
    except ValueError:
        canonical = raw
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n" + canonical).hexdigest()
