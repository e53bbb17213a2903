"""API tokens: an admin or an organiser issues one (or the operator, `benniu token create`) and
revokes one.

`actor` None is the operator at the command line: whoever holds the server may issue any token;
the audit names them `system`.
"""
from datetime import datetime

from sqlalchemy.orm import Session

from points.audit import Party

from ..identity.access import token_grant, visible_token
from ..identity.principal import Principal
from ..identity.tokens import ApiToken, issue_token, revoke
from .events import announce


def issue(session: Session, actor: Principal | None, *, now: datetime, **terms) -> tuple[str, ApiToken]:
    """Issue a token with `terms` (role, name, community_id, partner_id, member_id...) as the policy
    grants the actor; returns its plain text, shown once, and its record (only the hash is kept)."""
    if actor is not None:
        terms = token_grant(session, actor, terms)
    plain, token = issue_token(session, now=now, **terms)
    _announce(session, actor, "token_issued", token, now=now)
    return plain, token


def revoke_token(session: Session, actor: Principal, *, token_id: int, now: datetime) -> ApiToken:
    """Revoke a token or a session the actor may manage: it is refused from the next request on."""
    token = visible_token(session, actor, token_id)
    if token.revoked_at is None:
        revoke(session, token.id, now=now)
        _announce(session, actor, "token_revoked", token, now=now)
    return token


def _announce(session: Session, actor: Principal | None, action: str, token: ApiToken, *, now: datetime) -> None:
    announce(session, actor, action, at=now, community_id=token.community_id or (actor.community_id if actor else None),
             subject=Party("token", token.id, token.name), member_id=token.member_id, role=token.role,
             partner_id=token.partner_id)
