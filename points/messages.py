"""Messages (消息): what a volunteer hears back when something happens to them — a claim reviewed,
points received or made final, points or a voucher about to expire, a voucher fulfilled, an
activity cancelled. Written in the transaction of the act that causes them, in plain Chinese with
the numbers, once per cause: (member, kind, subject) is unique, so a retried act or two reminder
runs racing on one lot leave one message.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime, insert_unless_taken, keyset
from .errors import NotFound

# kind -> (title, body): the body's fields are the facts the cause passes to `tell`.
WORDS = {
    "claim_approved": ("线索审核通过", "您提交的「{rule_name}」已审核通过，获得 {points} 积分。"),
    "claim_rejected": ("线索未通过审核", "您提交的「{rule_name}」未通过审核。原因：{reason}"),
    "points_received": ("积分到账", "您因「{rule_name}」获得 {points} 积分。{after}"),
    "notice_final": ("公示期满，积分可用", "您因「{rule_name}」获得的 {points} 积分公示期满，现在可以使用了。"),
    "points_expiring": ("积分即将过期", "您有 {points} 积分将于 {on} 过期，请在此之前到积分超市兑换。"),
    "voucher_expiring": ("兑换券即将过期", "您兑换的「{reward_name}」（券号 {voucher_code}）将于 {on} 过期，"
                                           "请在此之前领取；过期后 {points} 积分退回。"),
    "voucher_fulfilled": ("兑换完成", "您兑换的「{reward_name}」已领取，使用 {points} 积分。"),
    "activity_cancelled": ("活动已取消", "活动「{title}」（{on}）已取消。{after}"),
}
KINDS = tuple(WORDS)
# Kinds a reminder run may also send by SMS.
REMINDERS = ("points_expiring", "voucher_expiring")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # One message per cause: the member, the kind and what it is about (a claim, an earning's
        # transfer, a notice, a lot, a voucher, an activity).
        UniqueConstraint("member_id", "kind", "subject_id"),
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        Index("ix_messages_member_id_id", "member_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(1000))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a reminder went out by SMS too (claimed before sending: at most once).
    texted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class Told:
    """A message `tell` wrote (None from `tell` when the cause had already been told)."""

    id: int
    member_id: int
    kind: str
    body: str


def tell(session: Session, *, member_id: int, kind: str, subject_id: int, at: datetime, **facts) -> Told | None:
    """Write the member's message of `kind` about `subject_id`, worded from `facts`, unless that
    cause was already told (then None). Concurrent tellers of one cause: exactly one writes."""
    title, body = WORDS[kind]
    text = body.format(**facts).strip()
    ident = insert_unless_taken(session, Message.__table__, {
        "member_id": member_id, "kind": kind, "subject_id": subject_id, "at": at, "title": title, "body": text,
        "read_at": None, "texted_at": None}, unique=["member_id", "kind", "subject_id"])
    return None if ident is None else Told(id=ident, member_id=member_id, kind=kind, body=text)


def messages_for(session: Session, *, member_id: int, cursor: int | None = None, limit: int = 20) -> list[Message]:
    """The member's messages, newest first; `cursor` (a message id) continues a previous page."""
    return list(session.scalars(keyset(select(Message).where(Message.member_id == member_id), Message.id,
                                       cursor=cursor, limit=limit, newest_first=True)))


def unread_count(session: Session, *, member_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Message)
                          .where(Message.member_id == member_id, Message.read_at.is_(None)))


def message_of(session: Session, *, member_id: int, message_id: int) -> Message:
    """The member's own message; another's is as absent as one that does not exist."""
    message = session.get(Message, message_id)
    if message is None or message.member_id != member_id:
        raise NotFound(f"message {message_id} not found")
    return message


def mark_read(session: Session, *, member_id: int, message_id: int, now: datetime) -> Message:
    """Mark the member's message read (again: nothing changes)."""
    message = message_of(session, member_id=member_id, message_id=message_id)
    session.execute(update(Message).where(Message.id == message.id, Message.read_at.is_(None))
                    .values(read_at=now).execution_options(synchronize_session=False))
    session.refresh(message)
    return message
