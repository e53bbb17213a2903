"""Spreadsheets for people: XLSX and CSV (UTF-8 with BOM) with Chinese headers and no live formulas.

Every CSV and XLSX the service hands out is written here. Text that a spreadsheet would run as a
formula (a household typed as `=cmd|' /C calc'!A0`) stays text in Excel and WPS: in XLSX as a text
cell with the quotePrefix style (shown as typed, no apostrophe in it), in CSV behind an apostrophe
(`neutralise`: CSV has no styles). An XLSX export opens finished: a title row saying what, whose,
which period and when it was made, a filter on the header row, and landscape pages fitted to the
paper's width with the header repeated on each.
"""
import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import quote

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from .clock import now
from .snapshot import snapshot_session

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv"}  # Flask adds the one `charset=utf-8` to text types
CHUNK_BYTES = 64 * 1024  # a streamed download's pieces
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


def write_xlsx(sheet: Sheet, file, *, zone: tzinfo, made: datetime) -> None:
    """The sheet as XLSX, row by row (openpyxl's write-only mode: memory stays flat)."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet.name[:31])  # Excel's limit
    header_row = 2 if sheet.titled else 1
    worksheet.freeze_panes = f"A{header_row + 1}"
    for index, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    _print_setup(worksheet, header_row)
    if sheet.titled:
        title = WriteOnlyCell(worksheet, f"{sheet.name}（制表 {made.astimezone(zone):%Y-%m-%d %H:%M}）")
        title.font = Font(bold=True, size=14)
        worksheet.append([title])
    worksheet.append([_styled(worksheet, column.header, font=Font(bold=True)) for column in sheet.columns])
    formats = [NUMBER_FORMATS.get(column.kind) for column in sheet.columns]
    last = header_row
    for row in sheet.rows:
        worksheet.append([_styled(worksheet, cell_value(column, value, zone), number_format=number_format)
                          for column, value, number_format in zip(sheet.columns, row, formats)])
        last += 1
    worksheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{last}"
    book.save(file)


def _styled(worksheet, value, *, font: Font | None = None, number_format: str | None = None):
    """A cell: text that would start a formula stays text, shown as typed (the quotePrefix style)."""
    if value is None:
        return None
    cell = WriteOnlyCell(worksheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
    elif number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    return cell


def _print_setup(worksheet, header_row: int) -> None:
    """Landscape, as wide as the paper (as many pages long as it takes), the header on every page."""
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_title_rows = f"{header_row}:{header_row}"


def write_csv(sheet: Sheet, file, *, zone: tzinfo) -> None:
    """The sheet as CSV for Excel: UTF-8 with a BOM (so Chinese shows), CRLF lines."""
    for chunk in csv_chunks(sheet, zone=zone):
        file.write(chunk)


def csv_chunks(sheet: Sheet, *, zone: tzinfo) -> Iterator[bytes]:
    """The CSV of `write_csv` in pieces of about CHUNK_BYTES, each as soon as its rows are read."""
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


def streamed_sheet(build: Callable[[Session], Sheet], *, format: str, zone: tzinfo) -> Response:
    """A sheet `build` makes on a snapshot of its own (`api.http.snapshot`), sent as it is written:
    CSV row by row (the first byte at once, memory flat), XLSX once its zip is finished (only its end
    makes it a file). `build` runs before the response starts, so a refusal (404, 403) is a status,
    never a cut file; whatever fails later ends the snapshot's transaction and cuts the download."""
    parts = _streamed(build, format, zone, now())
    sheet = next(parts)  # the snapshot is open and `build`'s checks passed (or raised here)
    response = Response(stream_with_context(parts), mimetype=FORMATS[format])
    response.headers.set("Content-Disposition", "attachment", **_download_name(f"{sheet.name}.{format}"))
    return response


def _streamed(build, format: str, zone: tzinfo, made: datetime) -> Iterator:
    """The sheet first, then the file's bytes; the snapshot lasts as long as the generator."""
    with snapshot_session() as session:
        sheet = build(session)
        yield sheet
        if format == "csv":
            yield from csv_chunks(sheet, zone=zone)
            return
        with tempfile.TemporaryFile() as file:
            write_xlsx(sheet, file, zone=zone, made=made)
            file.seek(0)
            yield from iter(lambda: file.read(CHUNK_BYTES), b"")


def _download_name(name: str) -> dict:
    """Content-Disposition's file name as Flask's `send_file` gives it (RFC 6266's filename* for non-ASCII)."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        return {"filename": plain, "filename*": f"UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"}
    return {"filename": name}


def sheet_response(sheet: Sheet, *, format: str, zone: tzinfo) -> Response:
    """The sheet as a download, written to a temporary file first (deleted when sent)."""
    file = tempfile.TemporaryFile()
    if format == "xlsx":
        write_xlsx(sheet, file, zone=zone, made=now())
    else:
        write_csv(sheet, file, zone=zone)
    file.seek(0)
    return send_file(file, mimetype=FORMATS[format], as_attachment=True, download_name=f"{sheet.name}.{format}")
