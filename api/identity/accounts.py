"""Staff accounts (organisers, partner clerks, admins) and signing in: everyone uses a phone and a password."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, false, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.communities import get_community
from points.db import Base, UTCDateTime, fetch
from points.errors import Forbidden, Invalid, PhoneTaken
from points.members import Member, authenticate
from points.passwords import hash_password, password_matches
from points.phones import is_phone, normalise_phone
from rewards.partners import get_partner

STAFF_ROLES = ("admin", "organiser", "partner")
MIN_PASSWORD = 8


class AccountDisabled(Forbidden):
    """The right password of a disabled staff account: told so (not "wrong phone or password")."""


class PartnerGone(AccountDisabled):
    """The right password of a clerk whose partner was retired (停用)."""


class StaffAccount(Base):
    __tablename__ = "staff_accounts"
    __table_args__ = (
        CheckConstraint(f"role IN {STAFF_ROLES!r}", name="role"),
        CheckConstraint("role <> 'organiser' OR community_id IS NOT NULL", name="organiser_community"),
        CheckConstraint("role <> 'partner' OR partner_id IS NOT NULL", name="partner_partner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Set by someone else (a reset): to be changed at the next sign-in.
    password_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reads tips' text and photos (police); granted by an admin, or by an organiser who has it.
    sees_tips: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


@dataclass(frozen=True)
class Person:
    """Who signed in: what a token or a session for them is bound to."""

    role: str
    name: str
    phone: str
    community_id: int | None = None
    partner_id: int | None = None
    member_id: int | None = None
    staff_id: int | None = None
    must_change_password: bool = False


def create_staff(session: Session, *, role: str, name: str, phone: str, password: str, now: datetime,
                 community_id: int | None = None, partner_id: int | None = None,
                 temporary: bool = False) -> StaffAccount:
    """Add an organiser, partner clerk or admin; a phone signs in as one person only. `temporary`:
    the password was set for them, to be changed at the first sign-in."""
    if role not in STAFF_ROLES:
        raise Invalid(f"role must be one of {', '.join(STAFF_ROLES)}", field="role")
    if role == "organiser" and community_id is None:
        raise Invalid("an organiser needs a community", field="community_id")
    if role == "partner" and partner_id is None:
        raise Invalid("a partner clerk needs a partner", field="partner_id")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters", field="password")
    if not is_phone(phone):
        raise Invalid(f"{phone!r} is not a phone number staff may have", field="phone")
    if community_id is not None:
        get_community(session, community_id)
    if partner_id is not None:
        get_partner(session, partner_id)
    refuse_taken_phone(session, phone)
    account = StaffAccount(role=role, name=name, phone=phone, password_hash=hash_password(password),
                           community_id=community_id, partner_id=partner_id, created_at=now,
                           password_temporary=temporary)
    session.add(account)
    session.flush()
    return account


def get_staff(session: Session, staff_id: int) -> StaffAccount:
    return fetch(session, StaffAccount, staff_id, "staff account")


def clerks_of(session: Session, partner_ids: list[int]) -> dict[int, list[StaffAccount]]:
    """{partner id: its clerks' accounts, oldest first} for the given partners."""
    clerks: dict[int, list[StaffAccount]] = {partner_id: [] for partner_id in partner_ids}
    if partner_ids:
        for account in session.scalars(select(StaffAccount).where(StaffAccount.partner_id.in_(partner_ids))
                                       .order_by(StaffAccount.id)):
            clerks[account.partner_id].append(account)
    return clerks


def phone_taken(session: Session, phone: str) -> bool:
    """Whether a staff account or a volunteer signs in with this phone already."""
    return bool(session.scalar(select(StaffAccount.id).where(StaffAccount.phone == phone))
                or session.scalar(select(Member.id).where(Member.phone == phone)))


def refuse_taken_phone(session: Session, phone: str) -> None:
    """A phone signs in as one person only: PhoneTaken if a staff account or a volunteer has it
    already: the one check behind both directions (`create_staff` here, and adding a member,
    `api.acts.members.add_member`, since the ledger's members know nothing of staff)."""
    if phone_taken(session, phone):
        raise PhoneTaken(f"phone {phone} is already registered")


def find_staff(session: Session, *, community_id: int | None = None, partner_ids: list[int] | None = None,
               limit: int = 500) -> list[StaffAccount]:
    """Organiser and clerk accounts, in id order: all, or a community's organisers and the clerks
    of the partners named."""
    query = select(StaffAccount).where(StaffAccount.role.in_(("organiser", "partner")))
    if community_id is not None:
        query = query.where(or_(StaffAccount.community_id == community_id,
                                StaffAccount.partner_id.in_(partner_ids or [])))
    return list(session.scalars(query.order_by(StaffAccount.id).limit(limit)))


def sign_in(session: Session, *, phone: str, password: str) -> Person | None:
    """The person with this phone (however typed: `points.phones`) and password (staff first, then
    volunteers), or None; the right password of a disabled account (or a retired partner's clerk)
    is refused as AccountDisabled (403)."""
    phone = normalise_phone(phone)
    if not phone:
        return None
    staff = session.scalar(select(StaffAccount).where(StaffAccount.phone == phone))
    if staff is not None:
        if not password_matches(staff.password_hash, password):
            return None
        if staff.disabled_at is not None:  # only whoever knows the password learns this
            raise AccountDisabled("this account is disabled: ask the organiser who manages it")
        if staff.partner_id is not None and get_partner(session, staff.partner_id).retired_at is not None:
            raise PartnerGone("this account's partner no longer takes part")
        return person_of_staff(staff)
    member = authenticate(session, phone=phone, password=password)
    if member is None:
        return None
    return person_of_member(member)


def person_of_staff(staff: StaffAccount) -> Person:
    return Person(role=staff.role, name=staff.name, phone=staff.phone, community_id=staff.community_id,
                  partner_id=staff.partner_id, staff_id=staff.id, must_change_password=staff.password_temporary)


def person_of_member(member: Member) -> Person:
    return Person(role="volunteer", name=member.name, phone=member.phone, community_id=member.community_id,
                  member_id=member.id, must_change_password=member.password_temporary)
