"""What anyone does to their own access: sign in (a sign-in token or a browser session), sign out,
and change their own password, proving it with the current one."""
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party

from ..identity.accounts import Person, sign_in
from ..identity.credentials import WrongPassword, change_password, person_signed_in
from ..identity.principal import Principal
from ..identity.tokens import ApiToken, issue_for, revoke
from .events import announce


def open_session(session: Session, person: Person, *, kind: str, now: datetime,
                 expires_at: datetime) -> tuple[str, ApiToken]:
    """A sign-in token (`login`) or a browser session (`session`) for someone who has just proven
    who they are; its plain text is returned once. Signing in is not audited (the token is its record)."""
    return issue_for(session, person, kind=kind, now=now, expires_at=expires_at)


def close_session(session: Session, actor: Principal, *, now: datetime) -> None:
    """Sign out: the actor's own token or session is refused from the next request on."""
    revoke(session, actor.token_id, now=now)


def change_own_password(session: Session, actor: Principal, *, current: str, new: str, now: datetime,
                        keep_signed_in: bool = False) -> Person:
    """Change the actor's own password, the current one first (WrongPassword otherwise): every
    other session and sign-in token of theirs ends; `keep_signed_in` keeps the one they used (the
    API's token), freed of a temporary password's restriction. Returns who they are now."""
    person = person_signed_in(session, actor.token_id)
    proven = sign_in(session, phone=person.phone, password=current)
    if proven is None or (proven.staff_id, proven.member_id) != (person.staff_id, person.member_id):
        raise WrongPassword("the current password is wrong", field="old_password")
    change_password(session, person, password=new, now=now, keep=actor.token_id if keep_signed_in else None)
    kind, ident = ("staff", person.staff_id) if person.staff_id is not None else ("member", person.member_id)
    announce(session, actor, "password_changed", at=now, community_id=person.community_id,
             subject=Party(kind, ident, person.name), member_id=person.member_id)
    return replace(person, must_change_password=False)
