"""The pure parts of the imports from Excel: reading a package safely, and checking each row on its own."""
import base64
import io
import os
import zipfile
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from points.imports import Line, mark_duplicates, phone_of
from points.paper_book import HEADER, AwardLine, date_of, deed_time, points_of, read_awards, row_key
from points.roster import read_roster
from points.workbooks import SheetRefused, SheetRow, read_rows, text_of

from ..helpers import xlsx

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 23)


def book(rows, header=HEADER) -> bytes:
    return xlsx(header, rows)


def repacked(data: bytes, **changes: bytes) -> bytes:
    """The package with parts replaced or added (names with / given as __)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts.update({name.replace("__", "/"): value for name, value in changes.items()})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, value in parts.items():
            package.writestr(name, value)
    return out.getvalue()


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(SheetRefused) as refused:
        read_rows(data, header=HEADER, **kwargs)
    return refused.value.reason


def test_rows_come_back_as_text_whatever_excel_stored():
    rows = read_rows(book([(13900000001, "patrol", datetime(2026, 11, 3), 50.0, None), (), (None, None, None),
                           ("13900000002", " 巡逻 ", "2026/11/4", None, "备注")]), header=HEADER)
    assert rows == [SheetRow(2, ("13900000001", "patrol", "2026-11-03", "50", None)),
                    SheetRow(5, ("13900000002", "巡逻", "2026/11/4", None, "备注"))]


def test_a_formula_is_read_as_its_text_and_flagged():
    [row] = read_rows(book([("13900000001", "patrol", "2026-11-03", "=1+1", '=HYPERLINK("http://x","y")')]),
                      header=HEADER)
    assert row.formula and row.cells[3] == "=1+1" and row.cells[4].startswith("=HYPERLINK(")


def test_what_is_not_an_xlsx_package_is_refused():
    assert refusal(b"a,b\n1,2\n") == "not_xlsx"
    assert refusal(repacked(book([]), **{"[Content_Types].xml": b"<Types/>"})) == "not_xlsx"
    assert refusal(repacked(book([]), **{"[Content_Types].xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><Types/>"})) \
        == "not_xlsx"
    assert refusal(b"PK" + b"\0" * 100) == "not_xlsx"


def test_a_package_inflating_past_the_limits_is_refused_unread():
    assert refusal(repacked(book([]), xl__media__zeros=b"\0" * (300 * 1024 * 1024))) == "bomb"
    assert refusal(repacked(book([]), xl__media__zeros=b"\0" * (2 * 1024 * 1024))) == "bomb"  # ratio ~1000


def test_a_huge_shared_strings_table_is_refused_and_a_normal_one_read():
    manifest_entry = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                      b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    data = book([("13900000001", "patrol", "2026-11-03", None, None)])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        manifest = package.read("[Content_Types].xml").replace(b"</Types>", manifest_entry)
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>'
    huge = sst % b"".join(b"<si><t>%d</t></si>" % number for number in range(600_000))
    assert refusal(repacked(data, **{"[Content_Types].xml": manifest, "xl__sharedStrings.xml": huge})) == "strings"
    small = sst % b"<si><t>x</t></si>"
    assert read_rows(repacked(data, **{"[Content_Types].xml": manifest, "xl__sharedStrings.xml": small}),
                     header=HEADER)[0].cells[0] == "13900000001"


def test_too_many_rows_and_a_wrong_header_are_refused():
    assert refusal(book([("1390000000%d" % n, "patrol", "2026-11-03", None, None) for n in range(4)]),
                   max_rows=3) == "too_many_rows"
    assert refusal(book([], header=("电话", "规则"))) == "header"
    assert refusal(b"x" * (11 * 1024 * 1024)) == "too_large"


@pytest.mark.parametrize("text, day", [
    ("2026-11-03", date(2026, 11, 3)), ("2026/11/3", date(2026, 11, 3)), ("2026年11月3日", date(2026, 11, 3)),
    ("2026.11.03", date(2026, 11, 3)), ("20261103", date(2026, 11, 3)), ("2026-11-03 14:30", date(2026, 11, 3)),
    ("2026-02-30", None), ("11月3日", None), ("45234", None), (None, None), ("=TODAY()", None)])
def test_a_day_is_read_as_people_type_it(text, day):
    assert date_of(text) == day


@pytest.mark.parametrize("text, points", [("50", 50), ("100000", 100000), ("0", None), ("-5", None),
                                          ("5.5", None), ("十", None), ("１０", None), ("100001", None)])
def test_points_are_whole_positive_numbers(text, points):
    assert points_of(text) == points


def test_phones_lose_spaces_dashes_and_the_country_code_and_must_be_mobiles():
    assert phone_of(" 138-0000 0001 ") == "13800000001"
    assert phone_of("+8613800000001") == "13800000001"
    assert phone_of("138abc") is None and phone_of(None) is None and phone_of("=1") is None
    assert phone_of("12345") is None and phone_of("0571-8888888") is None  # not a mainland mobile


def test_each_award_row_is_refused_for_its_first_problem():
    rows = [SheetRow(2, ("13900000001", "patrol", "2026-11-03", None, "")),
            SheetRow(3, ("bad", "patrol", "2026-11-03", None, "")),
            SheetRow(4, ("13900000001", None, "2026-11-03", None, "")),
            SheetRow(5, ("13900000001", "patrol", "2026-11-24", None, "")),
            SheetRow(6, ("13900000001", "patrol", "2026-11-03", "0", "")),
            SheetRow(7, ("13900000001", "patrol", "2026-11-03", None, "x" * 201)),
            SheetRow(8, ("13900000001", "patrol", "2026-11-03", None, "=A1"), formula=True)]
    assert [line.problem for line in read_awards(rows, today=TODAY)] == [
        None, "bad_phone", "unknown_rule", "future_date", "bad_points", "too_long", "formula"]


def test_a_repeated_row_names_the_first():
    lines = [Line(2, ()), Line(3, ()), Line(4, (), problem="bad_date"), Line(5, ())]
    mark_duplicates(lines, key=lambda line: "same" if line.row != 5 else "other")
    assert [(line.problem, line.detail) for line in lines] == [(None, None), ("duplicate", 2), ("bad_date", None),
                                                               (None, None)]


def test_a_rows_key_is_its_content_however_the_day_was_typed():
    rule = SimpleNamespace(code="patrol", points=50)

    def key(day, points=None, memo=""):
        line = AwardLine(2, (), phone="13900000001", done_on=date_of(day), points=points, memo=memo, rule=rule)
        return row_key(1, line)

    assert key("2026-11-03") == key("2026年11月3日")
    assert key("2026-11-03") == key("2026-11-03", 50)  # the rule's points, left blank or written out: one deed
    assert len({key("2026-11-03"), key("2026-11-04"), key("2026-11-03", 60), key("2026-11-03", memo="晚")}) == 4


def test_a_day_more_than_a_year_ago_is_refused():
    rows = [SheetRow(2, ("13900000001", "patrol", "2025-11-23", None, "")),
            SheetRow(3, ("13900000001", "patrol", "2025-11-21", None, ""))]
    assert [line.problem for line in read_awards(rows, today=TODAY)] == [None, "too_old"]


def test_a_deed_is_dated_at_its_days_noon_never_after_now():
    now = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)
    assert deed_time(date(2026, 11, 3), now=now) == datetime(2026, 11, 3, 12, 0, tzinfo=ZONE)
    assert deed_time(date(2026, 11, 23), now=now) == now


def test_roster_rows_need_a_name_and_a_phone_once():
    rows = [SheetRow(2, ("赵敏", "13800000001", "一网格")), SheetRow(3, ("钱多", "13800000001", None)),
            SheetRow(4, (None, "13800000002", None)), SheetRow(5, ("孙悟", "12", None)),
            SheetRow(6, ("周", "13800000003", "队" * 101))]
    assert [(line.problem, line.detail) for line in read_roster(rows)] == [
        (None, None), ("duplicate", 2), ("no_name", None), ("bad_phone", None), ("too_long", 100)]


def test_text_of_keeps_text_and_drops_blanks():
    assert text_of("  ") is None and text_of(3.5) == "3.5" and text_of(True) == "TRUE"


def test_rows_past_the_sheets_declared_dimension_are_read_not_dropped():
    data = book([("1390000000%d" % n, "patrol", "2026-11-03", None, None) for n in range(5)])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    understated = sheet.replace(b'<dimension ref="A1:E6" />', b'<dimension ref="A1:E3" />')
    assert understated != sheet
    assert len(read_rows(repacked(data, **{"xl/worksheets/sheet1.xml": understated}), header=HEADER)) == 5


def test_blank_rows_count_toward_the_limit():
    sheet_rows = [("13900000001", "patrol", "2026-11-03", None, None)] + [(None, None, None, None, " ")] * 1_100
    assert refusal(book(sheet_rows), max_rows=3) == "too_many_rows"


def test_a_part_declared_twice_or_outside_the_limits_is_refused_unread():
    data = book([("13900000001", "patrol", "2026-11-03", None, None)])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        manifest = package.read("[Content_Types].xml")
    twice = manifest.replace(b"</Types>", b'<Override PartName="/xl/styles.xml" ContentType="text/plain"/></Types>')
    assert refusal(repacked(data, **{"[Content_Types].xml": twice})) == "not_xlsx"
    styles = b"<styleSheet>" + base64.b64encode(os.urandom(7 * 1024 * 1024)) + b"</styleSheet>"  # 9 MB, no ratio
    assert refusal(repacked(data, **{"xl/styles.xml": styles})) == "bomb"


def wide(data: bytes, rows: int, columns: int) -> bytes:
    """The package with `rows` more rows of `columns` numeric cells each under its header (few rows, many cells)."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(n) for n in range(1, columns + 1)]
    body = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (letter.encode(), r)
                                                  for letter in letters) + b"</row>"
                    for r in range(2, rows + 2))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    return repacked(data, **{"xl__worksheets__sheet1.xml": sheet.replace(b"</row></sheetData>", b"</row>" + body +
                                                                         b"</sheetData>")})


def test_a_sheet_of_few_rows_and_very_many_cells_is_refused_before_openpyxl_parses_it(monkeypatch):
    import points.workbooks as workbooks

    parsed = []
    monkeypatch.setattr(workbooks, "load_workbook", lambda *args, **kwargs: parsed.append(args))
    assert refusal(wide(book([]), rows=20, columns=16_384)) == "too_many_cells"  # 327,680 cells, 20 rows
    assert parsed == []


def test_cells_are_counted_exactly_also_across_the_chunks_the_xml_is_inflated_in(monkeypatch):
    import points.workbooks as workbooks

    data = book([("13900000001", "patrol", "2026-11-03", 50, "夜巡")] * 3)  # 4 rows of 5 cells
    for chunk in (7, 16, 1024 * 1024):
        monkeypatch.setattr(workbooks, "_CHUNK", chunk)
        assert len(read_rows(data, header=HEADER, max_cells=20)) == 3
        assert refusal(data, max_cells=19) == "too_many_cells"


def test_reading_a_sheet_stops_at_its_time_limit(monkeypatch):
    import points.workbooks as workbooks

    monkeypatch.setattr(workbooks, "READ_SECONDS", -1)  # already past: the first check refuses
    assert refusal(book([("13900000001", "patrol", "2026-11-03", None, None)])) == "too_slow"
