"""The pages a volunteer and an organiser meet, in a real browser against a real server."""
from datetime import timedelta

from ..helpers import decode_qr


def patrol_for(organiser, community, clock):
    body = {"rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"],
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()}
    return organiser.post("/api/v1/activities", body, expect=201).json


def test_a_scanned_code_asks_to_log_in_then_checks_in(live_server, phone, organiser, community, rules, clock,
                                                      volunteer, tmp_path):
    member, _ = volunteer
    patrol = patrol_for(organiser, community, clock)
    path = patrol["checkin_url"].removeprefix("https://benniu.test")
    phone.goto(live_server + path)
    phone.get_by_label("手机号").fill(member["phone"])
    phone.get_by_label("密码").fill("secret123")
    phone.get_by_role("button", name="登录并签到").click()
    phone.get_by_text("签到成功，获得 50 积分").wait_for(timeout=10_000)
    phone.get_by_text("当前可用积分：50").wait_for(timeout=10_000)
    phone.screenshot(path=str(tmp_path / "checked-in.png"))
    phone.reload()  # scanning again: already logged in, already checked in
    phone.get_by_text("您已经签到过本次活动").wait_for(timeout=10_000)


def test_a_wrong_password_is_said_in_chinese(live_server, phone, organiser, community, rules, clock, volunteer):
    member, _ = volunteer
    patrol = patrol_for(organiser, community, clock)
    phone.goto(live_server + patrol["checkin_url"].removeprefix("https://benniu.test"))
    phone.get_by_label("手机号").fill(member["phone"])
    phone.get_by_label("密码").fill("wrong-password")
    phone.get_by_role("button", name="登录并签到").click()
    phone.get_by_text("手机号或密码不正确").wait_for(timeout=10_000)


def test_the_venue_screen_shows_a_live_code_a_phone_can_read(live_server, browser, organiser, community, rules,
                                                             clock, volunteer, tmp_path):
    patrol = patrol_for(organiser, community, clock)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    screen = context.new_page()
    screen.goto(f"{live_server}/activities/{patrol['id']}/screen")
    screen.get_by_label("令牌").fill(organiser.token)
    screen.get_by_role("button", name="显示签到码").click()
    screen.locator("#code svg").wait_for(timeout=10_000)
    shot = tmp_path / "screen.png"
    screen.screenshot(path=str(shot))
    context.close()
    url = decode_qr(shot.read_bytes())
    _, volunteer_phone = volunteer
    checkin = volunteer_phone.post("/api/v1/checkins", {"code": url}, expect=201).json
    assert (checkin["method"], checkin["points"]) == ("live", 50)


def test_a_clerk_scans_a_voucher_and_fulfils_it(live_server, phone, organiser, volunteer, shop):
    member, volunteer_phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 300}, expect=201)
    voucher = volunteer_phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    scanned = decode_qr(volunteer_phone.get(f"/api/v1/redemptions/{voucher['id']}/voucher.png").data)
    phone.goto(live_server + scanned.removeprefix("https://benniu.test"))
    phone.get_by_text(voucher["voucher_display"]).wait_for(timeout=10_000)
    phone.get_by_label("令牌").fill(shop["barber_clerk"].token)
    phone.get_by_role("button", name="保存").click()
    phone.get_by_role("button", name="确认兑付").click()
    phone.get_by_text("兑付成功").wait_for(timeout=10_000)
    phone.get_by_text("免费理发").wait_for(timeout=10_000)
    assert volunteer_phone.get(f"/api/v1/redemptions/{voucher['id']}").json["status"] == "fulfilled"
