"""Signing in with a code sent by SMS (短信验证码登录): ask for a code, then sign in with it.

Whether the phone belongs to anyone is never told: every well-formed phone gets the same answer, a
code row and the same limits; a code is sent only to a phone someone signs in with (staff or
volunteer), after the request's transaction has committed, so no database lock is held while the
provider is called.
"""
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from points.errors import Invalid, TooOften
from points.members import Member
from points.phones import normalise_phone

from ..http.logs import json_line
from ..identity import sms_codes
from ..identity.accounts import Person, StaffAccount, person_of_staff
from ..identity.credentials import person_of_member
from ..identity.tokens import issue_for

SMS_LOG = logging.getLogger("benniu.sms")


def ask_for_code(session: Session, *, phone: str, secret: str, now: datetime,
                 send: Callable[[str, str], None]) -> None:
    """Make a new code for `phone` and, once the transaction commits, `send(phone, code)` it if the
    phone signs someone in. TooOften past the limits (whoever the phone is)."""
    phone = normalise_phone(phone)
    if not 5 <= len(phone) <= 20:
        raise Invalid("a phone number has 5 to 20 digits", field="phone")
    code = sms_codes.new_code()
    if not sms_codes.keep_new_code(session, secret=secret, phone=phone, code=code, now=now):
        raise TooOften("a code was sent to this phone less than a minute ago, or ten today",
                       retry_after=int(sms_codes.EVERY.total_seconds()))
    if _person_by_phone(session, phone) is not None:
        event.listen(session, "after_commit", lambda _session: _send(send, phone, code), once=True)


def sign_in_with_code(session: Session, *, phone: str, code: str, secret: str, now: datetime) -> Person | None:
    """The person whose phone this code was sent to, or None (a wrong, used or expired code, or a
    phone nobody signs in with); each call uses one of the code's tries."""
    phone = normalise_phone(phone)
    if not sms_codes.try_code(session, secret=secret, phone=phone, code=code.strip(), now=now):
        return None
    return _person_by_phone(session, phone)


def token_for_code(session: Session, *, phone: str, code: str, secret: str, now: datetime,
                   expires_at: datetime) -> tuple[str, Person] | None:
    """Sign in with a code for an API client: a sign-in token (as `POST /auth/login` gives) and whose
    it is, or None."""
    person = sign_in_with_code(session, phone=phone, code=code, secret=secret, now=now)
    if person is None:
        return None
    plain, _record = issue_for(session, person, kind="login", now=now, expires_at=expires_at)
    return plain, person


def _person_by_phone(session: Session, phone: str) -> Person | None:
    """Who signs in with this phone: a staff account still enabled, else a volunteer, else nobody."""
    staff = session.scalar(select(StaffAccount).where(StaffAccount.phone == phone))
    if staff is not None:
        return person_of_staff(staff) if staff.disabled_at is None else None
    member = session.scalar(select(Member).where(Member.phone == phone))
    return person_of_member(member) if member is not None else None


def _send(send: Callable[[str, str], None], phone: str, code: str) -> None:
    """Send after commit; a provider's failure is logged, never raised into a committed request."""
    try:
        send(phone, code)
    except Exception as failed:  # noqa: BLE001 (the provider's refusal or the network's)
        json_line(SMS_LOG, logging.WARNING, event="sms_failed", error=getattr(failed, "code", type(failed).__name__),
                  message=str(failed)[:300])
