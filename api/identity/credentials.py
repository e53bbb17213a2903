"""Changing what lets someone in: a new password or a disabled account ends their sessions at once."""
import secrets
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from points.errors import Forbidden, Invalid
from points.members import Member, get_member
from points.passwords import hash_password

from .accounts import MIN_PASSWORD, Person, StaffAccount, person_of_member, person_of_staff
from .tokens import get_token, revoke_all

# Letters and digits that cannot be misread when read out or copied from paper (no 0/o, 1/l/i).
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


class WrongPassword(Invalid):
    """Changing one's own password needs the current one, and this is not it."""


class PasswordChangeRequired(Forbidden):
    """Signed in with a temporary password: it must be changed before anything else."""

    code = "password_change_required"


class OwnPassword(Forbidden):
    """One's own password is changed with the current one, never reset like someone else's."""


def temporary_password() -> str:
    """A password for staff to hand over (a new account, a reset), to be changed at first sign-in."""
    return "".join(secrets.choice(_READABLE) for _ in range(10))


def change_password(session: Session, person: Person, *, password: str, now: datetime, temporary: bool = False,
                    keep: int | None = None) -> None:
    """Set a new password and end every session and sign-in token of this person but `keep` (the
    one they changed it from). `temporary`: set by someone else, to be changed at the next sign-in."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters", field="password")
    table = StaffAccount if person.staff_id is not None else Member
    ident = person.staff_id if person.staff_id is not None else person.member_id
    session.execute(update(table).where(table.id == ident)
                    .values(password_hash=hash_password(password), password_temporary=temporary))
    revoke_all(session, person, now=now, keep=keep)


def disable_account(session: Session, staff: StaffAccount, *, now: datetime) -> None:
    """Disable a staff account: its tokens and sessions are refused from the next request on."""
    staff.disabled_at = now
    session.flush()


def enable_account(session: Session, staff: StaffAccount) -> None:
    """Enable a disabled staff account: it may sign in again (its old sessions stay ended)."""
    staff.disabled_at = None
    session.flush()


def person_signed_in(session: Session, token_id: int) -> Person:
    """Who a session or sign-in token belongs to (for changing their own password)."""
    token = get_token(session, token_id)
    if token.staff_id is not None:
        return person_of_staff(session.get(StaffAccount, token.staff_id))
    return person_of_member(get_member(session, token.member_id))
