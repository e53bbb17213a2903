"""Corrections through the pages (test client): an activity edited and cancelled, a partner edited and
retired, a check-out undone on /me within 10 minutes and refused after; every destructive button
asks first, with no script."""
import re
from datetime import timedelta

from .test_console_activities import posted, text


def hourly_shift(organiser, community, clock, title="巡逻服务"):
    start = clock.now()
    return organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": title, "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat()}, expect=201).json


def audit_reasons(organiser, action) -> list:
    return [row["reason"] for row in organiser.get("/api/v1/audit", action=action).json["items"]]


def test_the_check_out_on_me_asks_first_without_a_script(volunteer_pages, organiser, community, rules, clock):
    shift = hourly_shift(organiser, community, clock)
    volunteer_pages.submit("/scan", code=shift["checkin_url"])
    html = text(volunteer_pages.get("/me"))
    ask = html[html.index('<details class="confirm'):html.index("</details>")]
    assert "<summary" in ask and "确定现在签退吗" in ask and ">确认签退</button>" in ask
    assert "<script" not in ask and "onclick" not in html


def test_a_volunteer_undoes_a_check_out_on_me_within_ten_minutes(volunteer_pages, volunteer, organiser, community,
                                                                  rules, clock):
    member, _ = volunteer
    shift = hourly_shift(organiser, community, clock)
    result = volunteer_pages.submit("/scan", code=shift["checkin_url"]).location
    clock.advance(hours=2)
    volunteer_pages.submit("/me", result + "/checkout")
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 40
    clock.advance(minutes=9)
    page = text(volunteer_pages.get("/me"))
    assert "撤销签退" in page and "服务 120 分钟，获得 40 积分" in page
    undone = volunteer_pages.submit("/me", result + "/undo-checkout")
    assert undone.status_code == 303 and "确认签退" in text(volunteer_pages.get(undone.location))
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    volunteer_pages.submit("/me", result + "/checkout")
    stale = volunteer_pages.hidden(result)  # the result page, with its 撤销签退, left open
    clock.advance(minutes=10, seconds=1)
    assert "撤销签退" not in text(volunteer_pages.get("/me"))
    late = volunteer_pages.client.post(result + "/undo-checkout", data=stale)
    assert late.status_code == 409 and "已超过可以撤销签退的时间" in text(late)


def test_an_organiser_edits_an_activity_and_new_times_may_not_leave_out_a_check_in(console_pages, organiser,
                                                                                   community, rules, clock, volunteer):
    _, phone = volunteer
    shift = hourly_shift(organiser, community, clock, title="夜间巡逻")
    detail = f"/console/activities/{shift['id']}"
    assert 'href="' + detail + '/edit"' in text(console_pages.get(detail))
    form = text(console_pages.get(detail + "/edit"))
    assert 'value="夜间巡逻"' in form
    start = clock.now()
    saved = console_pages.submit(detail + "/edit", title="周六夜间巡逻", starts_at=f"{start:%Y-%m-%dT%H:%M}",
                                 ends_at=f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}", capacity="8")
    assert saved.status_code == 303
    page = text(console_pages.get(detail))
    assert "周六夜间巡逻" in page and "0 / 8 人" in page
    clock.advance(hours=1)
    phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201)
    later = clock.now() + timedelta(hours=1)
    refused = console_pages.submit(detail + "/edit", title="周六夜间巡逻", starts_at=f"{later:%Y-%m-%dT%H:%M}",
                                   ends_at=f"{later + timedelta(hours=2):%Y-%m-%dT%H:%M}")
    assert refused.status_code == 409 and "新的时间要包含已有的签到时间" in text(refused)
    empty = console_pages.submit(detail + "/edit", title="", starts_at="", ends_at="")
    assert empty.status_code == 422 and "请填写标题" in text(empty)


def test_cancelling_an_activity_asks_a_reason_and_reverses_its_points(console_pages, organiser, community, rules,
                                                                      clock, volunteer):
    member, phone = volunteer
    start = clock.now()
    patrol = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "治安巡逻", "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    detail = f"/console/activities/{patrol['id']}"
    html = text(console_pages.get(detail))
    assert 'data-testid="confirm-cancel"' in html and "取消原因" in html
    no_reason = posted(console_pages, detail, f"{detail}/cancel", reason=" ")
    assert no_reason.status_code == 422 and "取消活动时请填写原因" in text(no_reason)
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50
    done = posted(console_pages, detail, f"{detail}/cancel", reason="台风预警")
    assert done.status_code == 303
    page = text(console_pages.get(detail))
    assert "活动已取消：撤回 1 笔积分" in page and "台风预警" in page
    assert 'data-testid="corrections"' not in page and 'data-testid="cancelled"' in page
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    assert audit_reasons(organiser, "activity_cancelled") == ["台风预警"]
    listed = text(console_pages.get("/console/activities"))
    assert re.search(r"治安巡逻</a>\s*<span class=\"badge\">已取消</span>", listed)


def test_an_organiser_undoes_a_check_out_from_the_activity_page(console_pages, organiser, community, rules, clock,
                                                                volunteer):
    member, phone = volunteer
    shift = hourly_shift(organiser, community, clock)
    checkin = phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    clock.advance(hours=1)
    phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    clock.advance(minutes=30)  # past the volunteer's 10 minutes, before the end
    detail = f"/console/activities/{shift['id']}"
    done = posted(console_pages, detail, f"{detail}/checkins/{checkin['id']}/undo-checkout")
    assert done.status_code == 303 and "已撤销签退" in text(console_pages.get(detail))
    assert phone.get(f"/api/v1/checkins/{checkin['id']}").json["status"] == "open"


def test_a_partner_is_edited_and_a_namesake_refused_in_words(console_pages, organiser, shop):
    barber = f"/console/partners/{shop['barber']['id']}"
    assert 'href="' + barber + '/edit"' in text(console_pages.get(barber))
    taken = console_pages.submit(barber + "/edit", name="振宇物业服务中心", kind="shop")
    assert taken.status_code == 409 and "本社区已经有一家同名的合作商家了" in text(taken)
    saved = console_pages.submit(barber + "/edit", name="老街理发店（东门）", kind="shop")
    assert saved.status_code == 303 and "老街理发店（东门）" in text(console_pages.get(barber))
    again = console_pages.submit("/console/partners", name="振宇物业服务中心", kind="property",
                                 community_ids=str(shop["estate"]["community_ids"][0]))
    assert again.status_code == 409 and "同名的合作商家" in text(again)


def test_retiring_a_partner_asks_first_and_shuts_its_clerks_out(console_pages, pages, organiser, shop, staff):
    clerk_phone = staff("partner", name="王芳", partner_id=shop["barber"]["id"])
    barber = f"/console/partners/{shop['barber']['id']}"
    html = text(console_pages.get(barber))
    ask = html[html.index('data-testid="confirm-retire"'):]
    assert "确定停用这家合作商家吗" in ask and ">确认停用</button>" in ask
    done = posted(console_pages, barber, barber + "/retire", reason="店铺关门")
    assert done.status_code == 303
    page = text(console_pages.get(barber))
    assert "停用：店员不能再登录核销" in page and 'data-testid="confirm-retire"' not in page
    assert "（已停用）" in text(console_pages.get("/console/partners"))
    refused = pages().submit("/login", phone=clerk_phone, password="password1")
    assert refused.status_code == 403 and "您所在的合作商家已停止合作" in text(refused)
    assert audit_reasons(organiser, "partner_retired") == ["店铺关门"]


def test_disabling_staff_asks_first_with_a_reason(console_pages, staff):
    staff(name="刘明")
    html = text(console_pages.get("/console/staff"))
    asks = re.findall(r'<details class="confirm small" data-testid="confirm-disable-\d+">(.*?)</details>', html, re.S)
    assert asks and all("停用原因" in ask and "确认停用" in ask and "required" in ask for ask in asks)
