"""Partners (合作商户): an organiser signs one up for their community, an admin for any; either
puts its name, kind or communities right, or retires it (停用)."""
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party
from rewards.partner_changes import amend_partner, retire_partner
from rewards.partners import Partner, communities_served, sign_partner

from ..identity.access import managed_partner, may_sign_partner
from ..identity.principal import Principal
from .events import announce
from .redemptions import cancel_retired_voucher


def sign(session: Session, actor: Principal, *, name: str, kind: str, community_ids: list[int],
         now: datetime, address: str | None = None) -> Partner:
    """Sign up a partner (shop, clinic, school, property company) for communities the actor may act in;
    each community's trail records it. A second partner of a name in a community: 409 conflict."""
    may_sign_partner(actor, community_ids)
    partner = sign_partner(session, name=name, kind=kind, community_ids=community_ids, now=now, address=address)
    _announce(session, actor, "partner_signed", partner, community_ids, now=now, kind=kind)
    return partner


def change_partner(session: Session, actor: Principal, *, partner_id: int, now: datetime, name: str | None = None,
                   kind: str | None = None, community_ids: list[int] | None = None,
                   address: str | None = None) -> Partner:
    """Change a partner's name, kind or communities (an organiser: a partner of their community
    alone, and only there); a name another partner has in one of them: 409 conflict."""
    partner = managed_partner(session, actor, partner_id)
    if community_ids is not None:
        may_sign_partner(actor, community_ids)
    before = communities_served(session, partner.id)
    changed = amend_partner(session, partner, name=name, kind=kind, community_ids=community_ids, address=address)
    if changed:
        _announce(session, actor, "partner_changed", partner, before + communities_served(session, partner.id),
                  now=now, changed=changed)
    return partner


def retire(session: Session, actor: Principal, *, partner_id: int, now: datetime,
           reason: str | None = None) -> Partner:
    """Retire a partner: its clerks can no longer sign in, its rewards leave the shelf, and its
    vouchers not yet used are cancelled (each volunteer's points come back, each audited)."""
    partner = managed_partner(session, actor, partner_id)
    retirement = retire_partner(session, partner, now=now)
    for voucher in retirement.open_vouchers:
        cancel_retired_voucher(session, actor, redemption=voucher, now=now)
    _announce(session, actor, "partner_retired", partner, communities_served(session, partner.id), now=now,
              why=reason, shelved=retirement.shelved, vouchers_cancelled=[v.id for v in retirement.open_vouchers])
    return partner


def _announce(session: Session, actor: Principal, action: str, partner: Partner, community_ids: list[int], *,
              now: datetime, why: str | None = None, **facts) -> None:
    """One row in each community's trail that the change concerns."""
    for community_id in sorted(set(community_ids)):
        announce(session, actor, action, at=now, community_id=community_id, why=why,
                 subject=Party("partner", partner.id, partner.name), partner_id=partner.id, **facts)
