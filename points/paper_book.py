"""The paper points book (纸质积分簿) typed up: award rows read and checked against the community
before anything is paid, each keyed by its content so that no row is ever paid twice — not by
confirming twice, by two browsers confirming at once, nor by uploading the same sheet again.

A row's key is the sha256 of the community, the member's phone, the rule's code, the day, the
points as written and the memo; a sheet that repeats a row is refused for that row. The key is
claimed (`INSERT ... ON CONFLICT DO NOTHING` on its unique index) before the row is paid, in the
paying transaction: of two transactions paying the same row, the second finds it claimed.
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import ForeignKey, String, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, UTCDateTime
from .earning import earned_since
from .imports import Line, chunks, line_for, mark_duplicates, phone_of, refuse_taken
from .members import Member
from .rules import Rule
from .workbooks import SheetRow

HEADER = ("手机号", "规则", "日期", "积分", "备注")
MEMO_CHARS = 200
MAX_POINTS = 100_000
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
                   r"|(\d{4})(\d{2})(\d{2})")
DEED_HOUR = time(12)  # a day's deed is dated at its noon: the day's middle, whatever zone reads it


class ImportedAward(Base):
    """A row of a paper points book, paid once: its content key, and what paid it."""

    __tablename__ = "imported_awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


_rows = ImportedAward.__table__
_PAID = _rows.update().where(_rows.c.id == bindparam("claim")).values(transfer_id=bindparam("paid_by"))


@dataclass
class AwardLine(Line):
    phone: str | None = None
    rule_text: str | None = None
    done_on: date | None = None
    points: int | None = None  # as written; None: the rule's
    memo: str = ""
    member: Member | None = None
    rule: Rule | None = None
    key: str | None = None

    @property
    def amount(self) -> int | None:
        """The points the row pays: as written, else the rule's."""
        return self.points if self.points is not None else (self.rule.points if self.rule else None)


# A paper book is typed up within weeks, not years: older days would rewrite closed months and rankings.
OLDEST = timedelta(days=366)


def read_awards(rows: list[SheetRow], *, today: date) -> list[AwardLine]:
    """Each row read on its own: phone, rule, a day not after `today`, whole positive points, a memo."""
    lines = []
    for row in rows:
        phone, rule, day, points, memo = row.cells
        line = line_for(AwardLine, row, phone=phone_of(phone), rule_text=rule, done_on=date_of(day),
                        points=points_of(points), memo=memo or "")
        if line.phone is None:
            line.refuse("bad_phone")
        if not rule:
            line.refuse("unknown_rule")
        if line.done_on is None:
            line.refuse("bad_date")
        elif line.done_on > today:
            line.refuse("future_date")
        elif line.done_on < today - OLDEST:
            line.refuse("too_old")
        if points is not None and line.points is None:
            line.refuse("bad_points")
        if len(line.memo) > MEMO_CHARS:
            line.refuse("too_long", MEMO_CHARS)
        lines.append(line)
    return lines


def date_of(text: str | None) -> date | None:
    """A day as people type it (2026-11-03, 2026/11/3, 2026年11月3日, 20261103), or None."""
    found = _DATE.fullmatch(text or "")
    if found is None:
        return None
    year, month, day = (int(part) for part in (found.groups()[:3] if found.group(1) else found.groups()[3:]))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def points_of(text: str | None) -> int | None:
    """Whole positive points up to MAX_POINTS, or None (empty, or not such a number)."""
    if text is None or not text.isdecimal() or not text.isascii():
        return None
    points = int(text)
    return points if 0 < points <= MAX_POINTS else None


def check_awards(session: Session, *, community_id: int, lines: list[AwardLine]) -> None:
    """Check each good line against the community: its member, its live rule, a repeat of an earlier row."""
    members = _members(session, community_id, [line.phone for line in lines if line.ok])
    rules = _rules(session, community_id)
    for line in lines:
        if not line.ok:
            continue
        line.member = members.get(line.phone)
        if line.member is None:
            line.refuse("unknown_phone")  # a member of another community is no member here
            continue
        rule = rules.get(line.rule_text) or rules.get(("name", line.rule_text))
        if rule is None:
            line.refuse("unknown_rule")
        elif rule == "ambiguous":
            line.refuse("ambiguous_rule")
        elif rule.retired:
            line.refuse("retired_rule")
        else:
            line.rule = rule
            line.key = row_key(community_id, line)
    mark_duplicates(lines, key=lambda line: line.key)


def check_against_ledger(session: Session, lines: list[AwardLine], *, zone: tzinfo) -> None:
    """Refuse rows already imported, and rows past their rule's cap on their day (in `zone`),
    counting what the member earned that day and the good rows above: what a preview shows.

    When paying, the key's claim and the earning's own cap check decide instead, in the paying
    transaction, so two at once cannot both pass.
    """
    refuse_taken(session, lines, key=lambda line: line.key, column=ImportedAward.key, reason="imported")
    _refuse_over_cap(session, lines, zone=zone)


def row_key(community_id: int, line: AwardLine) -> str:
    """What makes the row this row: the same deed typed again has the same key."""
    parts = (community_id, line.phone, line.rule.code, line.done_on.isoformat(), line.amount, line.memo)
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def deed_time(done_on: date, *, now: datetime) -> datetime:
    """When an award for a deed on `done_on` is dated: that day's noon in `now`'s zone, never after `now`."""
    return min(datetime.combine(done_on, DEED_HOUR, tzinfo=now.tzinfo), now)


def claim_rows(session: Session, lines: list[AwardLine], *, now: datetime) -> dict[str, int]:
    """Claim the good lines' keys for this transaction: {key: claim id} for each claimed now.

    A key left out was paid, or is being paid by a transaction that has not committed yet (on
    PostgreSQL this one waits for it, then finds the key taken). Claimed in key order, so two
    imports that share rows claim them in the same order and cannot deadlock on them.
    """
    rows = sorted(({"key": line.key, "community_id": line.member.community_id, "member_id": line.member.id,
                    "transfer_id": None, "imported_at": now} for line in lines if line.ok), key=lambda row: row["key"])
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    claimed = {}
    for some in chunks(rows, 400):
        statement = (insert(_rows).values(some).on_conflict_do_nothing(index_elements=["key"])
                     .returning(_rows.c.key, _rows.c.id))
        claimed.update((key, claim) for key, claim in session.connection().execute(statement))
    return claimed


def unclaim(session: Session, claim_ids: list[int]) -> None:
    """Give claimed rows back: they were refused when paid, and may be paid another time."""
    for some in chunks(claim_ids):
        session.execute(delete(ImportedAward).where(ImportedAward.id.in_(some)))


def paid_by(session: Session, paid: list[tuple[int, int]]) -> None:
    """Link claimed rows to the earnings that paid them: (claim id, transfer id) pairs."""
    if paid:
        session.connection().execute(_PAID, [{"claim": claim, "paid_by": transfer} for claim, transfer in paid])


def _members(session: Session, community_id: int, phones: list[str]) -> dict[str, Member]:
    found = {}
    for some in chunks(sorted(set(phones))):
        found.update((member.phone, member) for member in session.scalars(
            select(Member).where(Member.community_id == community_id, Member.phone.in_(some))))
    return found


def _rules(session: Session, community_id: int) -> dict:
    """The latest version of each rule of the community, by its code and by ("name", its name);
    a name two live rules share is "ambiguous"."""
    latest = (select(Rule.code, func.max(Rule.version).label("version")).where(Rule.community_id == community_id)
              .group_by(Rule.code).subquery())
    found = list(session.scalars(select(Rule).join(latest, (Rule.code == latest.c.code)
                                                   & (Rule.version == latest.c.version))
                                 .where(Rule.community_id == community_id).order_by(Rule.retired_at.is_(None))))
    by_key: dict = {rule.code: rule for rule in found}
    for rule in found:  # retired first, so a live rule's name wins over a retired one's
        named = by_key.get(("name", rule.name))
        ambiguous = named is not None and named != "ambiguous" and not named.retired and not rule.retired
        by_key[("name", rule.name)] = "ambiguous" if ambiguous or named == "ambiguous" else rule
    return by_key


def _refuse_over_cap(session: Session, lines: list[AwardLine], *, zone: tzinfo) -> None:
    earned: dict[tuple, int] = {}
    for line in lines:
        if not line.ok or line.rule.daily_cap is None:
            continue
        day = (line.member.id, line.rule.code, line.done_on)
        if day not in earned:
            start = datetime.combine(line.done_on, time(), tzinfo=zone)
            earned[day] = earned_since(session, member=line.member, rule_code=line.rule.code, since=start,
                                       until=start + timedelta(days=1))
        if earned[day] + line.amount > line.rule.daily_cap:
            line.refuse("over_cap", line.rule.daily_cap)
        else:
            earned[day] += line.amount
