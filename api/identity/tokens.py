"""API tokens and browser sessions: stored as SHA-256 hashes, each bound to a role and one community,
partner or member; sign-in tokens and sessions expire, and any of them can be revoked."""
import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, and_, bindparam, false, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.communities import get_community
from points.db import Base, UTCDateTime, execute, fetch, keyset
from points.errors import Invalid
from points.members import get_member
from rewards.partners import Partner, get_partner

from .accounts import Person, StaffAccount
from .principal import ROLES, Principal

KINDS = ("api", "login", "session")  # issued by an admin or the CLI; by POST /auth/login; by the /login page


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
    kind: Mapped[str] = mapped_column(String(16), default="api", server_default="api")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A sign-in with a temporary password: good for changing it and signing out only.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, role: str, name: str, now: datetime, community_id: int | None = None,
                partner_id: int | None = None, member_id: int | None = None, kind: str = "api",
                staff_id: int | None = None, expires_at: datetime | None = None,
                must_change_password: bool = False) -> tuple[str, ApiToken]:
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
                     partner_id=partner_id, member_id=member_id, created_at=now, kind=kind, staff_id=staff_id,
                     expires_at=expires_at, must_change_password=must_change_password)
    session.add(token)
    session.flush()
    return plain, token


def issue_for(session: Session, person: Person, *, kind: str, now: datetime,
              expires_at: datetime) -> tuple[str, ApiToken]:
    """A sign-in token or a browser session for someone who has just signed in."""
    return issue_token(session, role=person.role, name=f"{person.name} {person.phone}"[:200], now=now, kind=kind,
                       community_id=person.community_id, partner_id=person.partner_id,
                       member_id=person.member_id, staff_id=person.staff_id, expires_at=expires_at,
                       must_change_password=person.must_change_password)


def principal_for(session: Session, plain: str, *, now: datetime, kinds: tuple[str, ...] = KINDS) -> Principal | None:
    """Who holds this token or session (one indexed lookup on every request), or None if it is
    unknown, expired, revoked, of another kind, its staff account is disabled or its partner retired."""
    row = execute(session.connection(), _PRINCIPAL, {"hash": hash_token(plain), "now": now}).first()
    if row is None or row.kind not in kinds:
        return None
    return Principal(row.id, row.role, row.name, row.community_id, row.partner_id, row.member_id, row.staff_id,
                     row.staff_name, row.must_change_password)


def get_token(session: Session, token_id: int) -> ApiToken:
    return fetch(session, ApiToken, token_id, "token")


def find_tokens(session: Session, *, community_id: int | None = None, partner_ids: list[int] | None = None,
                roles: tuple[str, ...] = ROLES, now: datetime, cursor: int | None = None,
                limit: int = 50) -> list[ApiToken]:
    """Live tokens and sessions, newest first; an organiser's view is cut to a community and its partners."""
    query = select(ApiToken).where(ApiToken.revoked_at.is_(None), ApiToken.role.in_(roles),
                                   or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))
    if community_id is not None:
        query = query.where(or_(and_(ApiToken.partner_id.is_(None), ApiToken.community_id == community_id),
                                ApiToken.partner_id.in_(partner_ids or [])))
    return list(session.scalars(keyset(query, ApiToken.id, cursor=cursor, limit=limit, newest_first=True)))


def revoke(session: Session, token_id: int, *, now: datetime) -> None:
    """Revoke one token or session: refused from the next request on. Revoking twice changes nothing."""
    session.execute(update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))


def revoke_all(session: Session, person: Person, *, now: datetime, keep: int | None = None) -> None:
    """End every session and sign-in token of a person (a password change) but `keep`, which is
    freed of a temporary password's restriction; API tokens stay."""
    owner = (ApiToken.staff_id == person.staff_id) if person.staff_id is not None \
        else and_(ApiToken.member_id == person.member_id, ApiToken.staff_id.is_(None))
    session.execute(update(ApiToken).where(owner, ApiToken.kind != "api", ApiToken.revoked_at.is_(None),
                                           ApiToken.id != (keep or 0))
                    .values(revoked_at=now))
    if keep is not None:
        session.execute(update(ApiToken).where(ApiToken.id == keep).values(must_change_password=False))


_tokens = ApiToken.__table__
_staff = StaffAccount.__table__
_partners = Partner.__table__
_PRINCIPAL = (
    select(_tokens.c.id, _tokens.c.role, _tokens.c.name, _tokens.c.community_id, _tokens.c.partner_id,
           _tokens.c.member_id, _tokens.c.kind, _tokens.c.staff_id, _staff.c.name.label("staff_name"),
           _tokens.c.must_change_password)
    .select_from(_tokens.outerjoin(_staff, _staff.c.id == _tokens.c.staff_id)
                 .outerjoin(_partners, _partners.c.id == _tokens.c.partner_id))
    .where(_tokens.c.token_hash == bindparam("hash"), _tokens.c.revoked_at.is_(None),
           or_(_tokens.c.expires_at.is_(None), _tokens.c.expires_at > bindparam("now")),
           _staff.c.disabled_at.is_(None), _partners.c.retired_at.is_(None))
)
