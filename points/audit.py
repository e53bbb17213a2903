"""The audit trail: who did what to whom, when and why — every award, reversal, review, import
and account change a member of staff makes.

A row is written in the transaction of the act it records, so an act that rolls back leaves
no trace and an act that commits cannot lose its row. Rows are never updated or deleted.
Volunteers' own everyday acts (check-ins, redemptions) are in the ledger and the logs, not here.
"""
import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime, keyset


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_community_id", "community_id", "id"),
        Index("ix_audit_entries_member_id", "member_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    why: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def facts(self) -> dict:
        """What the act was about (ids, points, rule...), as recorded."""
        return json.loads(self.details or "{}")


def audit(session: Session, *, at: datetime, actor: str, action: str, community_id: int | None = None,
          member_id: int | None = None, why: str | None = None, **details) -> AuditEntry:
    """Record one act in the current transaction."""
    entry = AuditEntry(at=at, actor=actor[:200], action=action, community_id=community_id, member_id=member_id,
                       why=(why or None) and why[:500], details=json.dumps(details, ensure_ascii=False, default=str))
    session.add(entry)
    return entry


def audit_trail(session: Session, *, community_id: int | None = None, member_id: int | None = None,
                action: str | None = None, cursor: int | None = None, limit: int = 50) -> list[AuditEntry]:
    """The trail, newest first: of a community (None: all), of one member, of one kind of act."""
    query = select(AuditEntry)
    if community_id is not None:
        query = query.where(AuditEntry.community_id == community_id)
    if member_id is not None:
        query = query.where(AuditEntry.member_id == member_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(session.scalars(keyset(query, AuditEntry.id, cursor=cursor, limit=limit, newest_first=True)))
