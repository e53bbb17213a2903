"""Corrections in a real browser, at a phone's size and at a desk: an activity edited and cancelled
(its points reversed), a partner retired, a staff account disabled with a reason and enabled again,
and a check-out undone within 10 minutes and refused after (the app's clock, never a sleep). Every
destructive button asks first, without script."""
import re
from datetime import timedelta

import pytest

from .conftest import PHONE
from .test_pages import WAIT, sign_in

SIZES = {"phone": PHONE, "desktop": {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}}


@pytest.fixture(params=sorted(SIZES))
def screen(request, browser):
    """A fresh browser at each size; the size is part of each screenshot's name."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context(**SIZES[request.param]))
        return contexts[-1].new_page()
    yield request.param, open_page
    for context in contexts:
        context.close()


def confirm(place, label, reason_label, reason, yes, asked=lambda: None):
    """Open the question behind `label` (nothing is sent yet), give the reason, `asked()` (a
    screenshot, a look at what is still unchanged), and confirm."""
    place.locator("summary", has_text=label).click()
    place.get_by_label(reason_label).fill(reason)
    asked()
    place.get_by_role("button", name=yes).click()


def told_at_sign_in(open_page, server, phone, sentence):
    """A fresh browser signing in with the right password, told `sentence` (not 手机号或密码错误)."""
    page = open_page()
    sign_in(page, server, phone, "password1")
    page.get_by_text(sentence).wait_for(timeout=WAIT)
    assert page.get_by_text("手机号或密码错误").count() == 0
    return page


def activity_for(organiser, community, clock, rule_code="patrol", hours=2, title="周六夜间巡逻"):
    start = clock.now()
    return organiser.post("/api/v1/activities", {
        "rule_code": rule_code, "title": title, "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat()}, expect=201).json


def test_an_organiser_edits_an_activity(live_server, screen, staff, organiser, community, rules, clock, shot):
    size, open_page = screen
    made = activity_for(organiser, community, clock)
    desk = open_page()
    sign_in(desk, live_server, staff("organiser", name="刘明"), "password1", f"/console/activities/{made['id']}")
    desk.get_by_role("link", name="编辑", exact=True).click()
    desk.get_by_label("标题").fill("周六夜间巡逻（东片）")
    desk.get_by_label("人数上限（可选）").fill("12")
    shot(desk, f"{size}-1-edit")
    desk.get_by_role("button", name="保存").click()
    desk.get_by_text("活动已修改").wait_for(timeout=WAIT)
    desk.get_by_role("heading", name="周六夜间巡逻（东片）").wait_for(timeout=WAIT)
    shot(desk, f"{size}-2-edited")
    changed = organiser.get(f"/api/v1/activities/{made['id']}").json
    assert (changed["title"], changed["capacity"]) == ("周六夜间巡逻（东片）", 12)


def test_cancelling_an_activity_asks_a_reason_and_reverses_its_points(live_server, screen, staff, organiser,
                                                                       community, rules, clock, volunteer, shot):
    size, open_page = screen
    member, phone = volunteer
    made = activity_for(organiser, community, clock)
    phone.post("/api/v1/checkins", {"code": made["checkin_url"]}, expect=201)
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50
    desk = open_page()
    sign_in(desk, live_server, staff("organiser", name="刘明"), "password1", f"/console/activities/{made['id']}")
    def asked():
        shot(desk, f"{size}-1-asked")
        assert organiser.get(f"/api/v1/activities/{made['id']}").json["cancelled_at"] is None

    confirm(desk.get_by_test_id("confirm-cancel"), "取消活动", "取消原因（志愿者会看到）", "台风预警，停止户外巡逻",
            "确认取消", asked)
    desk.get_by_text("活动已取消：撤回 1 笔积分").wait_for(timeout=WAIT)
    desk.get_by_test_id("cancelled").get_by_text("台风预警，停止户外巡逻").wait_for(timeout=WAIT)
    shot(desk, f"{size}-2-cancelled")
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    newest = organiser.get(f"/api/v1/members/{member['id']}/entries").json["items"][0]
    assert (newest["amount"], newest["memo"]) == (-50, "台风预警，停止户外巡逻")


def test_retiring_a_partner_asks_first_and_its_clerk_is_told(live_server, screen, staff, shop, shot):
    size, open_page = screen
    clerk = staff("partner", name="王芳", partner_id=shop["barber"]["id"])
    desk = open_page()
    sign_in(desk, live_server, staff("organiser", name="刘明"), "password1", f"/console/partners/{shop['barber']['id']}")
    confirm(desk.get_by_test_id("confirm-retire"), "停用", "停用原因（可选）", "店铺已关门", "确认停用",
            lambda: shot(desk, f"{size}-1-asked"))
    desk.get_by_test_id("retired").wait_for(timeout=WAIT)
    shot(desk, f"{size}-2-retired")
    shot(told_at_sign_in(open_page, live_server, clerk, "您所在的合作商家已停止合作"), f"{size}-3-clerk-told")


def test_staff_are_disabled_with_a_reason_told_so_and_enabled_again(live_server, screen, staff, app, shot):
    from api.identity.accounts import StaffAccount
    size, open_page = screen
    colleague = staff("organiser", name="张伟")
    with app.extensions["benniu"].sessionmaker() as session:
        colleague_id = session.query(StaffAccount).filter_by(phone=colleague).one().id
    desk = open_page()
    sign_in(desk, live_server, staff("organiser", name="刘明"), "password1", "/console/staff")
    confirm(desk.locator(f"#staff-{colleague_id}"), "停用", "停用原因", "调往其他社区", "确认停用",
            lambda: shot(desk, f"{size}-1-asked"))
    desk.get_by_text("已停用 张伟 的账号").wait_for(timeout=WAIT)
    shot(desk, f"{size}-2-disabled")
    shot(told_at_sign_in(open_page, live_server, colleague, "您的账号已被停用"), f"{size}-3-told")
    confirm(desk.locator(f"#staff-{colleague_id}"), "启用", "启用原因（可选）", "回到本社区", "确认启用")
    desk.get_by_text("已启用 张伟 的账号").wait_for(timeout=WAIT)
    desk.get_by_test_id("audit-trail").get_by_text("调往其他社区").wait_for(timeout=WAIT)
    desk.get_by_test_id("audit-trail").get_by_text("回到本社区").wait_for(timeout=WAIT)
    shot(desk, f"{size}-4-enabled")
    again = open_page()
    sign_in(again, live_server, colleague, "password1")
    again.wait_for_url(re.compile(r".*/console.*"), timeout=WAIT)


def test_a_volunteer_undoes_a_check_out_within_ten_minutes_and_not_after(live_server, screen, organiser, community,
                                                                          rules, clock, volunteer, shot):
    size, open_page = screen
    member, token = volunteer
    shift = activity_for(organiser, community, clock, rule_code="patrol_hours", hours=4, title="社区巡逻服务")
    token.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201)
    clock.advance(hours=2)
    me = open_page()
    sign_in(me, live_server, member["phone"], "secret123", "/me")
    ask = me.locator("details.confirm")
    ask.locator("summary", has_text="签退").click()
    ask.get_by_text("确定现在签退吗").wait_for(timeout=WAIT)
    shot(me, f"{size}-1-asked")
    ask.get_by_role("button", name="确认签退").click()
    me.get_by_text("签退成功").wait_for(timeout=WAIT)
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 40
    clock.advance(minutes=9)
    me.goto(live_server + "/me")
    me.get_by_test_id("undoable").get_by_role("button", name="撤销签退").click()
    me.locator("details.confirm summary", has_text="签退").wait_for(timeout=WAIT)  # open again: 签退 offered
    shot(me, f"{size}-2-undone")
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    me.locator("details.confirm summary").click()
    me.get_by_role("button", name="确认签退").click()
    me.get_by_text("签退成功").wait_for(timeout=WAIT)  # the result page, with its 撤销签退
    clock.advance(minutes=10, seconds=1)
    me.get_by_role("button", name="撤销签退").click()  # pressed too late, from the page left open
    me.get_by_text("已超过可以撤销签退的时间").wait_for(timeout=WAIT)
    shot(me, f"{size}-3-too-late")
    me.goto(live_server + "/me")
    assert me.get_by_role("button", name="撤销签退").count() == 0
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 40
