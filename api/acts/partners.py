"""Partners (合作商户): an organiser signs one up for their community, an admin for any."""
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party
from rewards.partners import Partner, sign_partner

from ..identity.access import may_sign_partner
from ..identity.principal import Principal
from .events import announce


def sign(session: Session, actor: Principal, *, name: str, kind: str, community_ids: list[int],
         now: datetime) -> Partner:
    """Sign up a partner (shop, clinic, school, property company) for communities the actor may act in;
    each community's trail records it."""
    may_sign_partner(actor, community_ids)
    partner = sign_partner(session, name=name, kind=kind, community_ids=community_ids, now=now)
    for community_id in sorted(set(community_ids)):
        announce(session, actor, "partner_signed", at=now, community_id=community_id,
                 subject=Party("partner", partner.id, partner.name), partner_id=partner.id, kind=kind)
    return partner
