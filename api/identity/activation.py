"""Activation codes: a member imported without a password sets their own, once, with the code
printed on a slip before it expires. Only a code's SHA-256 hash is kept: the slip is its one copy."""
import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.codes import CodeExpired
from points.db import Base, UTCDateTime
from points.errors import AlreadyDone, NotFound
from points.members import Member, get_member

# Upper-case letters and digits that cannot be misread from paper (no 0/O, 1/I/L); ten of them
# make 31^10 (8 * 10^14) codes, with guesses limited per address.
LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
MOST_AT_ONCE = 2000  # slips printed at once: a large community's roster


class ActivationCode(Base):
    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UnknownActivation(NotFound):
    """No activation code is spelt so (mistyped, or never printed)."""


class ActivationUsed(AlreadyDone):
    """The code set a password already: the member signs in with it."""

    code = "already_used"


class ActivationExpired(CodeExpired):
    """The slip is past its date: the organiser prints a new one."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def spelt(typed: str) -> str:
    """A code as typed from a slip: case, spaces and dashes do not matter."""
    return re.sub(r"[\s-]", "", typed or "").upper()[:32]


def without_password(session: Session, *, community_id: int, team: str | None = None,
                     member_ids: list[int] | None = None) -> list[Member]:
    """The community's members who have no password yet (all, a team's, or those named), by team and name."""
    query = select(Member).where(Member.community_id == community_id, Member.password_hash.is_(None))
    if team is not None:
        query = query.where(Member.team == team)
    if member_ids is not None:
        query = query.where(Member.id.in_(member_ids))
    return list(session.scalars(query.order_by(Member.team, Member.name, Member.id).limit(MOST_AT_ONCE)))


def issue_codes(session: Session, members: list[Member], *, now: datetime,
                expires_at: datetime) -> list[tuple[Member, str]]:
    """A new code for each member (their earlier unused ones stop working); the plain codes are
    returned once, for the slips."""
    ids = [member.id for member in members]
    if ids:
        session.execute(update(ActivationCode).where(ActivationCode.member_id.in_(ids), ActivationCode.used_at.is_(None),
                                                     ActivationCode.expires_at > now).values(expires_at=now))
    issued = []
    for member in members:
        plain = "".join(secrets.choice(LETTERS) for _ in range(LENGTH))
        session.add(ActivationCode(code_hash=_hash(plain), member_id=member.id, created_at=now, expires_at=expires_at))
        issued.append((member, plain))
    session.flush()
    return issued


def redeem(session: Session, typed: str, *, now: datetime) -> Member:
    """Use a code, once: the member it was printed for. UnknownActivation, ActivationUsed (a
    second use, even at the same moment: the conditional update lets one through), ActivationExpired."""
    record = session.scalar(select(ActivationCode).where(ActivationCode.code_hash == _hash(spelt(typed))))
    if record is None:
        raise UnknownActivation("no such activation code")
    if record.used_at is not None:
        raise ActivationUsed("this activation code was used already: sign in with the phone and password")
    if record.expires_at <= now:
        raise ActivationExpired("this activation code has expired: ask the organiser for a new slip")
    used = session.execute(update(ActivationCode).where(ActivationCode.id == record.id, ActivationCode.used_at.is_(None))
                           .values(used_at=now).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise ActivationUsed("this activation code was used already: sign in with the phone and password")
    return get_member(session, record.member_id)
