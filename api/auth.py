"""Bearer tokens (stored as SHA-256 hashes), the four roles, and who may see what."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import abort, g, request
from sqlalchemy import CheckConstraint, ForeignKey, String, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.communities import get_community
from points.db import Base, UTCDateTime
from points.errors import Forbidden, Invalid, NotFound
from points.members import Member, get_member
from rewards.partners import get_partner

from . import db

ROLES = ("admin", "organiser", "partner", "volunteer")


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role"),
        CheckConstraint("role <> 'organiser' OR community_id IS NOT NULL", name="organiser_community"),
        CheckConstraint("role <> 'partner' OR partner_id IS NOT NULL", name="partner_partner"),
        CheckConstraint("role <> 'volunteer' OR member_id IS NOT NULL", name="volunteer_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    partner_id: Mapped[int | None] = mapped_column()
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role and the one community, partner or member it is bound to."""

    token_id: int
    role: str
    name: str
    community_id: int | None = None
    partner_id: int | None = None
    member_id: int | None = None

    @property
    def scope(self) -> str:
        """Whose idempotency keys these are: a volunteer's phones share theirs."""
        subject = {"volunteer": self.member_id, "partner": self.partner_id}.get(self.role, self.token_id)
        return f"{self.role}:{subject}"

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"[:200]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, role: str, name: str, now: datetime, community_id: int | None = None,
                partner_id: int | None = None, member_id: int | None = None) -> tuple[str, ApiToken]:
    """Create a token; the plain text is returned once and only its hash is kept."""
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}", field="role")
    if role == "volunteer":
        if member_id is None:
            raise Invalid("a volunteer token needs member_id", field="member_id")
        community_id = get_member(session, member_id).community_id
    if role == "organiser" and community_id is None:
        raise Invalid("an organiser token needs community_id", field="community_id")
    if role == "partner" and partner_id is None:
        raise Invalid("a partner token needs partner_id", field="partner_id")
    if community_id is not None:
        get_community(session, community_id)
    if partner_id is not None:
        get_partner(session, partner_id)
    plain = "bn_" + secrets.token_urlsafe(32)
    token = ApiToken(token_hash=hash_token(plain), role=role, name=name, community_id=community_id,
                     partner_id=partner_id, member_id=member_id, created_at=now)
    session.add(token)
    session.flush()
    return plain, token


def principal_for(session: Session, plain: str) -> Principal | None:
    """Who holds this token (one indexed lookup on every request), or None."""
    row = session.connection().execute(_PRINCIPAL, {"hash": hash_token(plain)}).first()
    return Principal(*row) if row else None


_tokens = ApiToken.__table__
_PRINCIPAL = select(_tokens.c.id, _tokens.c.role, _tokens.c.name, _tokens.c.community_id, _tokens.c.partner_id,
                    _tokens.c.member_id).where(_tokens.c.token_hash == bindparam("hash"))


def current_principal() -> Principal:
    return g.principal


def authenticate_request() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, plain = header.partition(" ")
    if scheme.lower() != "bearer" or not plain.strip():
        abort(401, "missing bearer token")
    principal = principal_for(db.session(), plain.strip())
    if principal is None:
        abort(401, "unknown token")
    g.principal = principal
    return principal


def authorize(*roles: str):
    """Require a valid token (401) whose role is among `roles` (403)."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            principal = authenticate_request()
            if principal.role not in roles:
                abort(403, f"a {principal.role} token may not do this")
            return view(*args, **kwargs)
        return guarded
    return decorate


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
