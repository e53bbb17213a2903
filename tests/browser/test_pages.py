"""The volunteer's phone, the clerk's counter and the venue screen, in a real browser against a real server."""
import re
from datetime import timedelta

from ..helpers import decode_qr

WAIT = 10_000


def patrol_for(organiser, community, clock, **extra):
    body = {"rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"],
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat(), **extra}
    return organiser.post("/api/v1/activities", body, expect=201).json


def sign_in(page, server, phone, password, path="/"):
    page.goto(server + path)
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def wait_until(page, expression, what):
    """Until `expression` is true in the page (polled from here: the page's CSP forbids the eval
    wait_for_function uses)."""
    for _ in range(100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{what} never happened on {page.url}")


def wait_until_shown(page, selector):
    """Until the image has loaded."""
    wait_until(page, f"(document.querySelector({selector!r}) || {{}}).naturalWidth > 0", f"{selector} loading")


def wait_until_charts_drawn(page):
    """Until Chart.js has drawn every chart: the scripts are deferred, so a page's heading can show
    before they have run."""
    wait_until(page, """[...document.querySelectorAll('canvas[data-chart]')]
        .every((canvas) => Boolean(window.Chart && window.Chart.getChart(canvas)) && canvas.width > 0)""",
               "drawing the charts")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_volunteer_signs_in_and_checks_in_by_typing_the_code(live_server, phone, organiser, community, rules,
                                                               clock, volunteer, shot):
    member, _ = volunteer
    patrol = patrol_for(organiser, community, clock)
    sign_in(phone, live_server, member["phone"], "secret123")
    phone.get_by_test_id("available").wait_for(timeout=WAIT)
    assert phone.url.endswith("/me") and phone.get_by_test_id("available").inner_text() == "0"
    no_sideways_scroll(phone)
    shot(phone, "1-home")
    phone.get_by_role("link", name="扫码签到").click()
    phone.get_by_label("签到码").fill(patrol["checkin_url"])
    shot(phone, "2-scan")
    phone.get_by_role("button", name="签到", exact=True).click()
    phone.get_by_text("签到成功").wait_for(timeout=WAIT)
    phone.get_by_text("获得 50 积分").wait_for(timeout=WAIT)
    shot(phone, "3-checked-in")
    phone.get_by_role("link", name="返回我的积分").click()
    assert phone.get_by_test_id("available").inner_text() == "50"


def test_a_scanned_link_asks_to_sign_in_then_checks_in_and_a_second_scan_says_already(
        live_server, phone, organiser, community, rules, clock, volunteer, shot):
    member, _ = volunteer
    patrol = patrol_for(organiser, community, clock)
    path = patrol["checkin_url"].removeprefix("https://benniu.test")
    phone.goto(live_server + path)
    phone.get_by_label("手机号").wait_for(timeout=WAIT)
    shot(phone, "1-sign-in-first")
    phone.get_by_label("手机号").fill(member["phone"])
    phone.get_by_label("密码").fill("wrong-password")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_text("手机号或密码错误").wait_for(timeout=WAIT)
    phone.get_by_label("密码").fill("secret123")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_text("签到成功").wait_for(timeout=WAIT)
    shot(phone, "2-checked-in")
    phone.goto(live_server + path)
    phone.get_by_text("您已经签到过本次活动").wait_for(timeout=WAIT)
    shot(phone, "3-already")


def test_checking_in_through_the_camera(live_server, driver, organiser, community, rules, clock, volunteer, shot,
                                        tmp_path):
    from .camera import y4m_from_png
    from .conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE

    member, _ = volunteer
    patrol = patrol_for(organiser, community, clock)
    video = y4m_from_png(organiser.get(f"/api/v1/activities/{patrol['id']}/qr.png").data, tmp_path / "qr.y4m")
    camera = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera.new_context(**PHONE, permissions=["camera"])
        page = context.new_page()
        sign_in(page, live_server, member["phone"], "secret123", "/scan")
        page.get_by_role("button", name="打开相机扫码").click()
        page.get_by_text("签到成功").wait_for(timeout=20_000)
        shot(page, "checked-in-by-camera")
        page.get_by_text("获得 50 积分").wait_for(timeout=WAIT)
    finally:
        camera.close()


def test_the_supermarket_redeems_each_kind_and_a_voucher_is_shown_and_cancelled(
        live_server, phone, organiser, volunteer, shop, shot):
    member, volunteer_phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 1500}, expect=201)
    sign_in(phone, live_server, member["phone"], "secret123")
    phone.get_by_role("link", name="积分超市").click()
    phone.get_by_text("物业费抵扣").wait_for(timeout=WAIT)
    no_sideways_scroll(phone)
    shot(phone, "1-shop")

    phone.get_by_role("link", name=re.compile("大米 5kg")).click()
    phone.get_by_label("数量").fill("2")
    shot(phone, "2-goods")
    phone.get_by_role("button", name="确认兑换").click()
    phone.get_by_test_id("voucher-code").wait_for(timeout=WAIT)
    shot(phone, "3-goods-voucher")

    phone.goto(live_server + f"/shop/{shop['fee']['id']}")
    phone.get_by_label("户号").fill("3栋2单元502")
    phone.get_by_label("积分").fill("300")
    phone.get_by_role("button", name="确认兑换").click()
    phone.get_by_text("300.00 元").wait_for(timeout=WAIT)
    shot(phone, "4-fee-voucher")

    phone.goto(live_server + f"/shop/{shop['haircut']['id']}")
    phone.get_by_role("button", name="确认兑换").click()
    code = phone.get_by_test_id("voucher-code").inner_text()
    wait_until_shown(phone, "img.qr")
    shot(phone, "5-service-voucher")
    phone.get_by_role("button", name="取消兑换").click()
    phone.get_by_text("已取消").first.wait_for(timeout=WAIT)
    shot(phone, "6-cancelled")
    assert code in phone.content()

    phone.goto(live_server + "/me")
    assert phone.get_by_test_id("available").inner_text() == str(1500 - 600 - 300)
    assert phone.get_by_test_id("held").inner_text() == "900"
    phone.get_by_role("link", name="我的兑换").click()
    shot(phone, "7-my-vouchers")
    statuses = [item["status"] for item in volunteer_phone.get("/api/v1/redemptions").json["items"]]
    assert sorted(statuses) == ["cancelled", "reserved", "reserved"]


def test_a_tip_is_submitted_and_listed_and_the_card_and_history_show(live_server, phone, organiser, rules,
                                                                     volunteer, shot):
    member, _ = volunteer
    sign_in(phone, live_server, member["phone"], "secret123")
    phone.get_by_role("link", name="提交线索").click()
    phone.get_by_label("类型").select_option("rental_tip")
    phone.get_by_label("说明").fill("3栋502 新来的租户未登记")
    shot(phone, "1-new-tip")
    phone.get_by_role("button", name="提交").click()
    phone.get_by_text("待审核").wait_for(timeout=WAIT)
    shot(phone, "2-tips")
    phone.goto(live_server + "/me/card")
    phone.locator("img.qr").wait_for(timeout=WAIT)
    wait_until_shown(phone, "img.qr")
    shot(phone, "3-card")
    phone.goto(live_server + "/me/entries")
    phone.get_by_text("还没有积分记录").wait_for(timeout=WAIT)


def test_signing_out_closes_the_pages(live_server, phone, volunteer, shot):
    member, _ = volunteer
    sign_in(phone, live_server, member["phone"], "secret123")
    phone.get_by_role("button", name="退出").click()
    phone.get_by_label("手机号").wait_for(timeout=WAIT)
    for path in ("/me", "/me/vouchers", "/scan", "/shop"):
        phone.goto(live_server + path)
        assert "/login?next=" in phone.url
    shot(phone, "signed-out")


def test_the_venue_screen_shows_a_live_code_a_phone_can_read(live_server, browser, staff, organiser, community,
                                                             rules, clock, volunteer, shot):
    patrol = patrol_for(organiser, community, clock)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # Chinese pages
    screen = context.new_page()
    sign_in(screen, live_server, staff("organiser"), "password1", f"/activities/{patrol['id']}/screen")
    wait_until_shown(screen, "#live-code")
    path = shot(screen, "screen")
    context.close()
    url = decode_qr(path.read_bytes())
    _, volunteer_phone = volunteer
    checkin = volunteer_phone.post("/api/v1/checkins", {"code": url}, expect=201).json
    assert (checkin["method"], checkin["points"]) == ("live", 50)


def test_a_clerk_scans_a_voucher_and_fulfils_it(live_server, phone, staff, organiser, volunteer, shop, shot):
    member, volunteer_phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 300}, expect=201)
    voucher = volunteer_phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    scanned = decode_qr(volunteer_phone.get(f"/api/v1/redemptions/{voucher['id']}/voucher.png").data)
    clerk = staff("partner", partner_id=shop["barber"]["id"])
    sign_in(phone, live_server, clerk, "password1", scanned.removeprefix("https://benniu.test"))
    phone.get_by_text(voucher["voucher_display"]).wait_for(timeout=WAIT)
    shot(phone, "1-voucher")
    phone.get_by_role("button", name="确认核销").click()
    phone.get_by_text("核销成功").wait_for(timeout=WAIT)
    shot(phone, "2-fulfilled")
    phone.reload()
    phone.get_by_text("核销过").wait_for(timeout=WAIT)
    assert "核销成功" not in phone.content()
    shot(phone, "3-used")
    assert volunteer_phone.get(f"/api/v1/redemptions/{voucher['id']}").json["status"] == "fulfilled"


def test_every_volunteer_page_fits_a_360_px_phone_with_big_type_and_big_tap_targets(live_server, phone, volunteer,
                                                                                    organiser, shop, rules):
    member, volunteer_phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 300}, expect=201)
    voucher = volunteer_phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    sign_in(phone, live_server, member["phone"], "secret123")
    for path in ("/me", "/me/entries", "/scan", "/shop", f"/shop/{shop['fee']['id']}", "/me/vouchers",
                 f"/me/vouchers/{voucher['id']}", "/me/claims/new", "/me/claims", "/me/card", "/password",
                 f"/notice?community_id={member['community_id']}"):
        phone.goto(live_server + path)
        no_sideways_scroll(phone)
        assert phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16, path
        small = phone.evaluate("""[...document.querySelectorAll('a, button, input, select, textarea')]
            .filter((e) => e.offsetParent !== null && e.type !== 'hidden')
            .map((e) => [(e.textContent || e.name).trim(), e.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)""")
        assert small == [], (path, small)

