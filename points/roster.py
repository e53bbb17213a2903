"""A roster (志愿者名单) from Excel: rows of name, phone and team, each checked before anyone is
added. A phone is registered once across the service, so a roster imported twice adds no one twice."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .imports import Line, chunks, line_for, mark_duplicates, phone_of
from .members import Member
from .workbooks import SheetRow

HEADER = ("姓名", "手机号", "队伍")
NAME_CHARS = 100
TEAM_CHARS = 100


@dataclass
class RosterLine(Line):
    name: str | None = None
    phone: str | None = None
    team: str | None = None


def read_roster(rows: list[SheetRow]) -> list[RosterLine]:
    """Each row read on its own: a name, a phone number, an optional team; a phone repeated is refused."""
    lines = []
    for row in rows:
        name, phone, team = row.cells
        line = line_for(RosterLine, row, name=name, phone=phone_of(phone), team=team)
        if not name:
            line.refuse("no_name")
        elif len(name) > NAME_CHARS:
            line.refuse("too_long", NAME_CHARS)
        if line.phone is None:
            line.refuse("bad_phone")
        if team and len(team) > TEAM_CHARS:
            line.refuse("too_long", TEAM_CHARS)
        lines.append(line)
    mark_duplicates(lines, key=lambda line: line.phone)
    return lines


def check_roster(session: Session, lines: list[RosterLine]) -> None:
    """Refuse the rows whose phone is already registered (in any community: a phone is one person's)."""
    phones = [line.phone for line in lines if line.ok]
    taken = set()
    for some in chunks(phones):
        taken.update(session.scalars(select(Member.phone).where(Member.phone.in_(some))))
    for line in lines:
        if line.ok and line.phone in taken:
            line.refuse("registered")
