"""Scans made with no signal (离线签到) and uploaded later: each scan carries its own nonce, and the
first answer to a nonce is kept, so an upload sent twice (or by two phones at once) counts once."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .activities import Activity, ActivityNotOpen
from .db import Base, UTCDateTime, insert_unless_taken
from .errors import Invalid

ANSWERS = ("accepted", "duplicate", "refused")
UPLOAD_HOURS = 72  # an activity's scans are taken at most this long after it ended
CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run this far ahead of the server's


class UploadTooLate(ActivityNotOpen):
    """The activity ended more than UPLOAD_HOURS ago: its offline scans are not taken any more."""


class ScanInFuture(Invalid):
    """The scan's time lies ahead of the server's clock: the phone's clock is wrong."""


class OfflineScan(Base):
    __tablename__ = "offline_scans"
    __table_args__ = (
        UniqueConstraint("activity_id", "nonce"),
        CheckConstraint(f"status IN {ANSWERS!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    nonce: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(100))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[str | None] = mapped_column(String(40))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))


@dataclass(frozen=True)
class Answer:
    """What the server said to one scan: accepted, duplicate (the member was in already) or refused (`code`)."""

    nonce: str
    status: str
    code: str | None = None
    checkin_id: int | None = None


def claim_nonce(session: Session, *, activity_id: int, nonce: str, device: str, scanned_at: datetime,
                now: datetime) -> Answer | None:
    """Claim a scan's nonce for this upload: None if it is new (answer it with `settle`), else the
    answer kept from the first upload. On PostgreSQL a concurrent upload of the same nonce waits
    for the first to commit and then reads its answer."""
    claimed = insert_unless_taken(session, OfflineScan.__table__, unique=["activity_id", "nonce"], values={
        "activity_id": activity_id, "nonce": nonce, "device": device, "scanned_at": scanned_at, "uploaded_at": now,
        "status": "refused", "code": "pending"})
    if claimed is not None:
        return None
    kept = session.execute(select(OfflineScan.status, OfflineScan.code, OfflineScan.checkin_id).where(
        OfflineScan.activity_id == activity_id, OfflineScan.nonce == nonce)).one()
    return Answer(nonce, kept.status, kept.code, kept.checkin_id)


def settle(session: Session, *, activity_id: int, answer: Answer) -> Answer:
    """Keep the answer to a nonce claimed by `claim_nonce`: every later upload of it gets this one."""
    session.execute(update(OfflineScan).where(OfflineScan.activity_id == activity_id, OfflineScan.nonce == answer.nonce)
                    .values(status=answer.status, code=answer.code, checkin_id=answer.checkin_id)
                    .execution_options(synchronize_session=False))
    return answer


def ensure_uploadable(activity: Activity, *, scanned_at: datetime, now: datetime) -> None:
    """Refuse a scan uploaded too long after the activity, or dated ahead of the server's clock.
    (Whether it lies inside the check-in window is the check-in's own rule.)"""
    if now > activity.ends_at + timedelta(hours=UPLOAD_HOURS):
        raise UploadTooLate(f"{activity.title} ended more than {UPLOAD_HOURS} hours ago")
    if scanned_at > now + CLOCK_SKEW:
        raise ScanInFuture("the scan is dated in the future: check the phone's clock", field="at")
