"""Excel downloads (.xlsx): one sheet, its header frozen, numbers kept numbers, and text that a
spreadsheet would run as a formula made inert."""
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text starting like a formula (= + - @, tab, CR) gets a leading apostrophe, so that a name
    like `=HYPERLINK(...)` is shown, never run. The one place for this rule in the pages."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[int] = ()) -> bytes:
    """A workbook of one sheet (write-only: memory stays flat however many rows)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    sheet.append([_cell(sheet, name, font=bold) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, *, font=None) -> WriteOnlyCell:
    if isinstance(value, str):
        value = neutralise(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, Decimal):
        cell.number_format = "0.00"
    if font is not None:
        cell.font = font
    return cell
