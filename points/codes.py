"""Signed codes for QR: short, URL-safe, tamper-evident, and for one purpose each.

A code reads `<purpose><subject>.<expires>.<signature>`: the purpose letter (`a` a printed
activity code, `l` a live screen code, `m` a member card), the subject's id and the expiry
(Unix seconds, `0` for none) in base 36, and an HMAC-SHA256 over all of it with the
service's secret, cut to 128 bits. Short codes make small QR symbols that scan easily.
"""
import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone

from .errors import DomainError

PURPOSES = {"a": "activity", "l": "live", "m": "member"}
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class InvalidCode(DomainError):
    code = "invalid_code"


class CodeExpired(DomainError):
    code = "code_expired"


@dataclass(frozen=True)
class Code:
    purpose: str          # "activity", "live" or "member"
    subject_id: int
    expires_at: datetime | None


def sign(secret: str, *, purpose: str, subject_id: int, expires_at: datetime | None = None) -> str:
    """A code naming `subject_id` for `purpose`, valid until `expires_at` (None: no expiry)."""
    letter = next(letter for letter, name in PURPOSES.items() if name == purpose)
    expires = int(expires_at.timestamp()) if expires_at else 0
    payload = f"{letter}{_base36(subject_id)}.{_base36(expires)}"
    return f"{payload}.{_signature(secret, payload)}"


def read(secret: str, text: str, *, now: datetime, purposes: tuple[str, ...]) -> Code:
    """Check a code (or a URL ending in one) and return what it names.

    Raises InvalidCode if it is malformed, forged, tampered with or for another purpose,
    and CodeExpired if it was genuine but its time has passed.
    """
    text = last_segment(text)
    try:
        payload, signature = text.rsplit(".", 1)
        head, expires = payload.split(".")
        letter, subject = head[0], head[1:]
        subject_id, expires_at = int(subject, 36), int(expires, 36)
    except (ValueError, IndexError):
        raise InvalidCode("this is not a Benniu code") from None
    if not hmac.compare_digest(signature, _signature(secret, payload)):
        raise InvalidCode("this code is not genuine")
    if PURPOSES.get(letter) not in purposes:
        raise InvalidCode("this code is for something else")
    expiry = datetime.fromtimestamp(expires_at, timezone.utc) if expires_at else None
    if expiry is not None and now >= expiry:
        raise CodeExpired("this code has expired")
    return Code(purpose=PURPOSES[letter], subject_id=subject_id, expires_at=expiry)


def last_segment(text: str) -> str:
    """What a scanner read or someone typed, as the bare code: the text itself, or the last
    path segment of a URL ending in it (its query and fragment dropped)."""
    return text.strip().split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]


def _signature(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode(), f"benniu-code-v1|{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def _base36(number: int) -> str:
    if number < 0:
        raise ValueError("codes carry non-negative numbers")
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if number == 0:
            return digits
