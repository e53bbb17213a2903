"""Spreadsheets for people: XLSX and CSV (UTF-8 with BOM) with Chinese headers and no live formulas.

Every CSV and XLSX the service hands out is written here, and every text cell goes through
`neutralise`: a household typed as `=cmd|' /C calc'!A0` stays text in Excel and WPS.
"""
import csv
import io
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}
NUMBER_FORMATS = {"yuan": "0.00", "hours": "0.0", "time": "yyyy-mm-dd hh:mm:ss", "number": "0"}


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

    def __post_init__(self):
        # Whoever names a sheet (a community's name may hold a /), the file and the title can take it.
        object.__setattr__(self, "name", _NOT_IN_NAMES.sub("-", self.name))


def cell_value(column: Column, value, zone: tzinfo):
    """What a cell holds: numbers as numbers, times as local times, text neutralised."""
    if value is None:
        return None
    if isinstance(value, str):  # text, whatever the column (a totals row's 合计)
        return neutralise(value)
    if column.kind == "yuan":
        return value / 100
    if column.kind == "hours":
        return round(value / 60, 1)
    if column.kind == "time":
        return value.astimezone(zone).replace(tzinfo=None, microsecond=0)
    if column.kind == "number":
        return value
    return neutralise(str(value))


def write_xlsx(sheet: Sheet, file, *, zone: tzinfo) -> None:
    """The sheet as XLSX, row by row (openpyxl's write-only mode: memory stays flat)."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet.name[:31])  # Excel's limit
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(worksheet, column.header)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    styled = [(index, NUMBER_FORMATS[column.kind]) for index, column in enumerate(sheet.columns)
              if column.kind in NUMBER_FORMATS]
    for row in sheet.rows:
        values = [cell_value(column, value, zone) for column, value in zip(sheet.columns, row)]
        for index, number_format in styled:
            if values[index] is not None:
                cell = WriteOnlyCell(worksheet, values[index])
                cell.number_format = number_format
                values[index] = cell
        worksheet.append(values)
    book.save(file)


def write_csv(sheet: Sheet, file, *, zone: tzinfo) -> None:
    """The sheet as CSV for Excel: UTF-8 with a BOM (so Chinese shows), CRLF lines."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([column.header for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_text(column, cell_value(column, value, zone))
                         for column, value in zip(sheet.columns, row)])
    text.detach()


def _csv_text(column: Column, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if column.kind == "yuan":
        return f"{value:.2f}"
    return str(value)


def sheet_response(sheet: Sheet, *, format: str, zone: tzinfo) -> Response:
    """The sheet as a download, written to a temporary file first (deleted when sent)."""
    file = tempfile.TemporaryFile()
    (write_xlsx if format == "xlsx" else write_csv)(sheet, file, zone=zone)
    file.seek(0)
    return send_file(file, mimetype=FORMATS[format], as_attachment=True, download_name=f"{sheet.name}.{format}")
