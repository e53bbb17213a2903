"""Activation: an organiser prints codes for members who have no password (imported from a
roster, added without one); each member sets their own password with theirs, once."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party
from points.communities import get_community
from points.errors import Invalid
from points.members import Member

from ..identity.access import named_community, visible_member
from ..identity.accounts import MIN_PASSWORD, Person, person_of_member
from ..identity.activation import issue_codes, redeem, without_password
from ..identity.credentials import change_password
from ..identity.principal import Principal
from .awards import member_party
from .events import announce


@dataclass(frozen=True)
class Slip:
    """One member's activation code, as printed (the code is shown here only)."""

    member: Member
    code: str
    expires_at: datetime


def issue_activations(session: Session, actor: Principal, *, community_id: int | None, now: datetime,
                      expires_at: datetime, team: str | None = None,
                      member_ids: list[int] | None = None) -> list[Slip]:
    """Codes for the community's members without a password (a team's, or those named, whom
    the actor must be able to see); members with a password get none. Audited once, with the count."""
    community_id = named_community(actor, community_id)
    for member_id in member_ids or ():
        if visible_member(session, actor, member_id).community_id != community_id:
            raise Invalid("every member must be of the community", field="member_ids")
    members = without_password(session, community_id=community_id, team=team, member_ids=member_ids)
    slips = [Slip(member, code, expires_at) for member, code in issue_codes(session, members, now=now,
                                                                             expires_at=expires_at)]
    community = get_community(session, community_id)
    announce(session, actor, "activation_issued", at=now, community_id=community_id,
             subject=Party("community", community.id, community.name), count=len(slips), team=team)
    return slips


def activate(session: Session, *, code: str, password: str, now: datetime) -> Person:
    """A member sets their own password with their slip's code, once; returns who they are, to
    sign them in. The audit names the member as the actor."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters", field="password")
    member = redeem(session, code, now=now)
    person = person_of_member(member)
    change_password(session, person, password=password, now=now)
    themselves = Principal(0, "volunteer", member.name, member.community_id, member_id=member.id)
    announce(session, themselves, "member_activated", at=now, community_id=member.community_id,
             subject=member_party(member), member_id=member.id)
    return person
