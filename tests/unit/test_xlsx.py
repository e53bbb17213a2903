"""The streamed XLSX (api.http.xlsx): its pieces leave before its last row is read, and openpyxl (and the
service's own importer) read back exactly what went in."""
import io
import zipfile
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from api.http.sheets import Column, Sheet
from api.http.xlsx import xlsx_chunks
from points.workbooks import read_rows

ZONE = ZoneInfo("Asia/Shanghai")
MADE = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
COLUMNS = [Column("时间", 20, "time"), Column("积分", 8, "number"), Column("金额(元)", 10, "yuan"),
           Column("时长(小时)", 10, "hours"), Column("备注", 30)]


def test_the_first_piece_leaves_long_before_the_last_row_is_read():
    read = []

    def rows():
        for number in range(20_000):
            read.append(number)
            yield (MADE, number, number * 7, 90, f"第{number}次巡逻，楼栋{number % 97}号")

    pieces = xlsx_chunks(Sheet("流水", COLUMNS, rows()), zone=ZONE, made=MADE, chunk_bytes=16 * 1024)
    first = next(pieces)
    assert len(first) >= 16 * 1024 and len(read) < 20_000 / 2
    data = first + b"".join(pieces)
    assert len(read) == 20_000
    written = list(load_workbook(io.BytesIO(data), read_only=True).active.values)
    assert len(written) == 20_002
    assert list(written[-1]) == [datetime(2026, 11, 23, 20, 0), 19_999, 1399.93, 1.5, "第19999次巡逻，楼栋17号"]


def test_what_goes_in_comes_back_cell_by_cell_with_its_formats():
    rows = [(datetime(2026, 11, 23, 12, 30, 5, 999, tzinfo=timezone.utc), 50, 1234, 45, "=cmd|' /C calc'!A0"),
            (None, -3, None, None, "  两头有空格\r\n第二行 & <b>"),
            (None, None, None, None, "控制\x01字符\x1f去掉"),
            ("合计", 47, 1234, 45, "")]
    data = b"".join(xlsx_chunks(Sheet("明细 振宇社区", COLUMNS, rows), zone=ZONE, made=MADE, chunk_bytes=64))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "明细 振宇社区"
    assert sheet["A1"].value == "明细 振宇社区（制表 2026-11-23 20:00）" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert [cell.value for cell in sheet[2]] == ["时间", "积分", "金额(元)", "时长(小时)", "备注"] and sheet["E2"].font.b
    assert [cell.value for cell in sheet[3]] == [datetime(2026, 11, 23, 20, 30, 5), 50, 12.34, 0.8,
                                                "=cmd|' /C calc'!A0"]
    assert [cell.number_format for cell in sheet[3]][:4] == ["yyyy-mm-dd hh:mm:ss", "0", "0.00", "0.0"]
    assert sheet["E3"].data_type == "s" and sheet["E3"].quotePrefix and not sheet["E4"].quotePrefix
    assert sheet["E4"].value == "  两头有空格\r\n第二行 & <b>" and sheet["B4"].value == -3
    assert sheet["E5"].value == "控制字符去掉"
    assert [cell.value for cell in sheet[6]] == ["合计", 47, 12.34, 0.8, None]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:E6" and sheet.print_title_rows == "$2:$2"
    assert [sheet.column_dimensions[letter].width for letter in "ABCDE"] == [20, 8, 10, 10, 30]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_the_zip_is_whole_and_the_same_sheet_made_twice_is_the_same_file():
    def made():
        return b"".join(xlsx_chunks(Sheet("名单", COLUMNS[:2], [(MADE, 1)]), zone=ZONE, made=MADE, chunk_bytes=64))

    data = made()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        assert sorted(package.namelist()) == ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels",
                                              "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]
    assert made() == data


def test_a_template_made_here_is_read_by_the_importer():
    template = Sheet("导入名单", [Column("姓名"), Column("手机")], [("陈元龙", "13800000001")], titled=False)
    data = b"".join(xlsx_chunks(template, zone=ZONE, made=MADE, chunk_bytes=64))
    assert [(row.number, row.cells) for row in read_rows(data, header=("姓名", "手机"))] == [
        (2, ("陈元龙", "13800000001"))]
