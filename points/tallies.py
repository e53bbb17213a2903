"""Tallies (统计): each member's and each community's figures per week, month, year and all time.

They are kept by the transaction that moves the points or records the deed (an earning, a
reversal, a spend, a check-in or check-out, an approved tip), so leaderboards and summaries
read a few rows whatever the length of the ledger. `expected_tallies` counts them again
from the ledger itself: `benniu verify` compares, and a migration fills them in from it.

What counts where (periods in the service's zone):
- earned: an earning in the period it was made; its reversal takes it back from that same period.
- spent: a fulfilled voucher, when fulfilled. minutes: served, counted at check-out.
- activities: check-ins, when checked in. tips: approved claims that are not check-ins, when approved.
Community figures are kept per month, each spread over the member's issuance account
(`slot`), whose row the same transaction already locks: they add no new lock to wait on.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, bindparam, select, text
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from .db import Base
from .periods import SPANS, starts_on

COUNTS = ("earned", "spent", "minutes", "activities", "tips")
FIGURES = ("points", "count", "amount_fen")


class MemberTally(Base):
    __tablename__ = "member_tallies"
    __table_args__ = (UniqueConstraint("member_id", "span", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    span: Mapped[str] = mapped_column(String(8))  # week, month, year or all
    starts_on: Mapped[date] = mapped_column(Date)  # the period's first day (ALL_TIME for all)
    earned: Mapped[int] = mapped_column(default=0)  # net of reversals
    spent: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int] = mapped_column(default=0)
    activities: Mapped[int] = mapped_column(default=0)
    tips: Mapped[int] = mapped_column(default=0)


# A board is the first rows of one of these: its cost is the limit, not the community or the ledger.
Index("ix_member_tallies_by_points", MemberTally.community_id, MemberTally.span, MemberTally.starts_on,
      MemberTally.earned.desc(), MemberTally.member_id)
Index("ix_member_tallies_by_minutes", MemberTally.community_id, MemberTally.span, MemberTally.starts_on,
      MemberTally.minutes.desc(), MemberTally.member_id)


class CommunityTally(Base):
    """One monthly figure of a community: `measure` of `subject` (issued: a rule code; spent: a
    reward kind; partner: a partner id; checkins: an activity id; active, joined, minutes: '')."""

    __tablename__ = "community_tallies"
    __table_args__ = (UniqueConstraint("community_id", "month", "measure", "subject", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    month: Mapped[date] = mapped_column(Date)
    measure: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    slot: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column(default=0)
    count: Mapped[int] = mapped_column(default=0)
    amount_fen: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class Figure:
    measure: str
    subject: str = ""
    points: int = 0
    count: int = 0
    amount_fen: int = 0


@dataclass(frozen=True)
class Deeds:
    """What one event adds to a member's tallies, and to their community's figures."""

    earned: int = 0
    spent: int = 0
    minutes: int = 0
    activities: int = 0
    tips: int = 0
    figures: tuple[Figure, ...] = ()

    def __add__(self, other: "Deeds") -> "Deeds":
        return Deeds(*(getattr(self, name) + getattr(other, name) for name in COUNTS),
                     figures=self.figures + other.figures)


def attended(activity_id: int) -> Deeds:
    """A check-in: one more activity for the member, one more check-in for the activity."""
    return Deeds(activities=1, figures=(Figure("checkins", str(activity_id), count=1),))


def tally(session: Session, *, member, at: datetime, deeds: Deeds) -> None:
    """Add `deeds` to `member`'s tallies for the periods containing `at` (in `at`'s zone).

    Call it in the transaction that makes the movement, after its accounts are locked: one
    statement for the member's four periods, one for the community's figures.
    """
    connection = session.connection()
    figures = list(deeds.figures)
    counts = {name: getattr(deeds, name) for name in COUNTS}
    if any(counts.values()):
        days = {span: starts_on(at, span) for span in SPANS}
        params = {"member_id": member.id, "community_id": member.community_id, **counts,
                  **{f"starts_{span}": day for span, day in days.items()}}
        if deeds.earned:  # whether the member just became (or stopped being) active this month
            earned = dict(connection.execute(_member_upsert(returning=True), params).all())
            figures.extend(_activity_change(earned["month"] - deeds.earned, earned["month"]))
        else:
            connection.execute(_member_upsert(returning=False), params)
    if figures:
        connection.execute(_figure_upsert(len(figures)), _figure_params(member, at, figures))


def _activity_change(before: int, after: int) -> list[Figure]:
    """A member counts as active in a month while what they earned in it is above zero."""
    if before <= 0 < after:
        return [Figure("active", count=1)]
    if after <= 0 < before:
        return [Figure("active", count=-1)]
    return []


def _member_rows(member, at: datetime, deeds: Deeds) -> list[dict]:
    counts = {name: getattr(deeds, name) for name in COUNTS}
    if not any(counts.values()):
        return []
    return [{"member_id": member.id, "community_id": member.community_id, "span": span,
             "starts_on": starts_on(at, span), **counts} for span in SPANS]


def _figure_rows(member, at: datetime, figures: list[Figure]) -> list[dict]:
    month = starts_on(at, "month")
    return [{"community_id": member.community_id, "month": month, "measure": figure.measure,
             "subject": figure.subject, "slot": member.issuance_account_id, "points": figure.points,
             "count": figure.count, "amount_fen": figure.amount_fen} for figure in figures]


def _figure_params(member, at: datetime, figures: list[Figure]) -> dict:
    return {f"{name}_{index}": value for index, row in enumerate(_figure_rows(member, at, figures))
            for name, value in row.items()}


# Written once as SQL that SQLite and PostgreSQL both read: SQLAlchemy compiles a multi-row
# INSERT again on every call, which cost more than running it.
@lru_cache(maxsize=None)
def _member_upsert(*, returning: bool):
    shared = ", ".join(f":{name}" for name in COUNTS)
    rows = ", ".join(f"(:member_id, :community_id, '{span}', :starts_{span}, {shared})" for span in SPANS)
    sql = _upsert_sql("member_tallies", ("member_id", "community_id", "span", "starts_on", *COUNTS), rows,
                      ("member_id", "span", "starts_on"), COUNTS)
    statement = text(sql + (" RETURNING span, earned" if returning else ""))
    return statement.bindparams(*(bindparam(f"starts_{span}", type_=Date) for span in SPANS))


@lru_cache(maxsize=None)
def _figure_upsert(count: int):
    columns = ("community_id", "month", "measure", "subject", "slot", *FIGURES)
    rows = ", ".join("(" + ", ".join(f":{name}_{index}" for name in columns) + ")" for index in range(count))
    sql = _upsert_sql("community_tallies", columns, rows, ("community_id", "month", "measure", "subject", "slot"),
                      FIGURES)
    return text(sql).bindparams(*(bindparam(f"month_{index}", type_=Date) for index in range(count)))


def _upsert_sql(table: str, columns: tuple[str, ...], rows: str, key: tuple[str, ...], added: tuple[str, ...]) -> str:
    """INSERT rows ... ON CONFLICT (key) DO UPDATE SET each `added` column to itself plus the new value."""
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES {rows} ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
            + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in added))


@dataclass(frozen=True)
class _Member:
    id: int
    community_id: int
    issuance_account_id: int


def expected_tallies(session: Session, *, zone: tzinfo) -> tuple[dict, dict]:
    """Every tally counted again from the ledger, check-ins, claims and members.

    Returns ({(member_id, span, starts_on): {count: value}}, {(community_id, month, measure,
    subject, slot): {figure: value}}), rows of zeros left out. Reads everything: for
    `benniu verify` and migrations, never for a request.
    """
    from .checkins import Checkin  # the modules that keep tallies import this one
    from .claims import Claim
    from .ledger import Transfer
    from .members import Member

    members, by_account = {}, {}
    member_rows, figure_rows = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))

    def add(member_id: int, at: datetime, deeds: Deeds) -> None:
        member, local = members[member_id], at.astimezone(zone)
        for row in _member_rows(member, local, deeds):
            for name in COUNTS:
                member_rows[(member_id, row["span"], row["starts_on"])][name] += row[name]
        for row in _figure_rows(member, local, list(deeds.figures)):
            for name in FIGURES:
                figure_rows[(row["community_id"], row["month"], row["measure"], row["subject"], row["slot"])][
                    name] += row[name]

    for member_id, community_id, issuance, account, hold, joined in session.execute(select(
            Member.id, Member.community_id, Member.issuance_account_id, Member.account_id, Member.hold_account_id,
            Member.joined_at)):
        members[member_id] = _Member(member_id, community_id, issuance)
        by_account[account] = by_account[hold] = member_id
        add(member_id, joined, Deeds(figures=(Figure("joined", count=1),)))
    original = aliased(Transfer)
    for kind, debit, credit, amount, at, rule_code, earned_at in session.execute(
            select(Transfer.kind, Transfer.debit_account_id, Transfer.credit_account_id, Transfer.amount,
                   Transfer.at, Transfer.rule_code, original.at)
            .outerjoin(original, original.id == Transfer.reverses_id)
            .where(Transfer.kind.in_(("earn", "reversal")))).yield_per(10_000):
        if kind == "earn" and credit in by_account:
            add(by_account[credit], at, earning(amount, rule_code))
        elif kind == "reversal" and debit in by_account:
            add(by_account[debit], earned_at, earning(-amount, rule_code))
    for member_id, activity_id, checked_in_at, checked_out_at, minutes in session.execute(
            select(Checkin.member_id, Checkin.activity_id, Checkin.checked_in_at, Checkin.checked_out_at,
                   Checkin.minutes)).yield_per(10_000):
        add(member_id, checked_in_at, attended(activity_id))
        if minutes:
            add(member_id, checked_out_at, served(minutes))
    for member_id, reviewed_at in session.execute(select(Claim.member_id, Claim.reviewed_at).where(
            Claim.status == "approved", Claim.activity_id.is_(None))):
        add(member_id, reviewed_at, Deeds(tips=1))
    _spends(session, add, by_account)
    for (member_id, span, day), counts in list(member_rows.items()):
        if span == "month" and counts["earned"] > 0:
            add(member_id, datetime(day.year, day.month, 1, 12, tzinfo=zone),
                Deeds(figures=(Figure("active", count=1),)))
    return _without_zeros(member_rows), _without_zeros(figure_rows)


def _spends(session: Session, add, by_account: dict) -> None:
    from .ledger import Transfer

    # The redemptions table is the points supermarket's (rewards imports points, never the
    # reverse): it is named here, not imported. Spends exist only where it does.
    redemptions = Base.metadata.tables.get("redemptions")
    if redemptions is None:
        return
    for debit, amount, at, kind, partner_id, amount_fen in session.execute(
            select(Transfer.debit_account_id, Transfer.amount, Transfer.at, redemptions.c.kind,
                   redemptions.c.partner_id, redemptions.c.amount_fen)
            .join(redemptions, redemptions.c.id == Transfer.redemption_id)
            .where(Transfer.kind == "spend")).yield_per(10_000):
        if debit in by_account:
            add(by_account[debit], at, spending(amount, kind=kind, partner_id=partner_id, amount_fen=amount_fen))


def earning(points: int, rule_code: str | None) -> Deeds:
    """Points earned under a rule (negative: taken back by a reversal)."""
    sign = 1 if points > 0 else -1
    return Deeds(earned=points, figures=(Figure("issued", rule_code or "", points=points, count=sign),))


def served(minutes: int) -> Deeds:
    return Deeds(minutes=minutes, figures=(Figure("minutes", count=minutes),))


def spending(points: int, *, kind: str, partner_id: int | None, amount_fen: int | None) -> Deeds:
    """A fulfilled voucher: spent by the member, by reward kind, and at its partner."""
    figures = [Figure("spent", kind, points=points, count=1, amount_fen=amount_fen or 0)]
    if partner_id is not None:
        figures.append(Figure("partner", str(partner_id), points=points, count=1, amount_fen=amount_fen or 0))
    return Deeds(spent=points, figures=tuple(figures))


def _without_zeros(rows: dict) -> dict:
    """Rows as {name: value} without zero values, and without rows left empty."""
    kept = {key: {name: value for name, value in values.items() if value} for key, values in rows.items()}
    return {key: values for key, values in kept.items() if values}


def stored_tallies(session: Session) -> tuple[dict, dict]:
    """The tallies as kept, in `expected_tallies`' shape."""
    members = {(row.member_id, row.span, row.starts_on): {name: getattr(row, name) for name in COUNTS}
               for row in session.execute(select(MemberTally)).scalars()}
    figures = {(row.community_id, row.month, row.measure, row.subject, row.slot):
               {name: getattr(row, name) for name in FIGURES}
               for row in session.execute(select(CommunityTally)).scalars()}
    return _without_zeros(members), _without_zeros(figures)


def tally_problems(session: Session, *, zone: tzinfo) -> list[str]:
    """Every tally that differs from what the ledger says it should be."""
    problems = []
    for label, stored, expected in zip(("member", "community"), stored_tallies(session),
                                       expected_tallies(session, zone=zone)):
        for key in sorted(set(stored) | set(expected), key=str):
            if stored.get(key, {}) != expected.get(key, {}):
                problems.append(f"{label} tally {key}: kept {stored.get(key, {})} "
                                f"but the ledger says {expected.get(key, {})}")
    return problems
