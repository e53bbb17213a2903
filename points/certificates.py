"""Service-hours certificates (志愿服务时长证明): a volunteer's hours served, activities attended and
points earned over a period, issued under a serial number that anyone can check.

The facts are stored with the serial when it is issued: `/verify/<serial>` shows what the paper
says, even if the ledger changes later (a late check-out, a reversal). A serial is random and
unguessable; one that was never issued, or was altered, is simply not found. The same member,
period and facts reuse their serial, so downloading a certificate again issues no new one.
"""
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime, insert_unless_taken
from .members import Member
from .service_hours import service_of

SERIAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("member_id", "starts_at", "ends_at", "minutes", "activities", "points",
                                       name="uq_certificates_facts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column()
    activities: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)


def certify(session: Session, *, member: Member, start: datetime, end: datetime, now: datetime) -> Certificate:
    """The certificate of the member's service in [start, end): the one already issued for these
    facts, or a new one under a new serial."""
    service = service_of(session, member=member, start=start, end=end)
    facts = {"member_id": member.id, "starts_at": start, "ends_at": end, "minutes": service.minutes,
             "activities": service.activities, "points": service.points}
    insert_unless_taken(session, Certificate.__table__, {
        **facts, "serial": new_serial(now), "community_id": member.community_id, "issued_at": now},
        unique=list(facts))
    return session.scalars(select(Certificate).filter_by(**facts)).one()


def new_serial(now: datetime) -> str:
    """BN2026-XXXX-XXXX-XXXX: the year, and 60 random bits."""
    random = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(12))
    return f"BN{now.year}-{random[:4]}-{random[4:8]}-{random[8:]}"


def certificate_of(session: Session, serial: str) -> Certificate | None:
    """The certificate issued under `serial`, or None (never issued, or altered)."""
    if len(serial) > 32:
        return None
    return session.scalar(select(Certificate).where(Certificate.serial == serial.strip().upper()))
