"""Joining by oneself: a resident applies from the join poster; an organiser of the community
approves (the applicant becomes a member who signs in with the password they chose) or rejects."""
from datetime import datetime

from sqlalchemy.orm import Session

from points import applications
from points.applications import Application
from points.audit import Party
from points.errors import Invalid
from points.members import Member

from ..identity.access import community_for
from ..identity.accounts import MIN_PASSWORD, refuse_taken_phone
from ..identity.principal import Principal
from .awards import member_party
from .events import announce


def apply(session: Session, *, community_id: int, name: str, phone: str, password: str, now: datetime,
          team: str | None = None, address: str | None = None) -> Application:
    """A resident (no account) asks to join; refused (PhoneTaken) if a member or a staff account
    has the phone already. Audited with the system as the actor: the applicant is nobody yet."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters", field="password")
    refuse_taken_phone(session, phone)
    application = applications.file_application(session, community_id=community_id, name=name, phone=phone,
                                                password=password, now=now, team=team, address=address)
    announce(session, None, "application_filed", at=now, community_id=community_id, subject=_party(application),
             team=team)
    return application


def visible_application(session: Session, actor: Principal, application_id: int) -> Application:
    """An application to a community the actor manages (another community's: 403)."""
    application = applications.get_application(session, application_id)
    community_for(actor, application.community_id)
    return application


def approve_application(session: Session, actor: Principal, *, application_id: int, now: datetime) -> Member:
    """Make the applicant a member of the community, with the password they chose."""
    application = visible_application(session, actor, application_id)
    applications.refuse_decided(application)
    refuse_taken_phone(session, application.phone)  # a staff account may have taken it since
    member = applications.admit(session, application, now=now)
    announce(session, actor, "application_approved", at=now, community_id=member.community_id,
             subject=member_party(member), member_id=member.id, application_id=application.id, team=member.team)
    return member


def reject_application(session: Session, actor: Principal, *, application_id: int, reason: str,
                       now: datetime) -> Application:
    """Turn an application down with the reason."""
    application = visible_application(session, actor, application_id)
    applications.turn_down(session, application, reason=reason, now=now)
    announce(session, actor, "application_rejected", at=now, community_id=application.community_id,
             subject=_party(application), why=reason)
    return application


def _party(application: Application) -> Party:
    return Party("application", application.id, application.name)
