"""A roster (志愿者名单) from Excel: rows of name, phone and team, each checked before anyone is
added. A phone is registered once across the service, so a roster imported twice adds no one twice."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .imports import Line, line_for, mark_duplicates, phone_of, refuse_taken
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


def check_roster(session: Session, lines: list[RosterLine], *, also_taken=()) -> None:
    """Refuse the rows whose phone is already registered (in any community: a phone is one
    person's), as a member or in any of the columns `also_taken` names (staff's phones)."""
    for column in (Member.phone, *also_taken):
        refuse_taken(session, lines, key=lambda line: line.phone, column=column, reason="registered")
