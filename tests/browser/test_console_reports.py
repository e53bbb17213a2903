"""The console's reports and catalogue in a real browser at a desktop's size: the charts draw (Chart.js,
no CSP error), the leaderboard downloads as Excel, and the pages are kept as screenshots."""
from io import BytesIO

import openpyxl

from .test_pages import WAIT, no_sideways_scroll, sign_in, wait_until_charts_drawn

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}


def test_an_organiser_reads_the_reports_with_charts_and_downloads_the_leaderboard(
        live_server, browser, staff, organiser, enrol, rules, shop, shot):
    for name, team, points in (("李娜", "一队", 150), ("王芳", "二队", 100), ("张伟", "一队", 50)):
        member, _ = enrol(name=name, team=team)
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": points},
                       expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": 50}, expect=201)
    context = browser.new_context(**DESKTOP, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" and not
            message.location.get("url", "").endswith("/favicon.ico") else None)  # the browser's own ask
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(page, live_server, staff("organiser", name="罗塘派出所 民警"), "password1", "/console/reports")
        page.get_by_role("heading", name="排行榜").wait_for(timeout=WAIT)
        canvases = page.locator("canvas[data-chart]")
        assert canvases.count() == 2  # by rule, and volunteers by month (nothing spent or checked in yet)
        wait_until_charts_drawn(page)
        labels = page.evaluate("window.Chart.getChart(document.querySelector('canvas[data-chart]')).data.labels")
        assert sorted(labels) == ["参与治安巡逻", "巡逻服务时间"]
        no_sideways_scroll(page)
        shot(page, "1-reports")
        with page.expect_download() as download:
            page.locator("#leaderboard").get_by_role("link", name="导出Excel").click()
        assert download.value.suggested_filename.endswith(".xlsx")
        rows = list(openpyxl.load_workbook(BytesIO(open(download.value.path(), "rb").read())).active.values)
        assert [row[:4] for row in rows[1:]] == [("名次", "志愿者", "队伍", "积分"), (1, "李娜", "一队", 150),
                                             (2, "王芳", "二队", 100), (2, "张伟", "一队", 100)]
        page.goto(live_server + "/console/rewards")
        page.get_by_role("heading", name="合作商家服务").wait_for(timeout=WAIT)
        no_sideways_scroll(page)
        shot(page, "2-rewards")
        page.get_by_role("link", name="新增物业费抵扣").click()
        page.get_by_label("每积分抵扣(元)").wait_for(timeout=WAIT)
        shot(page, "3-new-fee-deduction")
        assert errors == [], errors
    finally:
        context.close()
