"""API tokens: stored as SHA-256 hashes, each bound to a role and one community, partner or member."""
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.communities import get_community
from points.db import Base, UTCDateTime
from points.errors import Invalid
from points.members import get_member
from rewards.partners import get_partner

from .principal import ROLES, Principal


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
