"""XLSX written as it is read: the workbook's parts go into a zip that is sent while its rows come.

openpyxl (and XlsxWriter) write a worksheet's rows to a temporary file and make the zip when the
book is saved, so a download's first byte waits for its last row: 3 s for a community's year of
entries on the city database (bench/RESULTS.md). Here the worksheet is one zip member written row
by row, and the standard library's `zipfile`, given a stream it cannot seek, puts each member's
sizes in a data descriptor after its data, as Java's ZipOutputStream (and so Apache POI's
streaming SXSSF workbooks, which Excel and WPS open) always has. LibreOffice 7.4 was seen to read
one whole: its values, number and date formats, formula text as text, A4 landscape. The styles are
a fixed table known before the first row, and the workbook part, which names the filter's range,
is written after the last.

What the XML says is SpreadsheetML (ECMA-376 part 1, §18), the parts openpyxl writes for the same
sheet: inline strings, a frozen header, a filter on it, column widths, and landscape A4 pages one
page wide with the header repeated.
"""
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, tzinfo
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from .sheets import FORMULA_STARTS, Sheet, cell_value

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# The cell styles (cellXfs), by index: every sheet has these and no others.
TITLE, HEADER, TIME, NUMBER, YUAN, HOURS, TYPED = range(1, 8)
STYLE_OF_KIND = {"time": TIME, "number": NUMBER, "yuan": YUAN, "hours": HOURS}
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt \
numFmtId="165" formatCode="0.0"/></numFmts><fonts count="3"><font><sz val="11"/><name val="Calibri"/><family \
val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name \
val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>\
<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>\
</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" \
fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" \
applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf \
numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="2" fontId="0" \
fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" \
xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>\
</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" \
ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" \
ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/><Override \
PartName="/xl/styles.xml" ContentType="{SPREADSHEETML}.styles+xml"/></Types>"""
PACKAGE_RELATIONSHIPS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" \
Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK_RELATIONSHIPS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" \
Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>"""

ROWS_A_WRITE = 256  # rows joined into one write to the zip member

# What XML 1.0 cannot hold at all (a control character pasted into a memo): left out of the text.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A carriage return is written as a reference, which a parser keeps (a bare one it reads as \n).
_ENTITIES = {"\r": "&#13;"}


def text_cell(reference: str, text: str, style: int) -> str:
    """An inline string cell: `text` exactly, its spaces and line breaks kept."""
    text = escape(_NOT_IN_XML.sub("", text), _ENTITIES)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "\n" in text else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cell(reference: str, value, style: int) -> str:
    """A cell for a value as `cell_value` gives it: text, a number or a local time. Text that a
    spreadsheet would run as a formula stays text, shown as typed (the quotePrefix style)."""
    if isinstance(value, str):
        return text_cell(reference, value, TYPED if value.startswith(FORMULA_STARTS) else 0)
    if isinstance(value, datetime):
        value = to_excel(value)
    elif isinstance(value, bool) or not isinstance(value, int | float):  # True, a Decimal sum
        value = float(value)
    return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'


class _Sink:
    """What the zip writes into: the bytes not yet sent. It has no `tell` or `seek`, so `zipfile`
    streams (each member's sizes after its data) instead of going back to fill them in."""

    def __init__(self):
        self.pieces, self.size = [], 0

    def write(self, data: bytes) -> int:
        self.pieces.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.pieces, self.size = b"".join(self.pieces), [], 0
        return data


def xlsx_chunks(sheet: Sheet, *, zone: tzinfo, made: datetime, chunk_bytes: int) -> Iterator[bytes]:
    """The sheet as a one-sheet workbook, in pieces of about `chunk_bytes`, each as soon as its rows
    are written: a title row saying what, whose and when it was made (unless `sheet.titled` is
    false), the header, and the rows."""
    sink = _Sink()
    columns, header_row = sheet.columns, 2 if sheet.titled else 1
    letters, styles = _letters(len(columns)), [STYLE_OF_KIND.get(column.kind, 0) for column in columns]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for name, part in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELATIONSHIPS),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELATIONSHIPS), ("xl/styles.xml", STYLES)):
            book.writestr(_member(name, made, zone), part)
        with book.open(_member("xl/worksheets/sheet1.xml", made, zone), "w") as part:
            lines = [_sheet_start([column.width for column in columns], header_row)]
            if sheet.titled:
                heading = f"{sheet.name}（制表 {made.astimezone(zone):%Y-%m-%d %H:%M}）"
                lines.append(_row(1, [text_cell("A1", heading, TITLE)]))
            lines.append(_row(header_row, [text_cell(f"{letter}{header_row}", column.header, HEADER)
                                           for letter, column in zip(letters, columns)]))
            last = header_row
            for last, values in enumerate(sheet.rows, start=header_row + 1):
                lines.append(_data_row(last, zip(letters, columns, styles, values), zone))
                if len(lines) >= ROWS_A_WRITE:
                    part.write("".join(lines).encode())
                    lines.clear()
                    if sink.size >= chunk_bytes:
                        yield sink.take()
            lines.append(_sheet_end(f"A{header_row}:{letters[-1]}{last}"))
            part.write("".join(lines).encode())
        book.writestr(_member("xl/workbook.xml", made, zone), _workbook(sheet.name[:31], header_row, letters[-1], last))
    yield sink.take()


def _member(name: str, made: datetime, zone: tzinfo) -> zipfile.ZipInfo:
    """A part of the zip, dated when the sheet was made (so one sheet made twice is the same file)."""
    member = zipfile.ZipInfo(name, date_time=made.astimezone(zone).timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def _letters(count: int) -> list[str]:
    return [get_column_letter(index) for index in range(1, count + 1)]


def _data_row(number: int, cells, zone: tzinfo) -> str:
    written = []
    for letter, column, style, value in cells:
        value = cell_value(column, value, zone)
        if value is not None and value != "":  # an empty cell, as openpyxl reads an empty string back
            written.append(cell(f"{letter}{number}", value, style))
    return _row(number, written)


def _row(number: int, cells: list[str]) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def _sheet_start(widths: list[int], header_row: int) -> str:
    columns = "".join(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
                      for index, width in enumerate(widths, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView '
            f'workbookViewId="0"><pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" '
            f'state="frozen"/><selection pane="bottomLeft" activeCell="A{header_row + 1}" '
            f'sqref="A{header_row + 1}"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{columns}</cols><sheetData>")


def _sheet_end(filtered: str) -> str:
    """The filter on the header row, and pages: landscape A4, one page wide, as many long as it takes."""
    return (f'</sheetData><autoFilter ref="{filtered}"/><pageMargins left="0.7" right="0.7" top="0.75" '
            f'bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" '
            f'fitToWidth="1" fitToHeight="0"/></worksheet>')


def _workbook(title: str, header_row: int, last_letter: str, last_row: int) -> str:
    """The book's one sheet, and the names Excel gives its filter's range and the rows printed on every page."""
    sheet = escape("'" + title.replace("'", "''") + "'")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet '
            f'name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets><definedNames><definedName '
            f'name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{sheet}!$A${header_row}:${last_letter}'
            f'${last_row}</definedName><definedName name="_xlnm.Print_Titles" localSheetId="0">{sheet}!'
            f'${header_row}:${header_row}</definedName></definedNames></workbook>')
