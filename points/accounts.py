"""Ledger accounts: every point sits in exactly one, and only issuance may go negative."""
from datetime import datetime

from sqlalchemy import CheckConstraint, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime, serializes_writers

# issuance: a community's source of points (its balance is minus all points ever issued)
# member:   what a volunteer may spend; hold: what their open redemptions reserve
# partner / station: where redeemed points end up (a shop's or the workstation's takings)
# pending: a member's awards on public notice; expiry: a community's expired points
KINDS = ("issuance", "member", "hold", "partner", "station", "pending", "expiry")


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint("kind = 'issuance' OR balance >= 0", name="balance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[int | None] = mapped_column(index=True)  # no FK: communities point here
    name: Mapped[str] = mapped_column(String(200))
    balance: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)


def open_account(session: Session, *, kind: str, name: str, community_id: int | None,
                 now: datetime) -> Account:
    """Open an empty account of `kind`."""
    account = Account(kind=kind, name=name, community_id=community_id, balance=0, opened_at=now)
    session.add(account)
    session.flush()
    return account


def lock_accounts(session: Session, *account_ids: int) -> None:
    """Lock accounts in id order (PostgreSQL) before checks that depend on them.

    On SQLite the transaction already holds the database's write lock (`BEGIN IMMEDIATE`),
    so nothing is sent.
    """
    if serializes_writers(session):
        return
    session.execute(
        select(Account.id).where(Account.id.in_(account_ids)).order_by(Account.id).with_for_update()
    ).all()
