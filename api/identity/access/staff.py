"""Who manages whom: the tokens an organiser may issue and revoke, and the staff accounts they run."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from points.errors import Forbidden, NotFound
from rewards.partners import communities_served, find_partners, partner_serves

from ..accounts import StaffAccount, get_staff
from ..principal import Principal
from ..tokens import ApiToken, get_token
from .people import visible_member
from .roles import community_for

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


def token_scope(session: Session, principal: Principal) -> dict:
    """Which tokens and sessions a principal may list and revoke: those it may issue. An admin's
    are all; an organiser's the volunteer ones of their community and the partner ones of the
    partners that serve their community only (as `token_grant`)."""
    if principal.role == "admin":
        return {}
    if principal.role != "organiser":
        raise Forbidden("only admins and organisers manage tokens")
    return {"community_id": principal.community_id,
            "partner_ids": _partners_served_only(session, principal.community_id), "roles": ("volunteer", "partner")}


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
