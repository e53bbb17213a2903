"""The console's catalogue, partners, vouchers and reports through the test client: what they list,
what their forms do (through the API's services), their Excel downloads opened back with openpyxl,
and that an organiser of community A given B's ids sees none of B's data."""
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from .. import conftest
from ..helpers import Client

FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"点我\")"


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def rows_of(response) -> list[list]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]  # below the title row


def reward_in_api(organiser, name) -> dict:
    return next(item for item in organiser.get("/api/v1/rewards", limit=200).json["items"] if item["name"] == name)


@pytest.fixture
def funded(organiser, volunteer, rules):
    """The volunteer with 900 points (an organiser's award)."""
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 900}, expect=201)
    return member, phone


@pytest.fixture
def community_b(app, clock, other_community, admin):
    """Community B with a partner, a reward, a member with a voucher (fulfilled), and a rule."""
    b, b_organiser = other_community
    partner = b_organiser.post("/api/v1/partners", {"name": "幸福里药店", "kind": "clinic",
                                                    "community_ids": [b["id"]]}, expect=201).json
    reward = b_organiser.post("/api/v1/rewards", {"community_id": b["id"], "name": "幸福里毛巾", "kind": "service",
                                                  "cost": 10, "partner_id": partner["id"]}, expect=201).json
    b_organiser.post("/api/v1/rules", {"code": "bonus", "name": "幸福里表彰", "points": 1, "basis": "per_event"},
                     expect=201)
    member = b_organiser.post("/api/v1/members", {"name": "幸福里王五", "phone": "13800009999",
                                                  "community_id": b["id"], "team": "幸福里队"}, expect=201).json
    b_organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 100}, expect=201)
    voucher = b_organiser.post("/api/v1/redemptions", {"reward_id": reward["id"], "member_id": member["id"]},
                               expect=201).json
    clerk = Client(app, conftest._token(app, clock, role="partner", name="药店", partner_id=partner["id"]))
    clerk.post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}, expect=200)
    return {"community": b, "organiser": b_organiser, "partner": partner, "reward": reward, "member": member,
            "voucher": voucher}


# The catalogue -----------------------------------------------------------------------------

def test_the_catalogue_lists_each_kind_with_cost_stock_partner_limits_and_shelf(console_pages, shop, organiser):
    organiser.patch(f"/api/v1/rewards/{shop['umbrella']['id']}", {"active": False})
    html = text_of(console_pages.get("/console/rewards"))
    for words in ("物品", "物业费抵扣", "合作商家服务", "大米 5kg", "免费理发", "减免物业费", "老街理发店",
                  "振宇物业服务中心", "振宇社区 警网融合工作站", "每月每人限兑 1", "不限量", "已下架",
                  "每积分抵 1.00 元"):
        assert words in html, words
    goods = html[html.index('data-testid="kind-goods"'):html.index('data-testid="kind-fee_deduction"')]
    assert "大米 5kg" in goods and "免费理发" not in goods and ">20<" in goods


def test_an_organiser_puts_a_reward_of_each_kind_on_the_shelf(console_pages, shop, organiser):
    goods = console_pages.submit("/console/rewards/new?kind=goods", name="食用油 5L", cost="400", stock="30",
                                 per_member_limit="2", period="year")
    assert goods.status_code == 303 and goods.location == "/console/rewards"
    service = console_pages.submit("/console/rewards/new?kind=service", name="洗剪吹", cost="150",
                                   partner_id=str(shop["barber"]["id"]))
    fee = console_pages.submit("/console/rewards/new?kind=fee_deduction", name="物业费抵扣(年)", cost="50",
                               partner_id=str(shop["estate"]["id"]), fen_per_point="0.50",
                               household_cap_fen="200", household_cap_period="year")
    assert service.status_code == fee.status_code == 303
    oil, cut, deduction = (reward_in_api(organiser, name) for name in ("食用油 5L", "洗剪吹", "物业费抵扣(年)"))
    assert (oil["kind"], oil["cost"], oil["stock"], oil["per_member_limit"], oil["period"]) == ("goods", 400, 30, 2,
                                                                                               "year")
    assert oil["partner_id"] == reward_in_api(organiser, "大米 5kg")["partner_id"]  # the workstation
    assert (cut["kind"], cut["partner_id"], cut["stock"]) == ("service", shop["barber"]["id"], None)
    assert (deduction["fen_per_point"], deduction["household_cap_fen"], deduction["household_cap_period"]) == (
        50, 20000, "year")
    assert "已上架：物业费抵扣(年)" in text_of(console_pages.get("/console/rewards"))  # the last one made


def test_a_reward_form_missing_what_its_kind_needs_says_which_field_and_stocks_nothing(console_pages, shop,
                                                                                      organiser):
    refused = console_pages.submit("/console/rewards/new?kind=fee_deduction", name="抵扣", cost="10",
                                   fen_per_point="1.00")
    assert refused.status_code == 422
    assert "请选择服务本社区的合作商家。" in text_of(refused)
    typo = console_pages.submit("/console/rewards/new?kind=goods", name="水杯", cost="十", stock="-1")
    assert typo.status_code == 422
    assert "积分要填 1 到 1000000 之间的整数。" in text_of(typo) and "库存要填 0 或正整数" in text_of(typo)
    assert 'value="水杯"' in typo.get_data(as_text=True)  # what was typed stays
    names = [item["name"] for item in organiser.get("/api/v1/rewards").json["items"]]
    assert "抵扣" not in names and "水杯" not in names
    assert console_pages.get("/console/rewards/new?kind=stocks").status_code == 404


def test_an_organiser_restocks_reprices_shelves_and_unlimits_a_reward(console_pages, shop, organiser):
    rice = shop["rice"]["id"]
    page = f"/console/rewards/{rice}"
    assert 'value="20"' in console_pages.get(page).get_data(as_text=True)
    changed = console_pages.submit(page, cost="350", stock="45")  # no `active`: the box unticked, shelved
    assert changed.status_code == 303
    now = organiser.get(f"/api/v1/rewards/{rice}").json
    assert (now["cost"], now["stock"], now["active"]) == (350, 45, False)
    console_pages.submit(page, cost="350", stock="", active="on")
    now = organiser.get(f"/api/v1/rewards/{rice}").json
    assert (now["stock"], now["active"]) == (None, True)
    refused = console_pages.submit(page, cost="0", stock="3", active="on")
    assert refused.status_code == 422 and "积分要填" in text_of(refused)
    assert organiser.get(f"/api/v1/rewards/{rice}").json["cost"] == 350


def test_pressing_save_twice_changes_the_reward_once(console_pages, shop, organiser):
    page = f"/console/rewards/{shop['rice']['id']}"
    fields = {**console_pages.hidden(page), "cost": "310", "stock": "7", "active": "on"}
    first = console_pages.client.post(page, data=fields)
    organiser.patch(f"/api/v1/rewards/{shop['rice']['id']}", {"stock": 9})  # someone restocks meanwhile
    second = console_pages.client.post(page, data=fields)
    assert first.status_code == second.status_code == 303
    assert organiser.get(f"/api/v1/rewards/{shop['rice']['id']}").json["stock"] == 9


# Partners ---------------------------------------------------------------------------------

def test_partners_are_listed_with_kind_communities_and_their_clerks_accounts(console_pages, shop, staff):
    staff("partner", name="理发店 小李", partner_id=shop["barber"]["id"])
    html = text_of(console_pages.get("/console/partners"))
    for words in ("老街理发店", "商店", "振宇物业服务中心", "物业公司", "振宇社区", "理发店 小李 13700000002"):
        assert words in html, words
    assert 'href="/console/staff"' in html
    one = text_of(console_pages.get(f"/console/partners/{shop['barber']['id']}"))
    assert "理发店 小李" in one and "管理店员账号" in one and "月度结算" in one


def test_an_organiser_signs_a_partner_for_their_own_community_only(console_pages, community, organiser,
                                                                    other_community):
    b, _ = other_community
    made = console_pages.submit("/console/partners", name="社区卫生站", kind="clinic",
                                community_ids=str(community["id"]))
    assert made.status_code == 303
    listed = {item["name"]: item for item in organiser.get("/api/v1/partners").json["items"]}
    assert listed["社区卫生站"]["kind"] == "clinic" and listed["社区卫生站"]["community_ids"] == [community["id"]]
    assert made.location == f"/console/partners/{listed['社区卫生站']['id']}"
    refused = console_pages.submit("/console/partners", name="越界商店", kind="shop", community_ids=str(b["id"]))
    assert refused.status_code == 403
    empty = console_pages.submit("/console/partners", name="", kind="shop", community_ids=str(community["id"]))
    assert empty.status_code == 422
    names = [item["name"] for item in organiser.get("/api/v1/partners").json["items"]]
    assert "越界商店" not in names


def test_a_partners_month_shows_its_settlement_and_downloads_it_as_excel(console_pages, shop, funded, clock):
    member, phone = funded
    haircut = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": haircut["voucher_code"]}, expect=200)
    page = f"/console/partners/{shop['barber']['id']}"
    html = text_of(console_pages.get(page))
    assert 'data-testid="count">1<' in html and 'data-testid="points">200<' in html
    assert f"{page}/settlement.xlsx?month=2026-11" in html
    rows = rows_of(console_pages.get(f"{page}/settlement.xlsx?month=2026-11"))
    assert rows[0][:5] == ["兑换单号", "券码", "志愿者", "手机", "奖品"]
    assert rows[1][1:3] == [haircut["voucher_code"], "陈元龙"] and rows[1][7] == 200
    assert rows[-1][0] == "合计" and rows[-1][6:8] == [1, 200] and len(rows) == 3
    assert len(rows_of(console_pages.get(f"{page}/settlement.xlsx?month=2026-10"))) == 2  # header, totals
    assert console_pages.get(f"{page}?month=November").status_code == 404


# Vouchers ---------------------------------------------------------------------------------

def test_vouchers_are_listed_by_status_and_partner_and_station_goods_link_to_the_counter(
        console_pages, shop, funded):
    member, phone = funded
    rice = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json
    haircut = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": haircut["voucher_code"]}, expect=200)
    everything = text_of(console_pages.get("/console/vouchers"))
    assert "大米 5kg" in everything and "免费理发" in everything and "陈元龙" in everything
    assert "待使用" in everything and "已使用" in everything
    assert f'/counter/voucher?code={rice["voucher_code"]}' in everything
    assert f'/counter/voucher?code={haircut["voucher_code"]}' not in everything  # the barber's, and used
    held = text_of(console_pages.get("/console/vouchers?status=reserved"))
    assert "大米 5kg" in held and "免费理发" not in held
    barbers = text_of(console_pages.get(f"/console/vouchers?partner_id={shop['barber']['id']}"))
    assert "免费理发" in barbers and "大米 5kg" not in barbers
    assert "核销台" in everything and "核销台" not in barbers  # the hint only beside a voucher to hand over
    one = text_of(console_pages.get(f"/console/vouchers/{rice['id']}"))
    assert "大米 5kg" in one and member["phone"] in one and "去核销" in one
    assert console_pages.get("/console/vouchers?status=lost").status_code == 404


def test_an_organiser_fulfils_workstation_goods_at_the_counter_from_the_console(console_pages, shop, funded):
    _, phone = funded
    rice = phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json
    counter = f"/counter/voucher?code={rice['voucher_code']}"
    assert "确认核销" in text_of(console_pages.get(counter))
    done = console_pages.submit(counter, "/counter/fulfil", code=rice["voucher_code"])
    assert done.status_code == 303
    assert "核销成功" in text_of(console_pages.get(done.location))
    used = text_of(console_pages.get(f"/console/vouchers/{rice['id']}"))
    assert "已使用" in used
    assert "<dt>经办</dt><dd>组织者 罗塘派出所 民警" in used  # who handed it over, in words


# Reports ----------------------------------------------------------------------------------

@pytest.fixture
def ranked(organiser, enrol, rules, clock):
    """Three members of two teams with 150, 100 and 50 points (rule 巡逻服务时间)."""
    made = []
    for name, team, points in (("李娜", "一队", 150), (FORMULA_NAME, "二队", 100), ("张伟", "一队", 50)):
        member, _ = enrol(name=name, team=team)
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": points},
                       expect=201)
        made.append(member)
    return made


def test_the_reports_page_shows_the_leaderboard_summary_charts_and_annual_ranking(console_pages, ranked):
    html = text_of(console_pages.get("/console/reports"))
    board = html[html.index('data-testid="leaderboard"'):html.index('id="summary"')]
    assert board.index("李娜") < board.index(FORMULA_NAME) < board.index("张伟")
    assert 'data-testid="summary-issued">300<' in html
    assert html.count("<canvas") == 2  # by rule and active/new by month (nothing was spent or checked in)
    assert "巡逻服务时间" in html and "2026-01" in html and "2026-11" in html
    assert "2026 年度优秀志愿者" in html and 'data-testid="annual"' in html
    team = text_of(console_pages.get("/console/reports?team=一队&period=year"))
    board = team[team.index('data-testid="leaderboard"'):team.index('id="summary"')]
    assert "李娜" in board and "张伟" in board and FORMULA_NAME not in board
    assert console_pages.get("/console/reports?period=decade").status_code == 400
    assert console_pages.get("/console/reports?from_month=soon").status_code == 400


def test_the_leaderboard_export_holds_the_boards_rows_with_formulas_neutralised(console_pages, ranked):
    rows = rows_of(console_pages.get("/console/reports/leaderboard.xlsx?period=month"))
    assert rows[0] == ["名次", "志愿者", "队伍", "积分", "服务时长(小时)"]
    assert [row[:4] for row in rows[1:]] == [[1, "李娜", "一队", 150], [2, FORMULA_NAME, "二队", 100],
                                             [3, "张伟", "一队", 50]]  # shown as typed, held as text (quotePrefix)
    team = rows_of(console_pages.get("/console/reports/leaderboard.xlsx?team=二队"))
    assert [row[1] for row in team[1:]] == [FORMULA_NAME]
    assert console_pages.get("/console/reports/leaderboard.xlsx?rank_by=height").status_code == 400


def test_the_annual_and_summary_exports_hold_the_years_ranking_and_the_months_figures(console_pages, ranked):
    annual = rows_of(console_pages.get("/console/reports/annual.xlsx?year=2026"))
    assert annual[0][:4] == ["名次", "姓名", "队伍", "积分"]
    assert [row[1] for row in annual[1:]] == ["李娜", FORMULA_NAME, "张伟"]
    assert len(rows_of(console_pages.get("/console/reports/annual.xlsx?year=2025"))) == 1
    summary = rows_of(console_pages.get("/console/reports/summary.xlsx?from_month=2026-11&to_month=2026-11"))
    assert summary[0][:4] == ["类别", "项目", "积分", "次数/人数"]
    assert ["合计", "发放积分", 300] == summary[1][:3]
    assert ["按规则发放", "巡逻服务时间", 300, 3] == summary[5][:4]
    assert ["新志愿者", "2026-11", None, 3] in [row[:4] for row in summary]


def test_an_admin_picks_the_community_a_report_is_of(pages, staff, community, ranked):
    admin_pages = pages().sign_in(staff("admin"), "password1")
    assert "请先在左侧选择社区" in text_of(admin_pages.get("/console/reports"))
    picked = text_of(admin_pages.get(f"/console/reports?community_id={community['id']}"))
    assert "李娜" in picked
    rows = rows_of(admin_pages.get("/console/reports/leaderboard.xlsx"))  # the pick is remembered
    assert rows[1][1] == "李娜"


# Tenant isolation -------------------------------------------------------------------------

def isolated_urls(b) -> list[str]:
    partner, reward, voucher = b["partner"]["id"], b["reward"]["id"], b["voucher"]["id"]
    return [f"/console/rewards/{reward}", f"/console/partners/{partner}",
            f"/console/partners/{partner}/settlement.xlsx?month=2026-11", f"/console/vouchers/{voucher}",
            f"/console/vouchers?partner_id={partner}", f"/console/rewards?community_id={b['community']['id']}",
            f"/console/reports?community_id={b['community']['id']}",
            f"/console/reports/leaderboard.xlsx?community_id={b['community']['id']}"]


B_WORDS = ("幸福里药店", "幸福里毛巾", "幸福里王五", "13800009999", "幸福里")


def test_an_organiser_given_another_communitys_ids_gets_the_refusal_page_and_none_of_its_data(
        console_pages, shop, community_b):
    for url in isolated_urls(community_b):
        refused = console_pages.get(url)
        assert refused.status_code in (403, 404), url
        assert not any(words in text_of(refused) for words in B_WORDS), url


def test_another_communitys_reward_cannot_be_changed_from_the_console(console_pages, shop, community_b):
    b_reward = community_b["reward"]["id"]
    own = console_pages.hidden(f"/console/rewards/{shop['rice']['id']}")  # a valid form of A's
    refused = console_pages.client.post(f"/console/rewards/{b_reward}", data={**own, "cost": "1", "active": "on"})
    assert refused.status_code == 404
    assert community_b["organiser"].get(f"/api/v1/rewards/{b_reward}").json["cost"] == 10


def test_the_console_lists_show_none_of_another_communitys_rewards_partners_vouchers_or_members(
        console_pages, shop, funded, community_b):
    for url in ("/console/rewards", "/console/partners", "/console/vouchers", "/console/reports",
                "/console/rewards/new?kind=service"):
        page = console_pages.get(url)
        assert page.status_code == 200, url
        assert not any(words in text_of(page) for words in B_WORDS), url
    sheet = rows_of(console_pages.get("/console/reports/leaderboard.xlsx?period=all"))
    assert "幸福里王五" not in [row[1] for row in sheet]


def test_the_shop_pages_are_for_staff_only(volunteer_pages, pages, shop):
    for url in ("/console/rewards", "/console/partners", "/console/vouchers", "/console/reports",
                f"/console/rewards/{shop['rice']['id']}", "/console/reports/leaderboard.xlsx"):
        assert volunteer_pages.get(url).status_code == 403, url
        assert re.match(r"/login\?next=", pages().get(url).location), url


def test_an_admin_stocks_the_picked_community_and_signs_a_partner_for_several(pages, staff, community, organiser,
                                                                               other_community):
    b, b_organiser = other_community
    admin_pages = pages().sign_in(staff("admin"), "password1")
    assert "新增奖品前，请先在左侧选择社区" in text_of(admin_pages.get("/console/rewards"))
    assert "新增物品" in text_of(admin_pages.get(f"/console/rewards?community_id={b['id']}"))
    made = admin_pages.submit("/console/rewards/new?kind=goods", name="幸福里雨衣", cost="80", stock="5")
    assert made.status_code == 303
    assert [item["name"] for item in b_organiser.get("/api/v1/rewards").json["items"]] == ["幸福里雨衣"]
    assert organiser.get("/api/v1/rewards").json["items"] == []
    signed = admin_pages.client.post("/console/partners", data={
        **admin_pages.hidden("/console/partners"), "name": "连锁药房", "kind": "clinic",
        "community_ids": [str(community["id"]), str(b["id"])]})
    assert signed.status_code == 303
    shared = next(item for item in organiser.get("/api/v1/partners").json["items"] if item["name"] == "连锁药房")
    assert shared["community_ids"] == [community["id"], b["id"]]
