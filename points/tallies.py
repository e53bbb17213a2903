"""Tallies (统计): each member's and each community's figures per week, month, year and all time.

They are kept by the transaction that moves the points or records the deed (an earning, a
reversal, a spend, a check-in or check-out, an approved tip), so leaderboards and summaries
read a few rows whatever the length of the ledger. `expected_tallies` counts them again
from the ledger itself (points.recount): `benniu verify` compares, a migration fills them in.

What counts where (periods in the service's zone):
- earned: an earning in the period it was made; its reversal takes it back from that same period.
- spent: a fulfilled voucher, when fulfilled. minutes: served, counted at check-out.
- activities: check-ins, when checked in. tips: approved claims that are not check-ins, when approved.
Community figures are kept per month, each spread over the member's issuance account
(`slot`): an earning already locks that account's row, so its figures add no lock to queue on.
"""
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, bindparam, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, execute
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


def earning(points: int, rule_code: str | None) -> Deeds:
    """Points earned under a rule (negative: taken back by a reversal)."""
    sign = 1 if points > 0 else -1
    return Deeds(earned=points, figures=(Figure("issued", rule_code or "", points=points, count=sign),))


def joining() -> Deeds:
    """A member enrolled: one more joined in their community's month."""
    return Deeds(figures=(Figure("joined", count=1),))


def served(minutes: int) -> Deeds:
    return Deeds(minutes=minutes, figures=(Figure("minutes", count=minutes),))


def spending(points: int, *, kind: str, partner_id: int | None, amount_fen: int | None) -> Deeds:
    """A fulfilled voucher: spent by the member, by reward kind, and at its partner."""
    figures = [Figure("spent", kind, points=points, count=1, amount_fen=amount_fen or 0)]
    if partner_id is not None:
        figures.append(Figure("partner", str(partner_id), points=points, count=1, amount_fen=amount_fen or 0))
    return Deeds(spent=points, figures=tuple(figures))


def tipping() -> Deeds:
    """An approved claim that is not a check-in (a tip, a mediation): counts for the annual ranking."""
    return Deeds(tips=1)


def tally(session: Session, *, member, at: datetime, deeds: Deeds) -> None:
    """Add `deeds` to `member`'s tallies for the periods containing `at` (in `at`'s zone).

    Call it in the transaction that makes the movement, after its accounts are locked: one
    statement for the member's four periods, one for the community's figures; on PostgreSQL
    both are one statement (`_tallies_upsert`), which also counts whether the member just
    became (or stopped being) active this month.
    """
    connection = session.connection()
    figures = list(deeds.figures)
    counts = {name: getattr(deeds, name) for name in COUNTS}
    if any(counts.values()):
        days = {span: starts_on(at, span) for span in SPANS}
        params = {"member_id": member.id, "community_id": member.community_id, **counts,
                  **{f"starts_{span}": day for span, day in days.items()}}
        if connection.dialect.name == "postgresql":
            execute(connection, _tallies_upsert(len(figures), earned=bool(deeds.earned)),
                    {**params, **_figure_params(member, at, figures), "slot": member.issuance_account_id})
            return
        if deeds.earned:  # whether the member just became (or stopped being) active this month
            earned = dict(execute(connection, _member_upsert(returning=True), params).all())
            figures.extend(_activity_change(earned["month"] - deeds.earned, earned["month"]))
        else:
            execute(connection, _member_upsert(returning=False), params)
    if figures:
        execute(connection, _figure_upsert(len(figures)), _figure_params(member, at, figures))


def _activity_change(before: int, after: int) -> list[Figure]:
    """A member counts as active in a month while what they earned in it is above zero."""
    if before <= 0 < after:
        return [Figure("active", count=1)]
    if after <= 0 < before:
        return [Figure("active", count=-1)]
    return []


def figure_rows(member, at: datetime, figures: list[Figure]) -> list[dict]:
    month = starts_on(at, "month")
    return [{"community_id": member.community_id, "month": month, "measure": figure.measure,
             "subject": figure.subject, "slot": member.issuance_account_id, "points": figure.points,
             "count": figure.count, "amount_fen": figure.amount_fen} for figure in figures]


def _figure_params(member, at: datetime, figures: list[Figure]) -> dict:
    return {f"{name}_{index}": value for index, row in enumerate(figure_rows(member, at, figures))
            for name, value in row.items()}


# Written once as SQL that SQLite and PostgreSQL both read: SQLAlchemy compiles a multi-row
# INSERT again on every call, which cost more than running it.
@lru_cache(maxsize=None)
def _member_upsert(*, returning: bool):
    return text(_member_sql(returning=returning)).bindparams(*_MEMBER_DATES)


@lru_cache(maxsize=None)
def _figure_upsert(count: int):
    return text(_figure_sql(count)).bindparams(*_figure_dates(count))


@lru_cache(maxsize=None)
def _tallies_upsert(count: int, *, earned: bool):
    """PostgreSQL: the member's periods and the community's figures in one statement; with
    `earned`, also +1 or -1 active member this month when the earning crossed zero there
    (what `_activity_change` decides on SQLite)."""
    parts = [f"tallied AS ({_member_sql(returning=earned)})"]
    if count:
        parts.append(f"figures AS ({_figure_sql(count)})")
    if earned:
        active = ("SELECT :community_id, :starts_month, 'active', '', :slot, 0, CASE WHEN earned > 0 THEN 1 ELSE -1 "
                  "END, 0 FROM tallied WHERE span = 'month' AND (earned > 0) <> (earned - :earned > 0)")
        main = _upsert_sql("community_tallies", _FIGURE_COLUMNS, active, _FIGURE_KEY, FIGURES)
    else:
        main = "SELECT 1"
    return text(f"WITH {', '.join(parts)} {main}").bindparams(*_MEMBER_DATES, *_figure_dates(count))


_MEMBER_DATES = tuple(bindparam(f"starts_{span}", type_=Date) for span in SPANS)
_FIGURE_COLUMNS = ("community_id", "month", "measure", "subject", "slot", *FIGURES)
_FIGURE_KEY = ("community_id", "month", "measure", "subject", "slot")


def _figure_dates(count: int) -> tuple:
    return tuple(bindparam(f"month_{index}", type_=Date) for index in range(count))


def _member_sql(*, returning: bool) -> str:
    shared = ", ".join(f":{name}" for name in COUNTS)
    rows = ", ".join(f"(:member_id, :community_id, '{span}', :starts_{span}, {shared})" for span in SPANS)
    sql = _upsert_sql("member_tallies", ("member_id", "community_id", "span", "starts_on", *COUNTS), f"VALUES {rows}",
                      ("member_id", "span", "starts_on"), COUNTS)
    return sql + (" RETURNING span, earned" if returning else "")


def _figure_sql(count: int) -> str:
    rows = ", ".join("(" + ", ".join(f":{name}_{index}" for name in _FIGURE_COLUMNS) + ")" for index in range(count))
    return _upsert_sql("community_tallies", _FIGURE_COLUMNS, f"VALUES {rows}", _FIGURE_KEY, FIGURES)


def _upsert_sql(table: str, columns: tuple[str, ...], rows: str, key: tuple[str, ...], added: tuple[str, ...]) -> str:
    """INSERT rows ... ON CONFLICT (key) DO UPDATE SET each `added` column to itself plus the new value."""
    return (f"INSERT INTO {table} ({', '.join(columns)}) {rows} ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
            + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in added))
