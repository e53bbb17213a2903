"""One-time sign-in codes sent by SMS (短信验证码): one row per phone, counted in the database so every
worker and every server shares the limits.

A phone is kept only as an HMAC of its normalised digits with the service's secret (`phone_key`),
and a code only as an HMAC of the phone key and the code: neither the table nor a backup of it gives
phones or live codes back. A code lives CODE_MINUTES and allows TRIES tries; a phone gets at most one
code a minute and DAILY codes a day (the service's day). Both limits are one conditional UPDATE, so of
two requests racing for the same phone exactly one sends a code.
"""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import String, bindparam, case, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.db import Base, UTCDateTime, insert_unless_taken

CODE_DIGITS = 6
CODE_MINUTES = 5
TRIES = 5
DAILY = 10
EVERY = timedelta(minutes=1)
_LONG_AGO = datetime(2000, 1, 1, tzinfo=timezone.utc)


class SmsCode(Base):
    __tablename__ = "sms_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_key: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    day: Mapped[str] = mapped_column(String(10))  # the service's day `sent_today` counts, YYYY-MM-DD
    sent_today: Mapped[int] = mapped_column(default=0)


def phone_key(secret: str, phone: str) -> str:
    return hmac.new(secret.encode(), f"benniu-sms-phone|{phone}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def keep_new_code(session: Session, *, secret: str, phone: str, code: str, now: datetime) -> bool:
    """Keep `code` as the phone's one live code, unless the phone had one within the minute or DAILY
    today (False: nothing changed). `now` in the service's zone decides the day."""
    key, day = phone_key(secret, phone), now.date().isoformat()
    insert_unless_taken(session, SmsCode.__table__, unique=["phone_key"], values={
        "phone_key": key, "sent_at": _LONG_AGO, "expires_at": _LONG_AGO, "tries": 0, "day": day, "sent_today": 0})
    return session.connection().execute(_ISSUE, {
        "key": key, "new_hash": _code_hash(secret, key, code), "now": now, "until": now + timedelta(
            minutes=CODE_MINUTES), "today": day, "a_minute_ago": now - EVERY, "daily": DAILY}).rowcount == 1


def try_code(session: Session, *, secret: str, phone: str, code: str, now: datetime) -> bool:
    """Whether `code` is the phone's live code: each call uses one of its TRIES, and a right code
    works once."""
    key = phone_key(secret, phone)
    tried = session.connection().execute(_TRY, {"key": key, "now": now, "tries": TRIES}).scalar()
    if tried is None or not hmac.compare_digest(tried, _code_hash(secret, key, code)):
        return False
    return session.connection().execute(_USE, {"key": key, "now": now, "tried_hash": tried}).rowcount == 1


def _code_hash(secret: str, key: str, code: str) -> str:
    return hmac.new(secret.encode(), f"benniu-sms-code|{key}|{code}".encode(), hashlib.sha256).hexdigest()


_codes = SmsCode.__table__
_same_day = _codes.c.day == bindparam("today")
_ISSUE = (update(_codes).where(_codes.c.phone_key == bindparam("key"), _codes.c.sent_at <= bindparam("a_minute_ago"),
                               ~_same_day | (_codes.c.sent_today < bindparam("daily")))
          .values(code_hash=bindparam("new_hash"), sent_at=bindparam("now"), expires_at=bindparam("until"),
                  tries=0, used_at=None, day=bindparam("today"),
                  sent_today=case((_same_day, _codes.c.sent_today + 1), else_=1)))
_TRY = (update(_codes).where(_codes.c.phone_key == bindparam("key"), _codes.c.used_at.is_(None),
                             _codes.c.expires_at > bindparam("now"), _codes.c.tries < bindparam("tries"))
        .values(tries=_codes.c.tries + 1).returning(_codes.c.code_hash))
_USE = (update(_codes).where(_codes.c.phone_key == bindparam("key"), _codes.c.used_at.is_(None),
                             _codes.c.code_hash == bindparam("tried_hash"))
        .values(used_at=bindparam("now")))
