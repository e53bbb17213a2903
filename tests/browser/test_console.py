"""The organiser's console in a real browser at a desktop's size."""
from datetime import timedelta

from rewards.vouchers import display

from .test_counter import DESKTOP
from .test_pages import WAIT, patrol_for, sign_in, wait_until_charts_drawn


def test_today_at_a_glance_draws_its_chart_under_the_pages_csp(live_server, browser, staff, organiser, volunteer,
                                                              rules, shot):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, staff("organiser"), "password1", "/console")
    page.get_by_role("heading", name="今日概览").wait_for(timeout=WAIT)
    assert page.get_by_test_id("issued-month").inner_text() == "50"
    assert page.locator("canvas[data-chart]").count() == 1
    wait_until_charts_drawn(page)
    shot(page, "today")
    context.close()
    assert errors == []


def test_an_award_on_public_notice_is_withdrawn_from_the_members_page(live_server, browser, staff, organiser,
                                                                     volunteer, rules, shot):
    member, _ = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip"}, expect=201)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, staff("organiser"), "password1", f"/console/members/{member['id']}")
    on_notice = page.get_by_test_id("on-notice")
    on_notice.get_by_text("提供有效出租房线索").wait_for(timeout=WAIT)
    shot(page, "member")
    on_notice.get_by_role("link", name="撤销").click()
    page.get_by_text("正在公示").wait_for(timeout=WAIT)
    page.get_by_label("撤销原因").fill("邻居反映线索不实")
    shot(page, "withdraw")
    page.get_by_role("button", name="撤销").click()
    page.get_by_text("已撤销 50 积分。").wait_for(timeout=WAIT)
    context.close()
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["pending"] == 0


def test_the_voucher_pages_list_and_show_a_voucher_with_its_partner(live_server, browser, staff, organiser, volunteer,
                                                                   rules, shop, shot):
    member, phone = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 300},
                   expect=201)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, staff("organiser"), "password1", "/console/vouchers")
    page.get_by_role("link", name=member["name"]).first.wait_for(timeout=WAIT)
    shot(page, "list")
    listed = page.get_by_test_id("vouchers").inner_text()
    handed_at_counter = page.get_by_text("去核销").count()  # the barber's voucher: neither button nor hint
    page.goto(f"{live_server}/console/vouchers/{voucher['id']}")
    page.get_by_text("老街理发店").first.wait_for(timeout=WAIT)
    shot(page, "voucher")
    shown = page.locator("body").inner_text()
    context.close()
    assert display(voucher["voucher_code"]) in listed and "免费理发" in listed
    assert handed_at_counter == 0 and "老街理发店" in shown and "待使用" in shown


def test_an_activity_whose_check_in_is_over_says_so_at_the_top_of_its_page(live_server, browser, staff, organiser,
                                                                           community, rules, clock, shot):
    yesterday = clock.now() - timedelta(days=1)
    past = patrol_for(organiser, community, clock, starts_at=yesterday.isoformat(),
                      ends_at=(yesterday + timedelta(hours=2)).isoformat())
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, staff("organiser"), "password1", f"/console/activities/{past['id']}")
    banner = page.get_by_test_id("check-in-over")
    banner.wait_for(timeout=WAIT)
    shot(page, "activity")
    said = banner.inner_text()
    context.close()
    assert "签到已结束" in said


def test_older_activities_are_found_month_by_month(live_server, browser, staff, organiser, community, rules, clock,
                                                   shot):
    old = clock.now() - timedelta(days=90)
    patrol_for(organiser, community, clock, title="三个月前的巡逻", starts_at=old.isoformat(),
               ends_at=(old + timedelta(hours=2)).isoformat())
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, staff("organiser"), "password1", "/console/activities")
    page.get_by_label("月份").wait_for(timeout=WAIT)
    shot(page, "list")
    listed = page.locator("main").inner_text()
    page.get_by_label("月份").fill(old.strftime("%Y-%m"))
    page.get_by_role("button", name="按月查看").click()
    page.get_by_role("heading", name=f"{old.year}年{old.month}月的活动").wait_for(timeout=WAIT)
    shot(page, "month")
    rows = page.get_by_test_id("month").locator("tbody tr").count()
    page.get_by_role("link", name="三个月前的巡逻").click()
    page.get_by_test_id("check-in-over").wait_for(timeout=WAIT)
    context.close()
    assert "三个月前的巡逻" not in listed and rows == 1
