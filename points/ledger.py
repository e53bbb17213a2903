"""The double-entry, append-only points ledger.

Every movement of points is a `Transfer` of a positive amount from one account to
another, written as two `Entry` rows (minus on the debit side, plus on the credit side)
that record each account's balance after the movement. Accounts cache their balance,
so reading it is O(1), and history is a keyset scan of one account's entries.
Nothing here is ever updated or deleted: a mistake is put right by a reversing transfer.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, bindparam, or_, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from .accounts import Account
from .db import Base, UTCDateTime, execute, fetch, keyset, within
from .errors import InsufficientPoints, Invalid
from .members import Member
from .rules import Rule

# earn: issuance -> member      reversal: the opposite of an earlier transfer
# hold: member -> hold          release: hold -> member      spend: hold -> partner/station
# earn under public notice: issuance -> pending, then finalise: pending -> member
# expire: member -> expiry      unexpire: expiry -> member (to reverse an expired earning)
KINDS = ("earn", "reversal", "hold", "release", "spend", "finalise", "expire", "unexpire")


class Transfer(Base):
    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="two_accounts"),
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        Index("ix_transfers_credit_rule_at", "credit_account_id", "rule_code", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    debit_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    credit_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    memo: Mapped[str] = mapped_column(String(500), default="")
    actor: Mapped[str | None] = mapped_column(String(200))
    # What the points were for. The unique ones are the natural idempotency keys: one award
    # per claim, at most one reversal per transfer. A check-in has one award that is not
    # reversed (its row's status guards that: an undone check-out opens it again, and the next
    # check-out pays anew), so `checkin_id` is indexed, not unique.
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("rules.id"))
    rule_code: Mapped[str | None] = mapped_column(String(64))
    activity_id: Mapped[int | None] = mapped_column()
    checkin_id: Mapped[int | None] = mapped_column(index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), unique=True)
    redemption_id: Mapped[int | None] = mapped_column(index=True)  # rewards' table; no FK upward
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), unique=True)


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (Index("ix_entries_account_id_id", "account_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    amount: Mapped[int] = mapped_column()
    balance_after: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Posted:
    """A transfer just written (the write path returns this; reads load `Transfer` rows)."""

    id: int
    kind: str
    amount: int
    reverses_id: int | None = None


def transfer(session: Session, *, debit_account_id: int, credit_account_id: int, amount: int, kind: str,
             at: datetime, memo: str = "", actor: str | None = None, **refs) -> Posted:
    """Move `amount` points between two accounts; refuse if a non-issuance account would go below 0.

    The two accounts are locked in id order, so two transfers touching the same accounts
    cannot deadlock; each balance changes by a conditional update that returns it, and the
    entries record it. This is the hot path of every check-in and redemption, so on
    PostgreSQL all of it is one statement (`_TRANSFER`: one round trip, where it was four);
    SQLite, in process and already holding the database's write lock, runs it as the
    separate statements it is made of.
    """
    if amount <= 0:
        raise Invalid("points must be a positive whole number", field="points")
    connection = session.connection()  # Core on the session's connection: no ORM work per statement
    values = {**dict.fromkeys(_REFERENCES), **refs, "kind": kind, "debit_account_id": debit_account_id,
              "credit_account_id": credit_account_id, "amount": amount, "at": at, "memo": memo, "actor": actor}
    if connection.dialect.name == "postgresql":
        transfer_id = execute(connection, _TRANSFER, values).scalar()
        if transfer_id is None:  # the debit account's balance was short: nothing was written
            raise InsufficientPoints("not enough points")
    else:
        transfer_id = _transfer_step_by_step(connection, values)
    return Posted(id=transfer_id, kind=kind, amount=amount, reverses_id=refs.get("reverses_id"))


def _transfer_step_by_step(connection, values: dict) -> int:
    debit, credit, amount, at = (values["debit_account_id"], values["credit_account_id"], values["amount"],
                                 values["at"])
    balance_after = {}
    for account_id, delta in sorted(((debit, -amount), (credit, amount))):
        statement = _CREDIT if delta > 0 else _DEBIT
        balance = execute(connection, statement, {"account": account_id, "delta": delta}).scalar_one_or_none()
        if balance is None:
            raise InsufficientPoints("not enough points")
        balance_after[account_id] = balance
    transfer_id = execute(connection, _INSERT_TRANSFER, values).scalar_one()
    execute(connection, _INSERT_ENTRY, [
        {"transfer_id": transfer_id, "account_id": debit, "amount": -amount, "balance_after": balance_after[debit],
         "at": at},
        {"transfer_id": transfer_id, "account_id": credit, "amount": amount, "balance_after": balance_after[credit],
         "at": at},
    ])
    return transfer_id


_REFERENCES = ("rule_id", "rule_code", "activity_id", "checkin_id", "claim_id", "redemption_id", "reverses_id")
_INSERT_TRANSFER = Transfer.__table__.insert().returning(Transfer.__table__.c.id)
_INSERT_ENTRY = Entry.__table__.insert()

# Built once: constructing statements per call costs more than running them on SQLite.
_accounts = Account.__table__
_CREDIT = (_accounts.update().where(_accounts.c.id == bindparam("account"))
           .values(balance=_accounts.c.balance + bindparam("delta")).returning(_accounts.c.balance))
_DEBIT = _CREDIT.where(or_(_accounts.c.kind == "issuance", _accounts.c.balance + bindparam("delta") >= 0))

# PostgreSQL: the same transfer as one statement. `locked` takes both rows in id order (its
# LockRows sits above the sort, and MATERIALIZED keeps it a step of its own) and reads their
# latest committed balances; `moved` changes both or, if the debit side would go below zero
# (not issuance), neither (its condition is one value for both rows); the transfer and its
# two entries (debit first) are written only if they moved. It returns the transfer's id, or no row when the points were short.
_COLUMNS = ("kind", "debit_account_id", "credit_account_id", "amount", "at", "memo", "actor", *_REFERENCES)
_TRANSFER = text(f"""
WITH locked AS MATERIALIZED (
    SELECT id, kind, balance FROM accounts WHERE id IN (:debit_account_id, :credit_account_id)
    ORDER BY id FOR UPDATE
), moved AS (
    UPDATE accounts SET balance = accounts.balance
        + CASE WHEN accounts.id = :debit_account_id THEN -CAST(:amount AS BIGINT) ELSE :amount END
    FROM locked
    WHERE accounts.id = locked.id
      AND (SELECT kind = 'issuance' OR balance >= :amount FROM locked WHERE id = :debit_account_id)
    RETURNING accounts.id, accounts.balance
), posted AS (
    INSERT INTO transfers ({", ".join(_COLUMNS)})
    SELECT {", ".join(f":{name}" for name in _COLUMNS)} WHERE EXISTS (SELECT FROM moved)
    RETURNING id
), entries AS (
    INSERT INTO entries (transfer_id, account_id, amount, balance_after, at)
    SELECT posted.id, moved.id,
           CASE WHEN moved.id = :debit_account_id THEN -CAST(:amount AS BIGINT) ELSE :amount END, moved.balance, :at
    FROM posted CROSS JOIN moved ORDER BY moved.id = :credit_account_id
)
SELECT id FROM posted""").bindparams(bindparam("at", type_=UTCDateTime()))


def get_transfer(session: Session, transfer_id: int) -> Transfer:
    return fetch(session, Transfer, transfer_id, "transfer")


def reversal_of(session: Session, transfer_id: int) -> Transfer | None:
    return session.scalar(select(Transfer).where(Transfer.reverses_id == transfer_id))


def reversed_among(session: Session, transfer_ids: list[int]) -> set[int]:
    """Which of these transfers have been reversed (or withdrawn from notice)."""
    if not transfer_ids:
        return set()
    return set(session.scalars(select(Transfer.reverses_id).where(Transfer.reverses_id.in_(transfer_ids))))


def history(session: Session, account_id: int, *, cursor: int | None = None,
            limit: int = 50) -> list[tuple[Entry, Transfer]]:
    """An account's entries, newest first; `cursor` (an entry id) continues a previous page."""
    query = keyset(select(Entry, Transfer).join(Transfer, Transfer.id == Entry.transfer_id)
                   .where(Entry.account_id == account_id), Entry.id, cursor=cursor, limit=limit, newest_first=True)
    return [(entry, record) for entry, record in session.execute(query)]


def community_history(session: Session, *, community_id: int, start: datetime | None = None,
                      end: datetime | None = None):
    """Entries of a community's members' accounts in [start, end), oldest first (streamed, for exports),
    each with its rule's name (`rule_name`, the version it was earned under)."""
    query = (select(Entry.id, Entry.at, Member.id.label("member_id"), Member.name, Member.team, Transfer.kind,
                    Transfer.rule_code, Rule.name.label("rule_name"), Entry.amount, Entry.balance_after, Transfer.memo,
                    Transfer.id.label("transfer_id"), Transfer.reverses_id)
             .join(Member, Member.account_id == Entry.account_id).join(Transfer, Transfer.id == Entry.transfer_id)
             .outerjoin(Rule, Rule.id == Transfer.rule_id)
             .where(Member.community_id == community_id).order_by(Entry.id))
    return session.execute(within(query, Entry.at, start=start, end=end).execution_options(yield_per=2000))
