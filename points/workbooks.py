"""Reading an uploaded .xlsx safely: checked as a zip of the right parts and sizes before openpyxl
opens it (a zip bomb or a huge shared-strings table is refused unread), its cells counted before
openpyxl parses any (a few rows of very many cells cost as much as very many rows), formulas read
as their text and never run, rows counted as they stream so that an oversized sheet stops early,
and the whole reading cut off after READ_SECONDS.

Rows come back as text (a date as YYYY-MM-DD, a whole number without its .0), so a preview and
its confirmation read the same values however Excel stored them.
"""
import io
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree

from openpyxl import load_workbook

from .errors import Invalid

UPLOAD_BYTES = 10 * 1024 * 1024      # the file as sent
UNPACKED_BYTES = 200 * 1024 * 1024   # all its parts, inflated (20,000 wide rows stay far below)
RATIO = 200                          # inflated / compressed, for any part over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
STRINGS_BYTES = 8 * 1024 * 1024      # the shared-strings table, inflated: openpyxl holds it in memory
PART_BYTES = STRINGS_BYTES           # any other part but a worksheet (styles, the workbook...), held likewise
MANIFEST_BYTES = 1024 * 1024
MAX_PARTS = 2000
# Data rows, the header not counted. An import is one write transaction: 5,000 rows hold the
# SQLite write lock for seconds (bench/RESULTS.md); more would stall every other writer.
MAX_ROWS = 5_000
BLANK_ROWS = 1_000                   # blank lines allowed between entries, beyond MAX_ROWS
# Cells in all worksheets, empty styled ones included: openpyxl parses every cell of a row however
# few columns are read, so 20 rows of 16,384 columns cost what 65,000 rows of five do. 5,000 rows
# of 60 columns fit.
MAX_CELLS = 300_000
READ_SECONDS = 20                    # counting and reading together, then the upload is refused
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,9}:)?(c|row)[\s/>]")  # <c ...>, <row ...> (or <x:c ...>), not <col>
_CHUNK = 1024 * 1024
WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORKBOOKS = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"}
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


class SheetRefused(Invalid):
    """The upload cannot be read as a sheet of rows; `reason` says why (nothing was read from it)."""

    def __init__(self, reason: str, message: str, **facts):
        super().__init__(message, field="sheet")
        self.reason, self.facts = reason, facts


@dataclass(frozen=True)
class SheetRow:
    number: int                       # the row's number in Excel (the header is row 1)
    cells: tuple[str | None, ...]     # one per header column; None where empty
    formula: bool = False             # a cell held a formula (its text is in `cells`, never its result)


def read_rows(data: bytes, *, header: tuple[str, ...], max_rows: int = MAX_ROWS,
              max_cells: int = MAX_CELLS) -> list[SheetRow]:
    """The first worksheet's non-empty rows under `header`, or SheetRefused saying why not."""
    deadline = time.monotonic() + READ_SECONDS
    if len(data) > UPLOAD_BYTES:
        raise SheetRefused("too_large", f"the file is over {UPLOAD_BYTES} bytes", limit=UPLOAD_BYTES)
    _count_cells(data, _check_package(data), max_cells=max_cells, max_rows=max_rows, deadline=deadline)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # whatever openpyxl makes of a damaged file, it is not a sheet we read
        raise SheetRefused("not_xlsx", f"openpyxl cannot open it: {type(error).__name__}") from None
    try:
        return _rows(book, header=header, max_rows=max_rows, deadline=deadline)
    except SheetRefused:
        raise
    except Exception as error:
        raise SheetRefused("not_xlsx", f"unreadable worksheet: {type(error).__name__}") from None
    finally:
        book.close()


def _check_package(data: bytes) -> list[str]:
    """Refuse what is not an xlsx package, or would inflate past the limits, before parsing any of it;
    else the names of its worksheet parts.

    The declared sizes are what is checked: Python's zipfile stops inflating a part at its
    declared size (and then fails its CRC), so a part cannot inflate past what it declares.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SheetRefused("not_xlsx", "not a zip package")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
        if len(parts) > MAX_PARTS:
            raise SheetRefused("bomb", f"{len(parts)} parts")
        if sum(part.file_size for part in parts) > UNPACKED_BYTES:
            raise SheetRefused("bomb", "inflates past the limit", limit=UNPACKED_BYTES)
        for part in parts:
            if part.file_size > RATIO_FROM and part.file_size > RATIO * max(part.compress_size, 1):
                raise SheetRefused("bomb", f"{part.filename} inflates {part.file_size // max(part.compress_size, 1)}x")
        sizes = {part.filename: part.file_size for part in parts}
        if sizes.get("[Content_Types].xml", MANIFEST_BYTES + 1) > MANIFEST_BYTES:
            raise SheetRefused("not_xlsx", "no content types")
        manifest = package.read("[Content_Types].xml")
    except zipfile.BadZipFile as error:
        raise SheetRefused("not_xlsx", f"damaged zip: {error}") from None
    if b"<!DOCTYPE" in manifest or b"<!ENTITY" in manifest:
        raise SheetRefused("not_xlsx", "content types declare entities")
    try:
        overrides = [(override.get("PartName", ""), override.get("ContentType"))
                     for override in ElementTree.fromstring(manifest).iter(f"{_TYPES}Override")]
    except ElementTree.ParseError:
        raise SheetRefused("not_xlsx", "content types are not XML") from None
    # Part names as openpyxl reads them (one leading slash dropped): a name it would read
    # differently from this check, or declared twice, could smuggle a part past the limits.
    types = {name[1:]: kind for name, kind in overrides if name.startswith("/") and not name.startswith("//")}
    if len(types) != len(overrides) or any(name.startswith("/") for name in sizes):
        raise SheetRefused("not_xlsx", "part names declared twice or not as /name")
    if not WORKBOOKS & set(types.values()):
        raise SheetRefused("not_xlsx", "no workbook part (an .xls, .xlsm or another zip)")
    for name, size in sizes.items():
        kind = types.get(name)
        if kind == SHARED_STRINGS and size > STRINGS_BYTES:
            raise SheetRefused("strings", f"shared strings inflate to {size} bytes", limit=STRINGS_BYTES)
        if kind != WORKSHEET and size > PART_BYTES:  # worksheets stream; every other part is held whole
            raise SheetRefused("bomb", f"{name} inflates to {size} bytes", limit=PART_BYTES)
    return [name for name, kind in types.items() if kind == WORKSHEET and name in sizes]


def _count_cells(data: bytes, worksheets: list[str], *, max_cells: int, max_rows: int, deadline: float) -> None:
    """Refuse more than `max_cells` cells in the worksheets, counted in their inflated XML as it
    streams: it stops at the limit, so a sheet of millions of cells costs no more than the limit.
    Past it, a sheet that is long rather than wide is told it has too many rows."""
    tags = {b"c": 0, b"row": 0}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in worksheets:
            with package.open(name) as part:
                tail = b""
                while chunk := part.read(_CHUNK):
                    # A tag cut between two chunks is matched whole in the second; one wholly in the
                    # tail was counted with the first.
                    window = tail + chunk
                    for match in _TAG.finditer(window):
                        if match.end() > len(tail):
                            tags[match.group(1)] += 1
                    if tags[b"c"] > max_cells:
                        if tags[b"row"] > max_rows + BLANK_ROWS:
                            raise SheetRefused("too_many_rows", f"more than {max_rows} rows", limit=max_rows)
                        raise SheetRefused("too_many_cells", f"more than {max_cells} cells", limit=max_cells)
                    _in_time(deadline)
                    tail = window[-16:]


def _in_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise SheetRefused("too_slow", f"not read within {READ_SECONDS} seconds", limit=READ_SECONDS)


def _rows(book, *, header: tuple[str, ...], max_rows: int, deadline: float) -> list[SheetRow]:
    if not book.worksheets:
        raise SheetRefused("header", "no worksheet")
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # read every row there is, not only those the sheet's <dimension> claims
    rows = sheet.iter_rows(max_col=len(header))
    found = next(rows, None)
    titles = tuple(text_of(cell.value) or "" for cell in found or ())
    if titles[:len(header)] != header:
        raise SheetRefused("header", f"header is {titles!r}, not {header!r}")
    kept = []
    for seen, cells in enumerate(rows, start=1):
        if seen > max_rows + BLANK_ROWS:  # blank rows count too: a million of them is no sheet of entries
            raise SheetRefused("too_many_rows", f"more than {max_rows} rows", limit=max_rows)
        _in_time(deadline)
        values = tuple(text_of(cell.value) for cell in cells)
        if not any(values):
            continue  # a blank line between entries is no entry
        if len(kept) == max_rows:
            raise SheetRefused("too_many_rows", f"more than {max_rows} rows", limit=max_rows)
        values += (None,) * (len(header) - len(values))
        number = next(cell.row for cell in cells if getattr(cell, "row", None))  # EmptyCell has none
        kept.append(SheetRow(number=number, cells=values,
                             formula=any(getattr(cell, "data_type", None) == "f" for cell in cells)))
    return kept


def text_of(value) -> str | None:
    """A cell's value as text: dates as YYYY-MM-DD, whole numbers without .0, blanks as None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
