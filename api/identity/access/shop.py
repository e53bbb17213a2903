"""The points supermarket: rewards, redemptions, vouchers at the counter, partners and their settlement."""

from sqlalchemy.orm import Session

from points.communities import get_community
from points.errors import Forbidden, Invalid, NotFound
from rewards.catalogue import Reward, get_reward
from rewards.partners import Partner, communities_served, find_partners, get_partner, partner_serves, station_if_any
from rewards.redemptions import Redemption, by_voucher, get_redemption

from ..principal import Principal
from .roles import community_for, in_community, scope

# The points supermarket ---------------------------------------------------------------------

def visible_reward(session: Session, principal: Principal, reward_id: int) -> Reward:
    reward = get_reward(session, reward_id)
    if principal.role == "partner":
        if reward.partner_id == principal.partner_id:
            return reward
    elif in_community(principal, reward.community_id):
        return reward
    raise NotFound(f"reward {reward_id} not found")


def reward_filters(session: Session, principal: Principal, community_id: int | None) -> dict:
    """How a catalogue list is cut: a partner's own rewards, else a community's (volunteers: on offer)."""
    if principal.role == "partner":
        if community_id is not None and not partner_serves(session, principal.partner_id, community_id):
            raise Invalid("that partner does not serve this community", field="community_id")
        return {"partner_id": principal.partner_id, "community_id": community_id, "active_only": False}
    return {"community_id": community_for(principal, community_id), "active_only": principal.role == "volunteer"}


def visible_redemption(session: Session, principal: Principal, redemption_id: int) -> Redemption:
    redemption = get_redemption(session, redemption_id)
    if _sees_redemption(principal, redemption):
        return redemption
    raise NotFound(f"redemption {redemption_id} not found")


def redemption_filters(principal: Principal, *, member_id: int | None, partner_id: int | None) -> dict:
    """A list of redemptions: a volunteer's own, a partner's vouchers, a community's, or any (admin)."""
    cut = scope(principal)
    return {"member_id": cut.member_id or member_id, "partner_id": cut.partner_id or partner_id,
            "community_id": cut.community_id}


def fulfillable_voucher(session: Session, principal: Principal, voucher_code: str) -> Redemption:
    """The voucher a clerk or organiser may fulfil: a partner's own (another partner's: 403),
    an organiser's community's (another's: as if there were none)."""
    redemption = by_voucher(session, voucher_code)
    if principal.role == "partner" and redemption.partner_id != principal.partner_id:
        raise Forbidden("this voucher is for another partner")
    if principal.role == "organiser" and redemption.community_id != principal.community_id:
        raise NotFound("no voucher with that code")
    return redemption


def visible_partners(session: Session, principal: Principal) -> list[Partner]:
    if principal.role == "partner":
        return find_partners(session, partner_id=principal.partner_id)
    return find_partners(session, community_id=community_for(principal, None))


def may_sign_partner(principal: Principal, community_ids: list[int]) -> None:
    """Organisers sign partners for their own community only."""
    for community_id in community_ids:
        community_for(principal, community_id)


def managed_partner(session: Session, principal: Principal, partner_id: int) -> Partner:
    """A partner this principal may change or retire: admins any; an organiser one serving their
    community (another: 404) and only it (one shared with other communities: 403, an admin's)."""
    partner = get_partner(session, partner_id)
    if principal.role == "admin":
        return partner
    if principal.role != "organiser" or not partner_serves(session, partner.id, principal.community_id):
        raise NotFound(f"partner {partner_id} not found")
    if not may_change_partner(principal, communities_served(session, partner.id)):
        raise Forbidden("this partner also serves other communities: an admin changes it")
    return partner


def may_change_partner(principal: Principal, served: list) -> bool:
    """Whether this principal may change a partner serving `served` (ids or communities): admins
    any; an organiser one serving their community alone."""
    ids = [getattr(community, "id", community) for community in served]
    return principal.role == "admin" or (principal.role == "organiser" and ids == [principal.community_id])


def settlement_view(session: Session, principal: Principal, partner_id: int) -> tuple[Partner, int | None]:
    """The partner whose settlement this is, and the community its lines are cut to (None: all).

    A partner settles only itself (another: 403); an organiser sees a partner serving their
    community (another: 404), and only their own community's lines of it.
    """
    if principal.role == "partner" and principal.partner_id != partner_id:
        raise Forbidden("a partner sees only its own settlement")
    partner = get_partner(session, partner_id)
    if principal.role == "organiser":
        if not partner_serves(session, partner.id, principal.community_id):
            raise NotFound(f"partner {partner_id} not found")
        return partner, principal.community_id
    return partner, None


def counter_of(session: Session, principal: Principal, partner_id: int | None) -> tuple[Partner | None, int | None]:
    """Whose counter the counter's pages show, and the community its lines are cut to: a clerk's
    own partner; an organiser's named partner, else their community's workstation (if made yet);
    an admin's named partner, else none. Then as `settlement_view`."""
    if principal.role == "partner":
        partner_id = principal.partner_id
    elif partner_id is None and principal.community_id is not None:
        station = station_if_any(session, get_community(session, principal.community_id))
        partner_id = station.id if station is not None else None
    if partner_id is None:
        return None, None
    return settlement_view(session, principal, partner_id)


def _sees_redemption(principal: Principal, redemption: Redemption) -> bool:
    if principal.role == "partner":
        return redemption.partner_id == principal.partner_id
    if principal.role == "volunteer":
        return redemption.member_id == principal.member_id
    return in_community(principal, redemption.community_id)


def visits_counters(principal: Principal) -> bool:
    """Staff at a counter that is not their own (organisers, admins) fulfil any partner's vouchers they
    may see: they are warned of another partner's voucher and land on that partner's counter after."""
    return principal.role != "partner"
