"""Imports from Excel, between upload and confirmation: the rows read from the sheet are kept on the
server under a random token that only the uploading session can use (never in the cookie), and
confirming pays or adds the rows that pass their checks then, through the one way of each act.

Awards go through `api.acts.awards.award` and members through `api.acts.members.add_member` (each
its own audit row), and each import writes one `import` audit row. Confirming runs the checks again
in the write transaction, so a preview gone stale (a rule retired, a cap filled) pays nothing wrong.
"""
import json
import secrets
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from points.communities import get_community
from points.db import Base, UTCDateTime
from points.errors import Conflict, LimitReached, NotFound, PhoneTaken
from points.imports import Line
from points.paper_book import check_awards, claim_rows, deed_time, paid_by, read_awards, unclaim
from points.roster import check_roster, read_roster
from points.workbooks import SheetRow

from ..identity.access import community_for
from ..identity.accounts import StaffAccount
from ..identity.principal import Principal
from .awards import award
from .events import announce
from .members import add_member

KEPT = timedelta(days=1)  # a preview not confirmed within a day is uploaded again


class ImportPreview(Base):
    """An uploaded sheet's rows, waiting for `确认发放` / `确认导入`, and what confirming did."""

    __tablename__ = "import_previews"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner: Mapped[str] = mapped_column(String(100))  # the uploading session's principal scope
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    kind: Mapped[str] = mapped_column(String(16))  # awards or roster
    file_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    rows: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-packed JSON of the rows as read
    outcome: Mapped[bytes | None] = mapped_column(LargeBinary)  # the last confirmation's lines
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def sheet_rows(self) -> list[SheetRow]:
        return [SheetRow(number=number, cells=tuple(cells), formula=formula)
                for number, cells, formula in _unpack(self.rows)]

    @property
    def results(self) -> dict | None:
        """What the last confirmation did: {"applied": n, "lines": [[row, problem, detail], ...]}."""
        return _unpack(self.outcome) if self.outcome is not None else None


@dataclass(frozen=True)
class Outcome:
    applied: int
    lines: list[Line]


def keep_preview(session: Session, principal: Principal, *, community_id: int, kind: str, file_name: str,
                 rows: list[SheetRow], now: datetime) -> ImportPreview:
    """Store an upload's rows under a new random token (and forget previews older than a day)."""
    session.execute(delete(ImportPreview).where(ImportPreview.created_at < now - KEPT))
    preview = ImportPreview(token=secrets.token_urlsafe(32), owner=principal.scope, community_id=community_id,
                            kind=kind, file_name=file_name[:200], created_at=now,
                            rows=_pack([[row.number, list(row.cells), row.formula] for row in rows]))
    session.add(preview)
    session.flush()
    return preview


def preview_by_token(session: Session, token: str) -> ImportPreview | None:
    return session.scalar(select(ImportPreview).where(ImportPreview.token == token[:64]))


def import_awards(session: Session, principal: Principal, *, preview: ImportPreview, now: datetime) -> Outcome:
    """Pay every row that passes its checks now, once: a row whose key is already claimed is skipped.

    `now` is in the service's zone: it decides today (no deed after it) and dates each award.
    """
    lines = read_awards(preview.sheet_rows, today=now.date())
    check_awards(session, community_id=preview.community_id, lines=lines)
    # Held for the loop: the session keeps loaded rows only while something refers to them, and
    # every earning looks its community up (its points' validity).
    community = get_community(session, preview.community_id)  # noqa: F841
    claimed = claim_rows(session, lines, now=now)
    paid, refused = [], []
    with session.no_autoflush:  # the audit rows are written together at the end, not one flush per award
        for line in lines:
            if not line.ok:
                continue
            claim = claimed.get(line.key)
            if claim is None:
                line.refuse("imported")
                continue
            try:
                done = award(session, principal, member_id=line.member.id, rule_code=line.rule.code,
                             points=line.amount, memo=line.memo, at=deed_time(line.done_on, now=now), now=now,
                             rule=line.rule)
            except (LimitReached, Conflict, NotFound) as refusal:
                # Refusals earn makes before it writes (the day's cap, a rule retired meanwhile): only the
                # claim goes. Any other error aborts the whole confirmation: nothing is half-applied.
                refused.append(claim)
                line.refuse("over_cap" if isinstance(refusal, LimitReached) else "retired_rule")
                continue
            paid.append((claim, done.record.id))
    unclaim(session, refused)
    paid_by(session, paid)
    return _confirmed(session, principal, preview, lines, now=now, why=f"批量发放：{preview.file_name}")


def roster_checked(session: Session, preview: ImportPreview) -> list:
    """The roster's rows, each refused if its phone already signs someone in: a member or staff."""
    lines = read_roster(preview.sheet_rows)
    check_roster(session, lines, also_taken=(StaffAccount.phone,))
    return lines


def import_roster(session: Session, principal: Principal, *, preview: ImportPreview, now: datetime) -> Outcome:
    """Add every member whose row passes its checks now; a phone registered meanwhile is skipped."""
    lines = roster_checked(session, preview)
    why = f"名单导入：{preview.file_name}"
    for line in lines:
        if not line.ok:
            continue
        try:
            with session.begin_nested():  # a phone taken by a concurrent insert leaves no accounts behind
                add_member(session, principal, community_id=preview.community_id, name=line.name, phone=line.phone,
                           team=line.team, now=now, why=why)
        except PhoneTaken:
            line.refuse("registered")
    return _confirmed(session, principal, preview, lines, now=now, why=why)


def _confirmed(session: Session, principal: Principal, preview: ImportPreview, lines: list[Line], *, now: datetime,
               why: str) -> Outcome:
    applied = sum(line.ok for line in lines)
    preview.confirmed_at = now
    preview.outcome = _pack({"applied": applied, "lines": [[line.row, line.problem, line.detail] for line in lines]})
    announce(session, principal, "import", at=now, community_id=preview.community_id, why=why, sheet=preview.kind,
             rows=len(lines), applied=applied, refused=len(lines) - applied)
    return Outcome(applied=applied, lines=lines)


def _pack(value) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _unpack(packed: bytes):
    return json.loads(zlib.decompress(packed))


def own_preview(session: Session, principal: Principal, token: str, kind: str) -> ImportPreview:
    """An upload waiting for confirmation, to the session that uploaded it only (any other: none)."""
    preview = preview_by_token(session, token)
    if preview is None or preview.kind != kind or preview.owner != principal.scope:
        raise NotFound("import not found")
    community_for(principal, preview.community_id)  # an organiser moved to another community: 403
    return preview
