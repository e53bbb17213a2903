"""The organiser's console at a desk, in a real browser: define a rule, plan an activity (its place from
the browser's position), print its poster to an A4 PDF, and open the venue screen on the same session."""
import re

from ..helpers import decode_qr
from .test_pages import WAIT, sign_in, wait_until_shown

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN",
           "geolocation": {"latitude": 22.543096, "longitude": 114.057865}, "permissions": ["geolocation"]}


def test_an_organiser_defines_a_rule_plans_an_activity_prints_its_poster_and_opens_the_screen(
        live_server, browser, staff, organiser, community, clock, volunteer, shot):
    context = browser.new_context(**DESKTOP)
    desk = context.new_page()
    sign_in(desk, live_server, staff("organiser", name="罗塘派出所 民警"), "password1", "/console/rules")
    desk.get_by_role("link", name="新建规则").click()
    desk.get_by_label("代码").fill("night_watch")
    desk.get_by_label("名称").fill("夜间巡逻")
    desk.get_by_label("积分", exact=True).fill("30")
    desk.get_by_label("每日上限").fill("60")
    shot(desk, "1-new-rule")
    desk.get_by_role("button", name="保存").click()
    desk.get_by_text("已新建规则 夜间巡逻").wait_for(timeout=WAIT)
    desk.get_by_role("link", name="修改").click()
    desk.get_by_test_id("version-meaning").get_by_text("已经获得的积分不变").wait_for(timeout=WAIT)
    desk.get_by_label("积分", exact=True).fill("40")
    shot(desk, "2-edit-rule")
    desk.get_by_role("button", name="保存").click()
    desk.get_by_text("已保存为第 2 版").wait_for(timeout=WAIT)
    assert desk.get_by_test_id("versions").locator("tbody tr").count() == 2
    shot(desk, "3-rule-history")
    desk.get_by_role("link", name="返回规则列表").click()
    shot(desk, "4-rules")

    desk.get_by_role("link", name="活动签到").click()
    desk.get_by_role("link", name="新建活动").click()
    desk.get_by_role("button", name="使用当前位置").wait_for(timeout=WAIT)  # shown where the browser can locate
    desk.get_by_label("标题").fill("周五夜间治安巡逻")
    desk.get_by_label("积分规则").select_option("night_watch")
    desk.get_by_label("开始时间").fill(f"{clock.now():%Y-%m-%dT%H:%M}")
    desk.get_by_label("结束时间").fill(f"{clock.now():%Y-%m-%d}T19:30")  # before the start: said beside it
    desk.get_by_role("button", name="创建").click()
    desk.get_by_text("请填写结束时间，它要晚于开始时间").wait_for(timeout=WAIT)
    shot(desk, "5-refused")
    assert desk.get_by_label("标题").input_value() == "周五夜间治安巡逻"  # what was typed stays
    desk.get_by_label("结束时间").fill(f"{clock.now():%Y-%m-%d}T22:30")
    desk.get_by_role("button", name="使用当前位置").click()
    desk.get_by_text("已填入当前位置").wait_for(timeout=WAIT)
    assert desk.get_by_label("纬度").input_value() == "22.543096"
    desk.get_by_label("人数上限（可选）").fill("40")
    shot(desk, "5-new-activity-fixed")
    desk.get_by_role("button", name="创建").click()
    desk.get_by_text("活动已创建").wait_for(timeout=WAIT)
    activity_id = int(re.search(r"/console/activities/(\d+)$", desk.url).group(1))
    made = organiser.get(f"/api/v1/activities/{activity_id}").json
    assert made["location"]["radius_m"] == 200 and made["capacity"] == 40
    shot(desk, "6-activity")

    desk.get_by_role("link", name="打印二维码").click()
    wait_until_shown(desk, ".poster-qr")
    desk.get_by_role("button", name="打印").wait_for(timeout=WAIT)  # shown once the script runs
    shot(desk, "7-poster")
    assert decode_qr(desk.locator(".poster-qr").screenshot()) == made["checkin_url"]
    desk.emulate_media(media="print")
    desk.set_viewport_size({"width": 794, "height": 1123})  # an A4 sheet at 96 dpi
    path = shot(desk, "8-poster-print")
    pdf = desk.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 sheet
    (path.parent / f"{path.stem}.pdf").write_bytes(pdf)  # kept beside the screenshots, to look at
    desk.emulate_media(media="screen")
    desk.set_viewport_size(DESKTOP["viewport"])

    desk.get_by_role("link", name="返回活动").click()
    desk.get_by_role("link", name="签到大屏").click()
    wait_until_shown(desk, "#live-code")  # the console's session, no token
    path = shot(desk, "9-screen")
    member, phone = volunteer
    checkin = phone.post("/api/v1/checkins", {"code": decode_qr(path.read_bytes()),
                                              "lat": 22.5431, "lng": 114.0579}, expect=201).json
    assert (checkin["method"], checkin["points"]) == ("live", 40)
    desk.goto(f"{live_server}/console/activities")
    desk.get_by_role("link", name="周五夜间治安巡逻").click()
    desk.get_by_test_id("checkins").get_by_text(member["name"]).wait_for(timeout=WAIT)
    shot(desk, "10-checked-in")
    context.close()
