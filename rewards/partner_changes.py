"""Putting a partner right: a new name, kind or set of communities, or retiring it (停用)."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from points.communities import get_community
from points.errors import Conflict, Invalid

from .catalogue import Reward
from .partners import Partner, communities_served, partner_communities, serve
from .redemptions import Redemption


class PartnerRetired(Conflict):
    """The partner no longer takes part: nothing can be changed or fulfilled for it."""


@dataclass(frozen=True)
class Retirement:
    """What retiring a partner did: its rewards taken off the shelf, and its open vouchers (to be
    cancelled by the caller, each through its own act)."""

    partner: Partner
    shelved: list[int]
    open_vouchers: list[Redemption]


def amend_partner(session: Session, partner: Partner, *, name: str | None = None, kind: str | None = None,
                  community_ids: list[int] | None = None, address: str | None = None) -> dict:
    """Change what is given of a partner's name, kind, communities and address ("" clears it); answers what changed,
    {field: [before, after]}. A name another partner of one of its communities has: PartnerNameTaken."""
    ensure_serving(partner)
    if kind is not None and (kind == "station") != (partner.kind == "station"):
        raise Invalid("a workstation stays a workstation, and no partner becomes one", field="kind")
    if community_ids is not None and not community_ids:
        raise Invalid("a partner serves at least one community", field="community_ids")
    before = {"name": partner.name, "kind": partner.kind, "address": partner.address,
              "community_ids": communities_served(session, partner.id)}
    for community_id in set(community_ids or []):
        get_community(session, community_id)
    partner.name = partner.name if name is None else name
    partner.kind = partner.kind if kind is None else kind
    partner.address = partner.address if address is None else (address or None)
    session.flush()
    serve(session, partner, before["community_ids"] if community_ids is None else community_ids)
    after = {"name": partner.name, "kind": partner.kind, "address": partner.address,
             "community_ids": communities_served(session, partner.id)}
    return {field: [before[field], after[field]] for field in before if before[field] != after[field]}


def retire_partner(session: Session, partner: Partner, *, now: datetime) -> Retirement:
    """Retire a partner: its name is free again in its communities, its rewards are shelved, and
    its vouchers not yet used are handed back for cancelling. Its history and settlement stay."""
    ensure_serving(partner)
    if partner.kind == "station":
        raise Invalid("a community's workstation is not retired", field="kind")
    partner.retired_at = now
    session.flush()
    session.execute(update(partner_communities).where(partner_communities.c.partner_id == partner.id)
                    .values(name_key=None))
    shelved = list(session.scalars(update(Reward).where(Reward.partner_id == partner.id, Reward.active.is_(True))
                                   .values(active=False).returning(Reward.id)
                                   .execution_options(synchronize_session=False)))
    open_vouchers = list(session.scalars(select(Redemption).where(
        Redemption.partner_id == partner.id, Redemption.status == "reserved").order_by(Redemption.id)))
    return Retirement(partner, shelved, open_vouchers)


def ensure_serving(partner: Partner) -> None:
    if partner.retired_at is not None:
        raise PartnerRetired(f"{partner.name} was retired")
