"""What organisers do to the roster: add a member (by hand, by the API, from a roster sheet), move
one to another team, reset a member's password."""
from datetime import datetime

from sqlalchemy.orm import Session

from points import members
from points.members import Member

from ..identity.access import named_community, visible_member
from ..identity.accounts import refuse_taken_phone
from ..identity.credentials import change_password, person_of_member
from ..identity.principal import Principal
from .awards import member_party
from .events import announce


def add_member(session: Session, actor: Principal, *, community_id: int | None, name: str, phone: str,
               now: datetime, team: str | None = None, password: str | None = None, why: str | None = None,
               temporary: bool = False) -> Member:
    """Add a volunteer to a community the actor manages; refused (PhoneTaken) if a member or a
    staff account signs in with this phone already. `why`: what added them (an import's sheet);
    `temporary`: the password is one the actor set, to be changed at the first sign-in."""
    community_id = named_community(actor, community_id)
    refuse_taken_phone(session, phone)
    member = members.enrol_member(session, community_id=community_id, name=name, phone=phone, team=team,
                                  password=password, now=now, password_temporary=temporary and bool(password))
    announce(session, actor, "member_added", at=now, community_id=member.community_id, subject=member_party(member),
             member_id=member.id, why=why, name=member.name, team=member.team)
    return member


def change_team(session: Session, actor: Principal, *, member_id: int, team: str | None, now: datetime) -> Member:
    """Move a member the actor may see to another team (None: no team)."""
    member = visible_member(session, actor, member_id)
    before = members.move_to_team(session, member, team=team)
    announce(session, actor, "member_changed", at=now, community_id=member.community_id,
             subject=member_party(member), member_id=member.id, team_before=before, team=team)
    return member


def reset_password(session: Session, actor: Principal, *, member_id: int, password: str, now: datetime) -> Member:
    """Give a member the actor may see a new password, to be changed at their next sign-in (a
    temporary one): every session and sign-in token of theirs ends."""
    member = visible_member(session, actor, member_id)
    change_password(session, person_of_member(member), password=password, now=now, temporary=True)
    announce(session, actor, "password_reset", at=now, community_id=member.community_id,
             subject=member_party(member), member_id=member.id)
    return member
