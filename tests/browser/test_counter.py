"""The partner's counter in a real browser, at a phone's and a counter PC's size: look up, see, fulfil once,
the receipt, refusals, and the month's settlement with its Excel download."""
from io import BytesIO

import openpyxl
import pytest

from .conftest import PHONE
from .test_pages import WAIT, no_sideways_scroll, sign_in

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(params=VIEWPORTS)
def screen(request, browser):
    """A fresh browser at a phone's or a desktop's size, and a way to open a second one (another browser)."""
    contexts = []

    def open_browser():
        context = browser.new_context(**VIEWPORTS[request.param])
        contexts.append(context)
        return context.new_page()
    yield request.param, open_browser
    for context in contexts:
        context.close()


def vouchers(volunteer, organiser, shop, *rewards):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 900}, expect=201)
    return [phone.post("/api/v1/redemptions", body, expect=201).json for body in rewards]


def big_enough(page):
    """16 px text and 44 px tap targets, no sideways scrolling of the page."""
    no_sideways_scroll(page)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16, page.url
    small = page.evaluate("""[...document.querySelectorAll('a, button, input, select, textarea')]
        .filter((e) => e.offsetParent !== null && e.type !== 'hidden')
        .map((e) => [(e.textContent || e.name).trim(), e.getBoundingClientRect().height])
        .filter(([, height]) => height < 44)""")
    assert small == [], (page.url, small)


def look_up(page, code):
    page.get_by_label("兑换码", exact=True).fill(code)
    page.get_by_role("button", name="查询").click()


def test_a_clerk_types_a_code_sees_it_fulfils_it_and_a_second_attempt_is_already_used(
        live_server, screen, staff, organiser, volunteer, shop, shot):
    size, open_browser = screen
    haircut, = vouchers(volunteer, organiser, shop, {"reward_id": shop["haircut"]["id"]})
    clerk = staff("partner", partner_id=shop["barber"]["id"])
    page, other = open_browser(), open_browser()
    for each in (page, other):
        sign_in(each, live_server, clerk, "password1", "/counter")
        each.get_by_label("兑换码", exact=True).wait_for(timeout=WAIT)
    shot(page, f"{size}-1-counter")
    for each in (page, other):
        look_up(each, haircut["voucher_display"].lower())
        each.get_by_role("button", name="确认核销").wait_for(timeout=WAIT)
    assert "免费理发" in page.content() and "陈*龙" in page.content()
    big_enough(page)
    shot(page, f"{size}-2-voucher")
    page.get_by_role("button", name="确认核销").click()
    page.get_by_text("核销成功").wait_for(timeout=WAIT)
    receipt_no = page.get_by_test_id("receipt-no").inner_text()
    shot(page, f"{size}-3-fulfilled")
    page.get_by_role("link", name="查看并打印回执").click()
    page.get_by_text("核销回执").first.wait_for(timeout=WAIT)
    assert page.get_by_test_id("receipt-no").inner_text() == receipt_no
    shot(page, f"{size}-4-receipt")
    page.emulate_media(media="print")
    shot(page, f"{size}-5-receipt-print")
    assert page.evaluate("getComputedStyle(document.querySelector('.bar')).display") == "none"
    page.emulate_media(media="screen")
    page.go_back()
    page.reload()
    page.get_by_text("核销过").wait_for(timeout=WAIT)
    assert "核销成功" not in page.content() and page.get_by_role("button", name="确认核销").count() == 0
    other.get_by_role("button", name="确认核销").click()  # the second browser's form, rendered before the fulfilment
    other.get_by_text("核销过").wait_for(timeout=WAIT)
    assert "核销成功" not in other.content()
    shot(other, f"{size}-6-already-used")
    assert shop["barber_clerk"].get(f"/api/v1/vouchers/{haircut['voucher_code']}").json["receipt_no"] == int(
        receipt_no)


def test_another_partners_voucher_and_an_expired_one_are_refused(live_server, screen, staff, organiser, volunteer,
                                                                  shop, clock, shot):
    size, open_browser = screen
    haircut, fee = vouchers(volunteer, organiser, shop, {"reward_id": shop["haircut"]["id"]},
                            {"reward_id": shop["fee"]["id"], "points": 100, "household": "3-201"})
    page = open_browser()
    sign_in(page, live_server, staff("partner", partner_id=shop["estate"]["id"]), "password1", "/counter")
    look_up(page, haircut["voucher_display"])
    page.get_by_text("这张兑换券属于 老街理发店，不是本店的").wait_for(timeout=WAIT)
    assert page.get_by_role("button", name="确认核销").count() == 0
    shot(page, f"{size}-1-another-partners")
    look_up(page, "ZZZZ-ZZZZ")
    page.get_by_text("没有这个兑换码").wait_for(timeout=WAIT)
    clock.advance(days=400)
    page = open_browser()
    sign_in(page, live_server, staff("partner", partner_id=shop["estate"]["id"]), "password1", "/counter")
    look_up(page, fee["voucher_display"])
    page.get_by_text("过期，不能再使用").wait_for(timeout=WAIT)
    assert page.get_by_role("button", name="确认核销").count() == 0 and "100.00" in page.content()
    assert page.get_by_test_id("status").inner_text() == "已过期"
    shot(page, f"{size}-2-expired")


def test_the_months_settlement_matches_the_fulfilments_and_its_excel_opens(live_server, screen, staff, organiser,
                                                                          volunteer, shop, clock, shot):
    size, open_browser = screen
    fees = vouchers(volunteer, organiser, shop, *[{"reward_id": shop["fee"]["id"], "points": 100, "household": room}
                                                  for room in ("3-201", "3-201", "5-102")])
    page = open_browser()
    sign_in(page, live_server, staff("partner", partner_id=shop["estate"]["id"]), "password1", "/counter")
    for fee in fees:
        look_up(page, fee["voucher_display"])
        page.get_by_role("button", name="确认核销").click()
        page.get_by_text("核销成功").wait_for(timeout=WAIT)
    page.goto(live_server + "/counter")
    assert page.locator("table.lines tbody tr").count() == 3
    big_enough(page)
    shot(page, f"{size}-1-today")
    page.get_by_role("link", name="月度结算").click()
    page.get_by_text("按房号汇总").wait_for(timeout=WAIT)
    assert (page.get_by_test_id("count").inner_text(), page.get_by_test_id("points").inner_text(),
            page.get_by_test_id("yuan").inner_text()) == ("3", "300", "300.00")
    big_enough(page)
    shot(page, f"{size}-2-settlement")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    rows = list(openpyxl.load_workbook(BytesIO(open(download.value.path(), "rb").read())).active.values)
    assert len(rows) == 6 and rows[-1][0] == "合计" and rows[-1][6:9] == (3, 300, 300)  # a title row first
    assert sorted(row[1] for row in rows[2:5]) == sorted(fee["voucher_code"] for fee in fees)


def test_a_clerks_phone_camera_reads_the_voucher_qr(live_server, driver, staff, organiser, volunteer, shop, shot,
                                                     tmp_path):
    from .camera import y4m_from_png
    from .conftest import CHROMIUM, CHROMIUM_FLAGS

    haircut, = vouchers(volunteer, organiser, shop, {"reward_id": shop["haircut"]["id"]})
    png = volunteer[1].get(f"/api/v1/redemptions/{haircut['id']}/voucher.png").data
    video = y4m_from_png(png, tmp_path / "voucher.y4m")
    camera = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        page = camera.new_context(**PHONE, permissions=["camera"]).new_page()
        sign_in(page, live_server, staff("partner", partner_id=shop["barber"]["id"]), "password1", "/counter")
        page.get_by_role("button", name="打开相机扫码").click()
        page.get_by_role("button", name="确认核销").wait_for(timeout=20_000)
        assert haircut["voucher_display"] in page.content() and "免费理发" in page.content()
        shot(page, "scanned")
    finally:
        camera.close()
