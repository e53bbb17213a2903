"""What the imports from Excel share: a row read into a line with its one problem (if any),
phone numbers as people type them, and rows that repeat an earlier one."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .phones import phone_typed
from .workbooks import SheetRow


@dataclass
class Line:
    """One row of an import: what it said, and why it will not be applied (None: it will)."""

    row: int
    cells: tuple[str | None, ...]
    problem: str | None = None
    detail: int | str | None = None  # e.g. the earlier row a duplicate repeats

    def refuse(self, problem: str, detail: int | str | None = None) -> None:
        """Note the row's first problem; later ones add nothing a person needs to fix it."""
        if self.problem is None:
            self.problem, self.detail = problem, detail

    @property
    def ok(self) -> bool:
        return self.problem is None


def line_for(cls, row: SheetRow, **values):
    """A line of `cls` for `row`; a formula anywhere in it is a problem (its text is kept, never its result)."""
    line = cls(row=row.number, cells=row.cells, **values)
    if row.formula:
        line.refuse("formula")
    return line


def phone_of(text: str | None) -> str | None:
    """A phone number as typed (spaces and dashes dropped), or None if it is not one."""
    return phone_typed(text)


def mark_duplicates(lines: Iterable[Line], key: Callable[[Line], object]) -> None:
    """Refuse every good line whose key an earlier good line already has, naming that row."""
    first = {}
    for line in lines:
        if not line.ok:
            continue
        seen = first.setdefault(key(line), line.row)
        if seen != line.row:
            line.refuse("duplicate", seen)


def chunks(values: list, size: int = 500):
    """`values` in slices small enough for an IN (...) list."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def refuse_taken(session: Session, lines: list, *, key: Callable, column, reason: str) -> None:
    """Refuse, for `reason`, the good lines whose `key` is already a value of `column`."""
    wanted = [key(line) for line in lines if line.ok]
    taken = set()
    for some in chunks(wanted):
        taken.update(session.scalars(select(column).where(column.in_(some))))
    for line in lines:
        if line.ok and key(line) in taken:
            line.refuse(reason)
