"""Communities: an admin founds one; an admin or its organiser changes its settings."""
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party
from points.communities import Community, change_community, found_community
from points.errors import Forbidden
from points.levels import checked_levels

from ..identity.access import allows, managed_community
from ..identity.principal import Principal
from .events import announce


def new_community(session: Session, actor: Principal, *, now: datetime, **settings) -> Community:
    """Found a community with its accounts: admins only."""
    if not allows(actor, ("admin",)):
        raise Forbidden("only admins found communities")
    community = found_community(session, now=now, **settings)
    announce(session, actor, "community_founded", at=now, community_id=community.id,
             subject=Party("community", community.id, community.name), code=community.code)
    return community


def change_settings(session: Session, actor: Principal, *, community_id: int, now: datetime, **changes) -> Community:
    """Change a community's settings (name, points validity, name masking, levels): admins any, organisers
    their own."""
    if changes.get("levels"):
        changes["levels"] = checked_levels(changes["levels"])
    community = change_community(session, managed_community(session, actor, community_id), **changes)
    announce(session, actor, "community_changed", at=now, community_id=community.id,
             subject=Party("community", community.id, community.name), **changes)
    return community
