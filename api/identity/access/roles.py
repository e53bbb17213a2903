"""The roles and the communities they act in: who counts as staff, and what a principal's lists are cut to."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from points.communities import Community, get_community, list_communities
from points.errors import Forbidden, Invalid
from rewards.partners import get_partner

from ..principal import Principal

STAFF = ("admin", "organiser")


@dataclass(frozen=True)
class Scope:
    """What a principal's lists are cut to; None on a field means "not cut by it"."""

    community_id: int | None = None
    partner_id: int | None = None
    member_id: int | None = None


def scope(principal: Principal) -> Scope:
    """The rows a principal's lists may hold: admins all; organisers their community's;
    partners their own; volunteers their own, in their community."""
    if principal.role == "admin":
        return Scope()
    if principal.role == "partner":
        return Scope(partner_id=principal.partner_id)
    if principal.role == "volunteer":
        return Scope(community_id=principal.community_id, member_id=principal.member_id)
    return Scope(community_id=principal.community_id)


def allows(principal: Principal, roles: tuple[str, ...]) -> bool:
    """Whether an operation open to `roles` is open to this principal (else 403)."""
    return principal.role in roles


def is_staff(principal: Principal) -> bool:
    """Admins and organisers: who runs activities, sees their codes and reviews claims."""
    return principal.role in STAFF


# Communities ------------------------------------------------------------------------------

def community_for(principal: Principal, community_id: int | None) -> int | None:
    """The community to act in or list: the principal's own (naming another is 403); the admin's
    pick (None: all). A partner is bound to no community: it lists by partner, never by this."""
    if principal.role == "admin":
        return community_id
    own = scope(principal).community_id
    if own is None:
        raise Forbidden("this token is not bound to a community")
    if community_id is not None and community_id != own:
        raise Forbidden("this token belongs to another community")
    return own


def named_community(principal: Principal, community_id: int | None) -> int:
    """As `community_for`, where the community must be known (admins must name it)."""
    community_id = community_for(principal, community_id)
    if community_id is None:
        raise Invalid("admins must name the community_id", field="community_id")
    return community_id


def managed_community(session: Session, principal: Principal, community_id: int) -> Community:
    """A community whose settings this principal may change: admins any, organisers their own (403)."""
    return get_community(session, named_community(principal, community_id))


def sees_full_names(principal: Principal, community: Community) -> bool:
    """Boards show staff full names; volunteers see each other as 陈*龙 unless the community unmasks."""
    return principal.role != "volunteer" or not community.mask_names


def visible_communities(session: Session, principal: Principal) -> list[Community]:
    if principal.role == "admin":
        return list_communities(session)
    if principal.role == "partner":
        return get_partner(session, principal.partner_id).communities
    return list_communities(session, ids=[principal.community_id])


def in_community(principal: Principal, community_id: int) -> bool:
    return principal.role == "admin" or (principal.role != "partner" and community_id == principal.community_id)
