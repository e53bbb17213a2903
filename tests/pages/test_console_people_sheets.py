"""The console's downloads of people: the roster with balances (`导出Excel` on /console/members) and a member's
points statement (`导出积分明细`), named in Chinese, with rule names and who did it in words."""
from io import BytesIO
from urllib.parse import unquote

import openpyxl

from .test_volunteer_pages import text


def sheet(answer):
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(BytesIO(answer.data))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    return unquote(answer.headers["Content-Disposition"]), book.active.title, rows


def test_the_roster_downloads_with_each_members_balances(console_pages, organiser, enrol, rules, clock):
    enrol()
    second, _ = enrol(name="王秀英")
    organiser.post("/api/v1/awards", {"member_id": second["id"], "rule_code": "patrol"}, expect=201)
    assert 'data-testid="roster-xlsx"' in text(console_pages.get("/console/members"))
    name, title, rows = sheet(console_pages.get("/console/members.xlsx"))
    today = f"{clock.now():%Y-%m-%d}"
    assert f"志愿者 振宇社区 {today}.xlsx" in name and title.startswith("志愿者 振宇社区")
    header = rows[1]
    assert header[:2] == ["编号", "姓名"] and "可用积分" in header
    by_name = {row[1]: row for row in rows[2:]}
    assert by_name["王秀英"][header.index("可用积分")] == 50 and by_name["陈元龙"][header.index("可用积分")] == 0
    assert by_name["王秀英"][header.index("手机")] == second["phone"]


def test_a_members_statement_downloads_oldest_deed_first_with_rule_names_and_who(console_pages, organiser, volunteer,
                                                                                rules, clock):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "夜间"}, expect=201)
    clock.advance(minutes=5)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 40}, expect=201)
    page = text(console_pages.get(f"/console/members/{member['id']}"))
    assert 'data-testid="statement-xlsx"' in page
    name, _, rows = sheet(console_pages.get(f"/console/members/{member['id']}/entries.xlsx"))
    assert f"积分明细 {member['name']} {clock.now():%Y-%m-%d}.xlsx" in name
    header = rows[1]
    lines = [dict(zip(header, row)) for row in rows[2:]]
    assert [(line["事项"], line["积分"], line["余额"], line["备注"]) for line in lines] == [
        ("参与治安巡逻", 50, 50, "夜间"), ("巡逻服务时间", 40, 90, None)]
    assert {line["经办"] for line in lines} == {"组织者 罗塘派出所 民警"}


def test_another_communitys_member_statement_is_not_handed_out(console_pages, other_community, app, clock):
    _, their_organiser = other_community
    theirs = their_organiser.post("/api/v1/members", {"name": "外社区", "phone": "13912345678",
                                                      "community_id": other_community[0]["id"]}, expect=201).json
    assert console_pages.get(f"/console/members/{theirs['id']}/entries.xlsx").status_code in (403, 404)


def test_the_console_makes_a_rule_without_a_code(console_pages):
    answer = console_pages.submit("/console/rules/new", name="清理楼道杂物", points="20", basis="per_event",
                                  notice_days="0")
    assert answer.status_code == 303 and answer.location.endswith("/console/rules/rule_1")
