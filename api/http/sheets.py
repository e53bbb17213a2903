"""Spreadsheets for people: XLSX and CSV (UTF-8 with BOM) with Chinese headers and no live formulas.

A sheet (`Sheet`) is what a download holds: its name, its columns and its rows. Written as CSV here
and as XLSX by `api.http.xlsx`, both in pieces as the rows are read; `api.http.downloads` sends
them. Text that a spreadsheet would run as a formula (a household typed as `=cmd|' /C calc'!A0`)
stays text in Excel and WPS: in XLSX as a text cell with the quotePrefix style (shown as typed, no
apostrophe in it), in CSV behind an apostrophe (`neutralise`: CSV has no styles). An XLSX opens
finished: a title row saying what, whose, which period and when it was made, a filter on the header
row, and landscape pages fitted to the paper's width with the header repeated on each.
"""
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv"}  # Flask adds the one `charset=utf-8` to text types
CHUNK_BYTES = 64 * 1024  # a streamed download's pieces


def neutralise(value):
    """Text that a spreadsheet would run as a formula, with a leading apostrophe; all else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """A column: its Chinese header, its width in characters, and what its values are.

    kind: text, number (an integer), yuan (given in fen), hours (given in minutes),
    time (an aware datetime, shown in the service's zone).
    """

    header: str
    width: int = 12
    kind: str = "text"


# What neither a file name nor a worksheet title may hold (Excel refuses \ / * ? : [ ] in a title).
_NOT_IN_NAMES = re.compile(r'[\\/*?:"<>|\[\]\x00-\x1f]')


def sheet_name(*parts: str) -> str:
    """A download's name, from what it is, whose and when (排行榜 振宇社区 2026年11月)."""
    return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Sheet:
    name: str  # the file's name, and the worksheet's title (its first 31 characters)
    columns: list[Column]
    rows: Iterable[tuple]
    titled: bool = True  # an XLSX opens with a title row (a template to fill in has none: row 1 is its header)

    def __post_init__(self):
        # Whoever names a sheet (a community's name may hold a /), the file and the title can take it.
        object.__setattr__(self, "name", _NOT_IN_NAMES.sub("-", self.name))


def cell_value(column: Column, value, zone: tzinfo):
    """What a cell holds: numbers as numbers, times as local times, text as text (guarded by the writer)."""
    if value is None:
        return None
    if isinstance(value, str):  # text, whatever the column (a totals row's 合计)
        return value
    if column.kind == "yuan":
        return value / 100
    if column.kind == "hours":
        return round(value / 60, 1)
    if column.kind == "time":
        return value.astimezone(zone).replace(tzinfo=None, microsecond=0)
    if column.kind == "number":
        return value
    return str(value)


def csv_chunks(sheet: Sheet, *, zone: tzinfo) -> Iterator[bytes]:
    """The sheet as CSV for Excel (UTF-8 with a BOM, so Chinese shows; CRLF lines), in pieces of about
    CHUNK_BYTES, each as soon as its rows are read."""
    text, size = io.StringIO(), CHUNK_BYTES
    writer = csv.writer(text, lineterminator="\r\n")
    text.write("\ufeff")
    writer.writerow([column.header for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_text(column, cell_value(column, value, zone))
                         for column, value in zip(sheet.columns, row)])
        if text.tell() >= size:
            yield text.getvalue().encode("utf-8")
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode("utf-8")


def _csv_text(column: Column, value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if column.kind == "yuan":
        return f"{value:.2f}"
    return str(value)
