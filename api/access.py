"""Who may see and act on what: the access policy every endpoint and page asks."""
from functools import wraps

from sqlalchemy.orm import Session

from points.errors import Forbidden, Invalid, NotFound
from points.members import Member, get_member
from rewards.partners import find_partners

from . import db
from .authentication import current_principal
from .tokens import ApiToken, get_token


def community_in_scope(community_id: int | None) -> int | None:
    """The community to act in: an organiser's own (another one is 403), or the admin's pick."""
    principal = current_principal()
    if principal.role == "admin":
        return community_id
    if community_id is not None and community_id != principal.community_id:
        raise Forbidden("this token belongs to another community")
    return principal.community_id


def visible_member(session: Session, member_id: int) -> Member:
    """A member this token may see: admins all, organisers their community's, volunteers themself."""
    principal = current_principal()
    member = get_member(session, member_id)
    if principal.role == "admin":
        return member
    if principal.role == "organiser" and member.community_id == principal.community_id:
        return member
    if principal.role == "volunteer" and member.id == principal.member_id:
        return member
    raise NotFound(f"member {member_id} not found")


def member_acted_for(session: Session, member_id: int | None) -> Member:
    """Whom a request is for: volunteers act for themselves unless they name someone they may
    see; organisers and admins must name the member."""
    principal = current_principal()
    if member_id is None:
        if principal.role != "volunteer":
            raise Invalid("name the member_id this is for", field="member_id")
        member_id = principal.member_id
    return visible_member(session, member_id)


def found(path_param: str, name: str, loader):
    """Load the path's `path_param` into the view's `name` argument before its body is read.

    So a missing or invisible resource answers 404 even when the body is also invalid,
    as the contract orders refusals (401, 403, 404, then validation).
    """
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            kwargs[name] = loader(db.session(), kwargs.pop(path_param))
            return view(*args, **kwargs)
        return wrapper
    return decorate


def token_scope(session: Session) -> dict:
    """Which tokens the caller may list and revoke (those it may issue): an admin's are all;
    an organiser's are the volunteer tokens of their community and the partner tokens of its partners."""
    principal = current_principal()
    if principal.role == "admin":
        return {}
    if principal.role != "organiser":
        raise Forbidden("only admins and organisers manage tokens")
    partner_ids = [partner.id for partner in find_partners(session, community_id=principal.community_id)]
    return {"community_id": principal.community_id, "partner_ids": partner_ids, "roles": ("volunteer", "partner")}


def visible_token(session: Session, token_id: int) -> ApiToken:
    """A token the caller may revoke; any other is 404."""
    token = get_token(session, token_id)
    scope = token_scope(session)
    if scope and (token.role not in scope["roles"] or not (
            token.partner_id in scope["partner_ids"] if token.role == "partner"
            else token.community_id == scope["community_id"])):
        raise NotFound(f"token {token_id} not found")
    return token
