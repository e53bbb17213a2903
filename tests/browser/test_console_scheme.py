"""The whole scheme from a desk, in a real browser on a real server: an organiser defines a rule
and an activity, opens its poster and screen; a volunteer (a second browser) checks in from the
screen's code and files a tip; the organiser reviews it, reverses an award, imports a roster and a
typed-up paper points book (bad rows shown, not applied) and exports the leaderboard."""
import io
import re
from datetime import timedelta

import openpyxl

from ..helpers import decode_qr, xlsx
from .conftest import PHONE
from .test_counter import DESKTOP
from .test_pages import WAIT, sign_in, wait_until_shown


def test_an_organiser_runs_a_week_of_the_scheme_from_the_console(live_server, browser, staff, organiser, community,
                                                                 rules, clock, volunteer, shot, tmp_path):
    member, _ = volunteer
    desk_context = browser.new_context(**DESKTOP, accept_downloads=True)
    desk = desk_context.new_page()
    errors = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(desk, live_server, staff("organiser", name="罗塘派出所 民警", sees_tips=True), "password1", "/console")
    desk.get_by_role("heading", name="今日概览").wait_for(timeout=WAIT)

    # A rule and an activity under it.
    desk.get_by_role("link", name="积分规则").click()
    desk.get_by_role("link", name="新建规则").click()
    desk.get_by_label("代码").fill("leaflet")
    desk.get_by_label("名称").fill("反诈宣传")
    desk.get_by_label("积分", exact=True).fill("50")
    desk.get_by_role("button", name="保存").click()
    desk.get_by_text("已新建规则 反诈宣传").wait_for(timeout=WAIT)
    desk.get_by_role("link", name="活动签到").click()
    desk.get_by_role("link", name="新建活动").click()
    desk.get_by_label("标题").fill("周六反诈宣传")
    desk.get_by_label("积分规则").select_option("leaflet")
    start = clock.now()  # in the service's zone
    desk.get_by_label("开始时间").fill(f"{start - timedelta(minutes=5):%Y-%m-%dT%H:%M}")
    desk.get_by_label("结束时间").fill(f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    desk.get_by_role("button", name="创建").click()
    desk.get_by_text("活动已创建").wait_for(timeout=WAIT)
    activity_page = desk.url
    desk.get_by_role("link", name="打印二维码").click()
    wait_until_shown(desk, ".poster-qr")
    shot(desk, "1-poster")
    desk.goto(activity_page)
    desk.get_by_role("link", name="签到大屏").click()
    wait_until_shown(desk, "#live-code")
    screen_code = decode_qr(shot(desk, "2-screen").read_bytes())

    # A volunteer, on their own phone, types the screen's code and files a tip.
    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    sign_in(phone, live_server, member["phone"], "secret123", "/scan")
    phone.get_by_label("签到码").fill(screen_code)
    phone.get_by_role("button", name="签到", exact=True).click()
    phone.get_by_text("签到成功").wait_for(timeout=WAIT)
    shot(phone, "3-checked-in")
    phone.goto(live_server + "/me/claims/new")
    phone.get_by_label("类型").select_option("rental_tip")
    phone.get_by_label("说明").fill("幸福里3栋502 新来的租户没有登记")
    phone.get_by_role("button", name="提交").click()
    phone.get_by_text("幸福里3栋502").wait_for(timeout=WAIT)

    # The organiser sees the check-in, approves the tip, and reverses the leaflet award.
    desk.goto(activity_page)
    desk.get_by_test_id("checkins").get_by_text(member["name"]).wait_for(timeout=WAIT)
    desk.get_by_role("link", name="线索审核").click()
    desk.get_by_text("新来的租户没有登记").wait_for(timeout=WAIT)
    shot(desk, "4-claims")
    desk.get_by_role("button", name="通过").click()
    desk.get_by_text(f"已通过：{member['name']} 获得 50 积分。").wait_for(timeout=WAIT)
    desk.get_by_role("link", name="志愿者", exact=True).click()
    desk.get_by_role("link", name=member["name"]).first.click()
    desk.get_by_role("link", name="撤销").first.click()  # newest first: the tip's award
    desk.get_by_label("撤销原因").fill("线索重复，已由网格员登记")
    desk.get_by_role("button", name="撤销").click()
    desk.get_by_text("已撤销 50 积分。").wait_for(timeout=WAIT)
    shot(desk, "5-member")
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50

    # A roster and a paper points book, each with a bad row that is shown and not applied.
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(xlsx(("姓名", "手机号", "队伍"), [("王秀英", "13700001111", "平安妈妈"),
                                                        ("李建国", "待补", "红袖标")]))
    desk.goto(live_server + "/console/members")
    desk.get_by_role("link", name="导入").click()
    desk.get_by_text("导入的志愿者还没有登录密码", exact=False).wait_for(timeout=WAIT)
    shot(desk, "6-roster-upload")
    import_sheet(desk, roster, "确认导入", "6-roster-preview", shot)
    desk.get_by_text(re.compile("未通过检查 1 行")).wait_for(timeout=WAIT)
    desk.goto(live_server + "/console/members?q=王秀英")
    desk.get_by_role("link", name="王秀英").click()
    no_password = desk.get_by_test_id("no-password")
    no_password.wait_for(timeout=WAIT)
    shot(desk, "6-roster-member")
    assert "还没有登录密码" in no_password.inner_text()
    book = tmp_path / "积分簿.xlsx"
    day = f"{clock.now():%Y-%m-%d}"
    book.write_bytes(xlsx(("手机号", "规则", "日期", "积分", "备注"), [
        ("13700001111", "反诈宣传", day, None, "11月 宣传"), (member["phone"], "patrol", day, 30, "夜巡补录"),
        (member["phone"], "没有这个规则", day, 10, ""), ("=HYPERLINK(\"http://x\")", "patrol", day, 10, "")]))
    desk.goto(live_server + "/console/awards/batch")
    import_sheet(desk, book, "确认发放", "7-book-preview", shot)
    desk.get_by_text(re.compile("未通过检查 2 行")).wait_for(timeout=WAIT)
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 80

    # The leaderboard, exported.
    desk.get_by_role("link", name="报表", exact=True).click()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="导出Excel").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    shot(desk, "8-reports")
    desk_context.close()
    phone_context.close()
    assert member["name"] in names and "王秀英" in names
    assert errors == []


def import_sheet(desk, sheet, confirm: str, screenshot: str, shot) -> None:
    """On an import page: upload the sheet, look at its checked preview, then confirm it."""
    desk.get_by_label("Excel 文件（.xlsx）").set_input_files(str(sheet))
    desk.get_by_role("button", name="上传").click()
    desk.get_by_role("button", name=confirm).wait_for(timeout=WAIT)
    shot(desk, screenshot)
    desk.get_by_role("button", name=confirm).click()
