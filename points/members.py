"""Members (志愿者): who they are, how they log in, and the two accounts each one owns."""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, and_, false, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .accounts import Account, open_account
from .communities import Community, get_community, issuance_accounts
from .db import Base, UTCDateTime, fetch, flush_unique, keyset
from .errors import Invalid, PhoneTaken
from .passwords import hash_password, password_matches
from .periods import ALL_TIME
from .phones import is_phone
from .short_codes import card_number
from .tallies import MemberTally, joining, tally


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (Index("ix_members_community_team", "community_id", "team"),
                      # A search reads name and phone off the index, in id order (find_members).
                      Index("ix_members_search", "community_id", "id", "name", "phone"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), unique=True)
    team: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Set by someone else (an organiser's reset): to be changed at the next sign-in.
    password_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    hold_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    # Awards on public notice (公示) wait here until final.
    pending_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    # The community issuance account the member's earnings come from (see ISSUANCE_SLOTS).
    issuance_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Read with the member where a write needs it (an earning dates its lot by the validity),
    # so the write does not read it again; otherwise loaded when first used.
    community: Mapped[Community] = relationship(viewonly=True)

    @property
    def card_number(self) -> str:
        """The 8 digits printed under the member card's QR (`points.short_codes`): one per member."""
        return card_number(self.id)


@dataclass(frozen=True)
class Balance:
    member_id: int
    available: int
    held: int
    pending: int
    lifetime_earned: int
    lifetime_spent: int
    minutes_served: int


def enrol_member(session: Session, *, community_id: int, name: str, phone: str, now: datetime,
                 team: str | None = None, password: str | None = None, password_temporary: bool = False) -> Member:
    """Register a volunteer in a community: open their spending and hold accounts, and pick
    the community issuance account their earnings come from (by phone, so it spreads evenly)."""
    get_community(session, community_id)
    if not is_phone(phone):
        raise Invalid(f"{phone!r} is not a phone number members may have", field="phone")
    if session.scalar(select(Member.id).where(Member.phone == phone)) is not None:
        raise PhoneTaken(f"phone {phone} is already registered")
    account = open_account(session, kind="member", name=f"{name} {phone}", community_id=community_id, now=now)
    hold = open_account(session, kind="hold", name=f"{name} {phone} 冻结", community_id=community_id, now=now)
    pending = open_account(session, kind="pending", name=f"{name} {phone} 公示中", community_id=community_id, now=now)
    slots = issuance_accounts(session, community_id)
    member = Member(community_id=community_id, name=name, phone=phone, team=team,
                    issuance_account_id=slots[int(hashlib.sha256(phone.encode()).hexdigest(), 16) % len(slots)],
                    password_hash=hash_password(password) if password else None,
                    password_temporary=password_temporary,
                    account_id=account.id, hold_account_id=hold.id, pending_account_id=pending.id,
                    joined_at=now)
    # A concurrent one may have won the phone since the check above.
    flush_unique(session, member, taken=f"phone {phone} is already registered", refusal=PhoneTaken)
    tally(session, member=member, at=now, deeds=joining())
    return member


def get_member(session: Session, member_id: int) -> Member:
    return fetch(session, Member, member_id, "member")


def members_by_id(session: Session, member_ids: set[int]) -> dict[int, Member]:
    """Many members by id, in one query."""
    if not member_ids:
        return {}
    return {member.id: member for member in session.scalars(select(Member).where(Member.id.in_(member_ids)))}


def move_to_team(session: Session, member: Member, *, team: str | None) -> str | None:
    """Move a member to another team (None: none); returns the team they were in."""
    before, member.team = member.team, team
    session.flush()
    return before


def member_of_transfer(session: Session, transfer) -> Member | None:
    """Whose points a transfer moved (into or out of their own or their pending account), if anyone's."""
    accounts = (transfer.debit_account_id, transfer.credit_account_id)
    return session.scalar(select(Member).where(
        or_(Member.account_id.in_(accounts), Member.pending_account_id.in_(accounts))))


def find_members(session: Session, *, community_id: int | None = None, team: str | None = None,
                 q: str | None = None, cursor: int | None = None, limit: int = 50) -> list[Member]:
    """Members in id order, filtered; `cursor` continues a previous page.

    The page's ids are picked first, then its members loaded: a search (`q` anywhere in the name
    or phone) can use no index to match, but picking ids reads ix_members_search alone, not the
    page of every member of the community (a community's members lie all over the table).
    """
    page = keyset(select(Member.id), Member.id, cursor=cursor, limit=limit)
    if community_id is not None:
        page = page.where(Member.community_id == community_id)
    if team is not None:
        page = page.where(Member.team == team)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        page = page.where(or_(Member.name.like(pattern, escape="\\"), Member.phone.like(pattern, escape="\\")))
    return list(session.scalars(select(Member).where(Member.id.in_(page)).order_by(Member.id)))


def teams_of(session: Session, community_id: int | None) -> list[str]:
    """The teams a community's members are in (every community's when None), by name."""
    query = select(Member.team).where(Member.team.is_not(None)).distinct().order_by(Member.team)
    if community_id is not None:
        query = query.where(Member.community_id == community_id)
    return list(session.scalars(query.limit(500)))


def authenticate(session: Session, *, phone: str, password: str) -> Member | None:
    """The member with this phone and password, or None."""
    member = session.scalar(select(Member).where(Member.phone == phone))
    matches = password_matches(member.password_hash if member is not None else None, password)
    return member if matches else None


def balance_of(session: Session, member: Member) -> Balance:
    """The member's balance and lifetime figures: cached balances and the all-time tally, O(1)."""
    row = session.execute(_balances().where(Member.id == member.id)).one()
    return Balance(member_id=member.id, available=row.available, held=row.held, pending=row.pending,
                   lifetime_earned=row.earned, lifetime_spent=row.spent, minutes_served=row.minutes)


def community_balances(session: Session, community_id: int):
    """Every member of a community with their balance and lifetime figures, in id order (streamed)."""
    return session.execute(_balances().where(Member.community_id == community_id).order_by(Member.id)
                           .execution_options(yield_per=1000))


def _balances():
    held, pending = Account.__table__.alias("held"), Account.__table__.alias("pending")
    lifetime = and_(MemberTally.member_id == Member.id, MemberTally.span == "all", MemberTally.starts_on == ALL_TIME)
    return (select(Member.id, Member.name, Member.phone, Member.team, Member.joined_at,
                   Account.balance.label("available"), held.c.balance.label("held"),
                   pending.c.balance.label("pending"),
                   *(func.coalesce(getattr(MemberTally, name), 0).label(name)
                     for name in ("earned", "spent", "minutes", "activities", "tips")))
            .select_from(Member)
            .join(Account, Account.id == Member.account_id)
            .join(held, held.c.id == Member.hold_account_id)
            .join(pending, pending.c.id == Member.pending_account_id)
            .outerjoin(MemberTally, lifetime))

