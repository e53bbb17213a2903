"""Claims (线索、调解): deeds that earn points only once an organiser approves them."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, and_, case, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime, fetch, keyset
from .earning import earn
from .errors import AlreadyReviewed
from .members import Member
from .rules import current_rule
from .tallies import Deeds, tipping

STATUSES = ("pending", "approved", "rejected")


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        Index("ix_claims_community_status_id", "community_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    rule_code: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    points: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500))
    transfer_id: Mapped[int | None] = mapped_column()
    activity_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))


def submit_claim(session: Session, *, member: Member, rule_code: str, description: str, now: datetime,
                 activity_id: int | None = None) -> Claim:
    """File a claim for review under a live rule of the member's community."""
    current_rule(session, community_id=member.community_id, code=rule_code)
    claim = Claim(community_id=member.community_id, member_id=member.id, rule_code=rule_code,
                  description=description, status="pending", activity_id=activity_id, created_at=now)
    session.add(claim)
    session.flush()
    return claim


def get_claim(session: Session, claim_id: int) -> Claim:
    return fetch(session, Claim, claim_id, "claim")


def find_claims(session: Session, *, community_id: int | None = None, status: str | None = None,
                member_id: int | None = None, cursor: int | None = None, limit: int = 50,
                newest_first: bool = False) -> list[Claim]:
    """Claims, oldest first (the review queue's order) unless asked newest first; `cursor` continues a page."""
    query = keyset(select(Claim), Claim.id, cursor=cursor, limit=limit, newest_first=newest_first)
    for column, value in ((Claim.community_id, community_id), (Claim.status, status),
                          (Claim.member_id, member_id)):
        if value is not None:
            query = query.where(column == value)
    return list(session.scalars(query))


def recent_claims(session: Session, member_ids: list[int], *, limit: int) -> dict[int, list[Claim]]:
    """Each member's last `limit` claims, newest first, for many members in one query."""
    latest = (select(Claim.id, func.row_number().over(partition_by=Claim.member_id, order_by=Claim.id.desc())
                     .label("n")).where(Claim.member_id.in_(member_ids)).subquery())
    claims: dict[int, list[Claim]] = {member_id: [] for member_id in member_ids}
    for claim in session.scalars(select(Claim).join(latest, latest.c.id == Claim.id).where(latest.c.n <= limit)
                                 .order_by(Claim.member_id, Claim.id.desc())):
        claims[claim.member_id].append(claim)
    return claims


def review_queue(session: Session, *, community_id: int | None = None, status: str | None = None,
                 rule_code: str | None = None, after: Claim | None = None, limit: int = 50) -> list[Claim]:
    """The review queue: pending claims first, then reviewed ones, each oldest first; `after` (the
    last claim of a page) continues from it."""
    reviewed = case((Claim.status == "pending", 0), else_=1)
    query = select(Claim).order_by(reviewed, Claim.id).limit(limit)
    for column, value in ((Claim.community_id, community_id), (Claim.status, status), (Claim.rule_code, rule_code)):
        if value is not None:
            query = query.where(column == value)
    if after is not None:
        last = 0 if after.status == "pending" else 1
        query = query.where(or_(reviewed > last, and_(reviewed == last, Claim.id > after.id)))
    return list(session.scalars(query))


def approve_claim(session: Session, *, claim: Claim, now: datetime, points: int | None = None,
                  reviewer: str | None = None) -> Claim:
    """Approve a pending claim and award its points, exactly once."""
    _review(session, claim, status="approved", now=now, reviewer=reviewer)
    rule = current_rule(session, community_id=claim.community_id, code=claim.rule_code)
    member = session.get(Member, claim.member_id)
    # A tip (线索) or a mediation counts for the annual ranking; a check-in under review
    # was counted as an activity when it was made.
    tip = tipping() if claim.activity_id is None else Deeds()
    record = earn(session, member=member, rule=rule, now=now, points=points, actor=reviewer, also=tip,
                  memo=f"线索/申报 #{claim.id}", claim_id=claim.id, activity_id=claim.activity_id)
    claim.points = record.amount
    claim.transfer_id = record.id
    session.flush()
    return claim


def reject_claim(session: Session, *, claim: Claim, reason: str, now: datetime,
                 reviewer: str | None = None) -> Claim:
    """Reject a pending claim; no points move."""
    _review(session, claim, status="rejected", now=now, reviewer=reviewer)
    claim.reason = reason
    session.flush()
    return claim


def _review(session: Session, claim: Claim, *, status: str, now: datetime, reviewer: str | None) -> None:
    # The conditional UPDATE is the lock: of two concurrent reviews, the second waits for
    # the first's row lock, then finds the claim no longer pending and changes nothing.
    changed = session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.status == "pending")
        .values(status=status, reviewed_at=now, reviewed_by=reviewer)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise AlreadyReviewed(f"claim {claim.id} is already reviewed")
    session.refresh(claim)
