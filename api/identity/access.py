"""Who may see and act on what: the one access policy every endpoint and page asks.

Every function takes the principal explicitly (a view passes `current_principal()`, a page its
session's principal), so the same rule serves the JSON API and the web pages. No other module
compares a principal's role (tests/unit/test_layering.py keeps it so).

What is not visible answers 404 (it might as well not exist); what is visible but not the
caller's to do answers 403.
"""
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from points.activities import Activity, get_activity
from points.checkins import Checkin, get_checkin
from points.claims import Claim, get_claim
from points.communities import Community, get_community, list_communities
from points.errors import Forbidden, Invalid, NotFound
from points.ledger import Transfer, get_transfer
from points.members import Member, get_member
from points.notices import Notice, get_notice
from rewards.catalogue import Reward, get_reward
from rewards.partners import Partner, communities_served, find_partners, get_partner, partner_serves, station_if_any
from rewards.redemptions import Redemption, by_voucher, get_redemption

from .accounts import StaffAccount, get_staff
from .principal import Principal
from .tokens import ApiToken, get_token

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


# Members ----------------------------------------------------------------------------------

def may_see_member(principal: Principal, member: Member) -> bool:
    if principal.role == "volunteer":
        return member.id == principal.member_id
    return principal.role == "admin" or (principal.role == "organiser"
                                         and member.community_id == principal.community_id)


def visible_member(session: Session, principal: Principal, member_id: int) -> Member:
    """A member this principal may see: admins all, organisers their community's, volunteers themself."""
    member = get_member(session, member_id)
    if not may_see_member(principal, member):
        raise NotFound(f"member {member_id} not found")
    return member


def member_acted_for(session: Session, principal: Principal, member_id: int | None) -> Member:
    """Whom a request is for: volunteers act for themselves unless they name someone they may
    see; organisers and admins must name the member."""
    if member_id is None:
        if principal.role != "volunteer":
            raise Invalid("name the member_id this is for", field="member_id")
        member_id = principal.member_id
    return visible_member(session, principal, member_id)


def listed_member(principal: Principal, member_id: int | None) -> int | None:
    """The member filter of a list: volunteers always their own."""
    return scope(principal).member_id or member_id


# Activities, check-ins, claims, transfers ---------------------------------------------------

def visible_activity(session: Session, principal: Principal, activity_id: int) -> Activity:
    activity = get_activity(session, activity_id)
    if principal.role == "partner" or not _in_community(principal, activity.community_id):
        raise NotFound(f"activity {activity_id} not found")
    return activity


def sees_checkin_codes(principal: Principal) -> bool:
    """Only staff are handed an activity's codes: a volunteer scans the code at the venue,
    never reads it from a list at home."""
    return is_staff(principal)


def visible_checkin(session: Session, principal: Principal, checkin_id: int) -> Checkin:
    checkin = get_checkin(session, checkin_id)
    if principal.role == "volunteer" and checkin.member_id == principal.member_id:
        return checkin
    if is_staff(principal) and _in_community(principal, get_activity(session, checkin.activity_id).community_id):
        return checkin
    raise NotFound(f"check-in {checkin_id} not found")


def visible_claim(session: Session, principal: Principal, claim_id: int) -> Claim:
    claim = get_claim(session, claim_id)
    if (principal.role == "volunteer" and claim.member_id == principal.member_id) or (
            is_staff(principal) and _in_community(principal, claim.community_id)):
        return claim
    raise NotFound(f"claim {claim_id} not found")


def visible_transfer(session: Session, principal: Principal, transfer_id: int) -> Transfer:
    """A transfer into or out of a member this principal may manage."""
    record = get_transfer(session, transfer_id)
    if principal.role == "admin":
        return record
    accounts = (record.debit_account_id, record.credit_account_id)
    community_id = session.scalar(select(Member.community_id).where(
        or_(Member.account_id.in_(accounts), Member.pending_account_id.in_(accounts))))
    if not is_staff(principal) or community_id is None or community_id != principal.community_id:
        raise NotFound(f"transfer {transfer_id} not found")
    return record


def visible_notice(session: Session, principal: Principal, notice_id: int) -> Notice:
    """A notice an organiser may withdraw: one of their community's (admins: any)."""
    notice = get_notice(session, notice_id)
    if is_staff(principal) and _in_community(principal, notice.community_id):
        return notice
    raise NotFound(f"notice {notice_id} not found")


# The points supermarket ---------------------------------------------------------------------

def visible_reward(session: Session, principal: Principal, reward_id: int) -> Reward:
    reward = get_reward(session, reward_id)
    if principal.role == "partner":
        if reward.partner_id == principal.partner_id:
            return reward
    elif _in_community(principal, reward.community_id):
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


# Tokens -----------------------------------------------------------------------------------

def token_grant(session: Session, principal: Principal, request: dict) -> dict:
    """What token this principal may issue; returns the request with its community settled.

    Admins: any. Organisers: volunteer tokens for their members, and partner tokens for a
    partner serving their community only — a partner that also serves another community is
    an admin's to credential, or its vouchers there would be in this organiser's hands.
    """
    if principal.role == "admin":
        return request
    if request["role"] not in ("partner", "volunteer"):
        raise Forbidden("organisers may issue only partner and volunteer tokens")
    if request.get("member_id") is not None:
        visible_member(session, principal, request["member_id"])
    if request["role"] == "partner":
        partner_id = request.get("partner_id")
        if partner_id is not None:
            if not partner_serves(session, partner_id, principal.community_id):
                raise NotFound(f"partner {partner_id} not found")
            if communities_served(session, partner_id) != [principal.community_id]:
                raise Forbidden("this partner also serves other communities: an admin issues its tokens")
        return {**request, "community_id": None}
    return {**request, "community_id": community_for(principal, request.get("community_id"))}


def _in_community(principal: Principal, community_id: int) -> bool:
    return principal.role == "admin" or (principal.role != "partner" and community_id == principal.community_id)


def _sees_redemption(principal: Principal, redemption: Redemption) -> bool:
    if principal.role == "partner":
        return redemption.partner_id == principal.partner_id
    if principal.role == "volunteer":
        return redemption.member_id == principal.member_id
    return _in_community(principal, redemption.community_id)


def token_scope(session: Session, principal: Principal) -> dict:
    """Which tokens and sessions a principal may list and revoke: those it may issue. An admin's
    are all; an organiser's the volunteer ones of their community and the partner ones of the
    partners that serve their community only (as `token_grant`)."""
    if principal.role == "admin":
        return {}
    if principal.role != "organiser":
        raise Forbidden("only admins and organisers manage tokens")
    partner_ids = [partner.id for partner in find_partners(session, community_id=principal.community_id)
                   if communities_served(session, partner.id) == [principal.community_id]]
    return {"community_id": principal.community_id, "partner_ids": partner_ids, "roles": ("volunteer", "partner")}


def visible_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    """A token or session this principal may revoke; any other is as if there were none."""
    token = get_token(session, token_id)
    cut = token_scope(session, principal)
    if cut and (token.role not in cut["roles"] or not (
            token.partner_id in cut["partner_ids"] if token.role == "partner"
            else token.community_id == cut["community_id"])):
        raise NotFound(f"token {token_id} not found")
    return token



# Console: people ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffCut:
    """Which staff accounts a console lists: organisers of a community and clerks of some partners
    (None on a field: not cut by it)."""

    community_id: int | None = None
    partner_ids: list[int] | None = None


def staff_cut(session: Session, principal: Principal, community_id: int | None) -> StaffCut:
    """The staff a principal manages: an admin's, all (or a viewed community's organisers and the clerks
    of its partners); an organiser's, their community's organisers and the clerks of partners serving
    only it (a partner that also serves elsewhere is an admin's to staff, as with its tokens)."""
    if principal.role == "admin":
        if community_id is None:
            return StaffCut()
        return StaffCut(community_id, [partner.id for partner in find_partners(session, community_id=community_id)])
    if principal.role != "organiser":
        raise Forbidden("only admins and organisers manage staff accounts")
    return StaffCut(principal.community_id, _partners_served_only(session, principal.community_id))


def visible_staff(session: Session, principal: Principal, staff_id: int) -> StaffAccount:
    """A staff account this principal manages; any other is as if there were none."""
    account = get_staff(session, staff_id)
    cut = staff_cut(session, principal, None)
    if principal.role == "admin" or (account.role == "organiser" and account.community_id == cut.community_id) or (
            account.role == "partner" and account.partner_id in cut.partner_ids):
        return account
    raise NotFound(f"staff account {staff_id} not found")


def staff_grant(session: Session, principal: Principal, *, role: str, community_id: int | None,
                partner_id: int | None) -> tuple[int | None, int | None]:
    """The (community, partner) of a staff account this principal may add. Admins: any. Organisers:
    an organiser of their own community (another: 403), or a clerk of a partner serving only their
    community (one that does not serve it: 404; one that also serves another: 403); never an admin."""
    if principal.role == "admin":
        return community_id, partner_id
    if role not in ("organiser", "partner"):
        raise Forbidden("organisers add only organiser and clerk accounts")
    cut = staff_cut(session, principal, None)
    if role == "organiser":
        return community_for(principal, community_id), None
    if partner_id is None or not partner_serves(session, partner_id, cut.community_id):
        raise NotFound(f"partner {partner_id} not found")
    if partner_id not in cut.partner_ids:
        raise Forbidden("this partner also serves other communities: an admin adds its clerks")
    return None, partner_id


def disabling_staff(session: Session, principal: Principal, staff_id: int) -> StaffAccount:
    """A staff account this principal may disable: one it manages, never its own (403)."""
    account = visible_staff(session, principal, staff_id)
    if get_token(session, principal.token_id).staff_id == account.id:
        raise Forbidden("you cannot disable your own account")
    return account


def _partners_served_only(session: Session, community_id: int) -> list[int]:
    return [partner.id for partner in find_partners(session, community_id=community_id)
            if communities_served(session, partner.id) == [community_id]]
