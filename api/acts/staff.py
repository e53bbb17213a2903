"""What admins and organisers do to staff accounts (organisers, partner clerks, admins): add one,
reset its password, disable it (with a reason) and enable it again.

`actor` None is the operator at the command line (`benniu user ...`): whoever holds the server
and its database may do any of these; the audit names them `system`.
"""
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party

from ..identity.access import disabling_staff, staff_grant, visible_staff
from ..identity.accounts import StaffAccount, create_staff, get_staff, person_of_staff
from ..identity.credentials import OwnPassword, change_password, disable_account, enable_account
from ..identity.principal import Principal
from .events import announce


def add_staff(session: Session, actor: Principal | None, *, role: str, name: str, phone: str, password: str,
              now: datetime, community_id: int | None = None, partner_id: int | None = None,
              seen_in: int | None = None, temporary: bool = False) -> StaffAccount:
    """Add an organiser of a community, a clerk of a partner, or (admins) an admin, as the policy
    grants the actor; refused (PhoneTaken) if a member or a staff account has the phone already.

    `seen_in`: the community whose console did it, where a clerk's account (bound to a partner, not
    a community) is audited.
    """
    if actor is not None:
        community_id, partner_id = staff_grant(session, actor, role=role, community_id=community_id,
                                               partner_id=partner_id)
    account = create_staff(session, role=role, name=name, phone=phone, password=password, now=now,
                           community_id=community_id, partner_id=partner_id, temporary=temporary)
    _announce(session, actor, "staff_added", account, now=now, seen_in=seen_in, role=role)
    return account


def reset_staff_password(session: Session, actor: Principal | None, *, staff_id: int, password: str, now: datetime,
                         seen_in: int | None = None) -> StaffAccount:
    """Give an account the actor manages a new password, to be changed at its next sign-in (the
    operator's, at the command line, is not): its sessions and tokens end. One's own password is
    changed with the current one (`api.acts.sessions.change_own_password`), never here (OwnPassword)."""
    account = get_staff(session, staff_id) if actor is None else visible_staff(session, actor, staff_id)
    if actor is not None and actor.staff_id == account.id:
        raise OwnPassword("change your own password with the current one (/password, POST /auth/password)")
    change_password(session, person_of_staff(account), password=password, now=now, temporary=actor is not None)
    _announce(session, actor, "password_reset", account, now=now, seen_in=seen_in)
    return account


def disable_staff(session: Session, actor: Principal | None, *, staff_id: int, now: datetime, reason: str | None = None,
                  seen_in: int | None = None) -> StaffAccount:
    """Disable an account the actor manages (never their own), saying why: its sessions and tokens
    are refused from the next request on. An account disabled already stays as it was, unaudited."""
    account = get_staff(session, staff_id) if actor is None else disabling_staff(session, actor, staff_id)
    if account.disabled_at is None:
        disable_account(session, account, now=now)
        _announce(session, actor, "staff_disabled", account, now=now, seen_in=seen_in, why=reason)
    return account


def enable_staff(session: Session, actor: Principal | None, *, staff_id: int, now: datetime, reason: str | None = None,
                 seen_in: int | None = None) -> StaffAccount:
    """Enable a disabled account again (启用): its person signs in anew (old sessions stay ended).
    An account enabled already stays as it was, unaudited."""
    account = get_staff(session, staff_id) if actor is None else disabling_staff(session, actor, staff_id)
    if account.disabled_at is not None:
        enable_account(session, account)
        _announce(session, actor, "staff_enabled", account, now=now, seen_in=seen_in, why=reason)
    return account


def _announce(session: Session, actor: Principal | None, action: str, account: StaffAccount, *, now: datetime,
              seen_in: int | None, **facts) -> None:
    community_id = account.community_id or seen_in or (actor.community_id if actor else None)
    announce(session, actor, action, at=now, community_id=community_id,
             subject=Party("staff", account.id, account.name), staff_id=account.id, name=account.name,
             partner_id=account.partner_id, **facts)
