"""Communities (社区): each has its own members, rules, points issuance and workstation."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from .accounts import Account, open_account
from .db import Base, UTCDateTime, fetch, flush_unique
from .errors import Conflict

# Points are issued from several accounts per community, each member's from one of them:
# every earning updates its issuance account's balance, and with one account all earnings
# in a community would queue on that one row (PostgreSQL) until they commit.
ISSUANCE_SLOTS = 8


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    station_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    # Where expired points go; and the validity: points expire this many months after they
    # were earned (None: never), or at the end of that year if `points_expire_at_year_end`.
    expiry_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    points_valid_months: Mapped[int | None] = mapped_column()
    points_expire_at_year_end: Mapped[bool] = mapped_column(default=False)
    # Volunteers see each other on leaderboards as 陈*龙 unless the community turns this off.
    mask_names: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Volunteer levels on lifetime points, [{points, name}, ...] lowest first; None: points.levels' default.
    levels: Mapped[list | None] = mapped_column(JSON)


def found_community(session: Session, *, name: str, code: str, now: datetime, points_valid_months: int | None = None,
                    points_expire_at_year_end: bool = False, mask_names: bool = True) -> Community:
    """Create a community with its issuance, workstation and expiry accounts."""
    if session.scalar(select(Community.id).where(Community.code == code)) is not None:
        raise Conflict(f"community code {code!r} is already taken")
    community = Community(name=name, code=code, created_at=now, points_valid_months=points_valid_months,
                          points_expire_at_year_end=points_expire_at_year_end, mask_names=mask_names)
    flush_unique(session, community, taken=f"community code {code!r} is already taken")
    for slot in range(1, ISSUANCE_SLOTS + 1):
        open_account(session, kind="issuance", name=f"{name} 积分发放 {slot}", community_id=community.id, now=now)
    community.station_account_id = open_account(
        session, kind="station", name=f"{name} 警网融合工作站", community_id=community.id, now=now).id
    community.expiry_account_id = open_account(
        session, kind="expiry", name=f"{name} 过期积分", community_id=community.id, now=now).id
    session.flush()
    return community


def change_community(session: Session, community: Community, **changes) -> Community:
    """Change a community's settings (name, points validity, name masking). A new validity applies
    to points earned from then on: lots already earned keep the expiry they were given."""
    for name, value in changes.items():
        setattr(community, name, value)
    session.flush()
    return community


def issuance_accounts(session: Session, community_id: int) -> list[int]:
    """The ids of a community's issuance accounts."""
    return list(session.scalars(select(Account.id).where(Account.community_id == community_id,
                                                         Account.kind == "issuance").order_by(Account.id)))


def get_community(session: Session, community_id: int) -> Community:
    return fetch(session, Community, community_id, "community")


def list_communities(session: Session, *, ids: list[int] | None = None) -> list[Community]:
    """All communities, or those among `ids`."""
    query = select(Community).order_by(Community.id)
    if ids is not None:
        query = query.where(Community.id.in_(ids))
    return list(session.scalars(query))
