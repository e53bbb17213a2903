"""Exports opened back with openpyxl (and as CSV) and checked cell by cell on a small known ledger."""
import csv
import io
import urllib.parse
from datetime import datetime

import pytest
from openpyxl import load_workbook

from api.http.sheets import neutralise

from .test_errors import assert_error

TYPED_FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def ledger(organiser, volunteer, rules, shop, clock):
    """陈元龙 earns 120 at 20:00, converts 100 into a property-fee reduction for a household typed as
    a formula, and the property company fulfils it at 20:30 (Asia/Shanghai, 23 November 2026)."""
    member, phone = volunteer
    earned = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours",
                                               "points": 120, "memo": "夜巡"}, expect=201).json
    fee = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100,
                                             "household": TYPED_FORMULA}, expect=201).json
    clock.advance(minutes=30)
    shop["estate_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": fee["voucher_code"]}, expect=200)
    return {"member": member, "earned": earned, "fee": fee}


def workbook(response):
    """The export's worksheet: a title row above the header, the header frozen and filtered."""
    assert response.status_code == 200, response.get_data()[:300]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
    return sheet


def values(sheet):
    """The header and data rows (the title row above them left out)."""
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


def test_the_entries_export_is_the_ledger_cell_by_cell(organiser, ledger):
    member, fee = ledger["member"], ledger["fee"]
    sheet = workbook(organiser.get("/api/v1/exports/entries"))
    rows = values(sheet)
    assert rows[0] == ["流水号", "时间", "志愿者编号", "志愿者", "队伍", "类型", "规则", "积分", "余额", "备注", "转账号",
                       "撤销转账号"]
    assert rows[1][1:10] == [datetime(2026, 11, 23, 20, 0), member["id"], "陈元龙", "服管委员会", "获得",
                             "巡逻服务时间", 120, 120, "夜巡"]
    assert rows[1][10] == ledger["earned"]["transfer_id"]
    assert rows[2][1:10] == [datetime(2026, 11, 23, 20, 0), member["id"], "陈元龙", "服管委员会", "兑换冻结", None,
                             -100, 20, "兑换 减免物业费"]
    assert len(rows) == 3 and fee["points"] == 100
    assert isinstance(rows[1][7], int) and sheet["H3"].data_type == "n" and sheet["B3"].is_date
    assert sheet.column_dimensions["B"].width == 20 and sheet["A2"].font.b


def test_the_members_export_has_balances_and_lifetime_figures(organiser, ledger):
    rows = values(workbook(organiser.get("/api/v1/exports/members")))
    assert rows[0] == ["编号", "姓名", "手机", "队伍", "加入时间", "可用积分", "冻结积分", "累计获得", "累计兑换",
                       "服务时长(小时)", "参加活动", "有效线索"]
    member = ledger["member"]
    assert rows[1:] == [[member["id"], "陈元龙", member["phone"], "服管委员会", datetime(2026, 11, 23, 20, 0),
                         20, 0, 120, 100, 0, 0, 0]]


def test_a_household_typed_as_a_formula_stays_text_in_every_export(organiser, ledger, shop):
    sheet = workbook(organiser.get("/api/v1/exports/redemptions"))
    rows = values(sheet)
    assert rows[0][:10] == ["兑换单号", "券码", "志愿者", "奖品", "类别", "数量", "积分", "金额(元)", "房号", "状态"]
    assert rows[1][:10] == [ledger["fee"]["id"], ledger["fee"]["voucher_code"], "陈元龙", "减免物业费", "物业费抵扣",
                            1, 100, 100.0, TYPED_FORMULA, "已兑付"]
    assert sheet["I3"].data_type == "s" and sheet["I3"].quotePrefix and sheet["H3"].number_format == "0.00"
    assert not sheet["D3"].quotePrefix
    assert rows[1][10:] == [datetime(2026, 11, 23, 20, 0), datetime(2026, 11, 23, 20, 30), "店员 振宇物业服务中心"]
    settlement = f"/api/v1/partners/{shop['estate']['id']}/settlement"
    xlsx = workbook(shop["estate_clerk"].get(settlement, format="xlsx"))
    assert xlsx["J3"].value == TYPED_FORMULA and xlsx["J3"].data_type == "s" and xlsx["J3"].quotePrefix
    assert [cell.value for cell in xlsx[4]][:9] == ["合计", None, None, None, None, None, 1, 100, 100.0]
    text = shop["estate_clerk"].get(settlement, format="csv").data.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[9] == "'" + TYPED_FORMULA and row[8] == "100.00" and row[10] == "2026-11-23 20:30:00"


def test_the_leaderboard_and_annual_exports_match_their_json(organiser, ledger, enrol):
    li, _ = enrol(name="李四海", team="宣传队")
    organiser.post("/api/v1/awards", {"member_id": li["id"], "rule_code": "patrol", "points": 50}, expect=201)
    board = values(workbook(organiser.get("/api/v1/exports/leaderboard", period="month")))
    assert board == [["名次", "志愿者", "队伍", "积分", "服务时长(小时)"],
                     [1, "陈元龙", "服管委员会", 120, 0], [2, "李四海", "宣传队", 50, 0]]
    annual = values(workbook(organiser.get("/api/v1/exports/annual", year=2026, team="宣传队")))
    assert annual == [["名次", "姓名", "队伍", "积分", "服务时长(小时)", "参加活动", "有效线索"],
                      [1, "李四海", "宣传队", 50, 0, 0, 0]]


def test_the_csv_export_has_a_bom_chinese_headers_and_local_times(organiser, ledger):
    response = organiser.get("/api/v1/exports/entries", format="csv")
    assert response.mimetype == "text/csv" and response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["流水号", "时间", "志愿者编号", "志愿者"]
    assert rows[1][1] == "2026-11-23 20:00:00" and rows[2][7] == "-100"


def test_entries_export_takes_from_and_to(organiser, ledger, clock):
    rows = values(workbook(organiser.get("/api/v1/exports/entries", **{"from": "2026-11-24T00:00:00+08:00"})))
    assert rows == [rows[0]]


def test_exports_are_for_staff_of_the_community(organiser, volunteer, shop, admin):
    _, phone = volunteer
    assert_error(phone.get("/api/v1/exports/entries"), 403, "forbidden")
    assert_error(shop["barber_clerk"].get("/api/v1/exports/members"), 403, "forbidden")
    assert_error(organiser.get("/api/v1/exports/passwords"), 404, "not_found")
    assert_error(organiser.get("/api/v1/exports/members", format="pdf"), 422, "validation_error")
    assert_error(admin.get("/api/v1/exports/members"), 422, "validation_error")


@pytest.mark.parametrize("typed", ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(typed):
    assert neutralise(typed) == "'" + typed


@pytest.mark.parametrize("kept", ["陈元龙", "5栋101", "", 42, -3, None])
def test_text_that_is_no_formula_and_numbers_are_kept(kept):
    assert neutralise(kept) == kept


def test_the_public_notice_and_whom_to_remind_of_expiring_points_export_to_excel(organiser, community, volunteer,
                                                                                  clock):
    import io

    from openpyxl import load_workbook

    member, _ = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 1})
    organiser.post("/api/v1/rules", {"code": "deed", "name": "见义勇为", "points": 100, "basis": "per_event",
                                     "notice_days": 7}, expect=201)
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 30, "basis": "per_event"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "deed"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus"}, expect=201)
    notice = load_workbook(io.BytesIO(organiser.get("/api/v1/exports/notices").data)).active
    assert [cell.value for cell in notice[2]] == ["姓名", "队伍", "事项", "积分", "登记时间", "公示截止"]
    assert [cell.value for cell in notice[3]][:4] == ["陈*龙", "服管委员会", "见义勇为", 100]
    expiring = load_workbook(io.BytesIO(organiser.get("/api/v1/exports/expiring", days=31).data)).active
    assert [cell.value for cell in expiring[3]][1:5] == ["陈元龙", member["phone"], "服管委员会", 30]
    assert expiring.max_row == 3


def download_name(response) -> str:
    """The file name a browser saves the download under (RFC 6266's filename*, UTF-8)."""
    disposition = response.headers["Content-Disposition"]
    return urllib.parse.unquote(disposition.split("filename*=UTF-8''", 1)[1])


def test_downloads_are_named_for_what_whose_and_when(organiser, ledger, shop):
    """An organiser's download folder fills with these: each says what it is, for which
    community or partner, and for when (the clock reads 23 November 2026)."""
    assert download_name(organiser.get("/api/v1/exports/leaderboard", period="month")) == "排行榜 振宇社区 2026年11月.xlsx"
    assert download_name(organiser.get("/api/v1/exports/leaderboard", period="year", format="csv")) == \
        "排行榜 振宇社区 2026年.csv"
    assert download_name(organiser.get("/api/v1/exports/annual", year=2026)) == "2026年度排名 振宇社区.xlsx"
    assert download_name(organiser.get("/api/v1/exports/members")) == "志愿者 振宇社区 2026-11-23.xlsx"
    assert download_name(organiser.get("/api/v1/exports/entries", **{"from": "2026-11-01T00:00:00+08:00"})) == \
        "积分流水 振宇社区 2026-11-01起.xlsx"
    assert download_name(organiser.get("/api/v1/exports/redemptions", **{"from": "2026-11-01T00:00:00+08:00",
                                                                           "to": "2026-11-30T00:00:00+08:00"})) == \
        "兑换记录 振宇社区 2026-11-01至2026-11-30.xlsx"
    settlement = shop["estate_clerk"].get(f"/api/v1/partners/{shop['estate']['id']}/settlement", format="xlsx")
    assert download_name(settlement) == "结算单 振宇物业服务中心 2026-11-23.xlsx"


def test_a_name_excel_or_a_file_system_would_refuse_is_mended(admin, organiser):
    community = admin.post("/api/v1/communities", {"name": "罗塘/振宇:联合[一]", "code": "joint"}, expect=201).json
    response = admin.get("/api/v1/exports/members", community_id=community["id"])
    assert download_name(response) == "志愿者 罗塘-振宇-联合-一- 2026-11-23.xlsx"
    assert load_workbook(io.BytesIO(response.data)).sheetnames == ["志愿者 罗塘-振宇-联合-一- 2026-11-23"]


def test_an_export_opens_with_a_title_naming_what_whose_which_period_and_when_made(organiser, ledger):
    sheet = workbook(organiser.get("/api/v1/exports/leaderboard", period="month"))
    assert sheet["A1"].value == "排行榜 振宇社区 2026年11月（制表 2026-11-23 20:30）" and sheet["A1"].font.b
    entries = workbook(organiser.get("/api/v1/exports/entries", **{"from": "2026-11-01T00:00:00+08:00"}))
    assert entries["A1"].value == "积分流水 振宇社区 2026-11-01起（制表 2026-11-23 20:30）"


def test_an_export_filters_its_header_and_prints_landscape_one_page_wide_with_the_header_on_every_page(
        organiser, ledger):
    sheet = workbook(organiser.get("/api/v1/exports/entries"))
    assert sheet.auto_filter.ref == "A2:L4"  # the header and both entries, every column
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$2:$2"


def test_a_template_to_fill_in_keeps_its_header_on_the_first_row():
    from datetime import timezone

    from api.http.sheets import Column, Sheet
    from api.http.xlsx import xlsx_chunks

    file = b"".join(xlsx_chunks(Sheet("模板", [Column("姓名"), Column("手机")], [], titled=False), zone=timezone.utc,
                                made=datetime(2026, 11, 23, tzinfo=timezone.utc), chunk_bytes=1024))
    sheet = load_workbook(io.BytesIO(file)).active
    assert [cell.value for cell in sheet[1]] == ["姓名", "手机"] and sheet.freeze_panes == "A2"
