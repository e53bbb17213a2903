"""Each refusal kind's sentence, with its numbers, in a real browser at a phone's and a desktop's size: only 20 left,
once a month, a household's cap, a full activity, the daily cap; and a wrong field said beside it."""
from .test_counter import big_enough, screen  # noqa: F401 (a fixture)
from .test_pages import WAIT, patrol_for, sign_in


def give(organiser, member, points):
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points}, expect=201)


def said(page) -> str:
    alert = page.get_by_role("alert").first
    alert.wait_for(timeout=WAIT)
    return alert.inner_text()


def redeem(page, server, reward_id, **fields):
    page.goto(f"{server}/shop/{reward_id}")
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="确认兑换").click()


def test_a_volunteer_hears_each_shop_refusal_with_its_numbers(live_server, screen, organiser, community, volunteer,  # noqa: F811
                                                              shop, shot):
    size, open_browser = screen
    member, _ = volunteer
    give(organiser, member, 9000)
    capped = organiser.post("/api/v1/rewards", {
        "name": "减免物业费", "kind": "fee_deduction", "cost": 100, "fen_per_point": 100, "partner_id": shop["estate"]["id"],
        "community_id": community["id"], "household_cap_fen": 30000, "household_cap_period": "month"}, expect=201).json
    page = open_browser()
    sign_in(page, live_server, member["phone"], "secret123")
    page.get_by_test_id("available").wait_for(timeout=WAIT)

    redeem(page, live_server, shop["rice"]["id"], 数量="21")
    assert said(page) == "这件奖品只剩 20 件了。"
    shot(page, f"{size}-out-of-stock")

    page.goto(f"{live_server}/shop/{shop['haircut']['id']}")
    assert page.get_by_test_id("how-often").inner_text() == "每人每月限 1 次"
    assert page.get_by_test_id("where").inner_text() == "兑换地点：老街理发店"
    redeem(page, live_server, shop["haircut"]["id"])
    page.get_by_test_id("voucher-code").wait_for(timeout=WAIT)
    redeem(page, live_server, shop["haircut"]["id"])
    assert said(page) == "每人每月限兑 1 次，本月已兑。"
    shot(page, f"{size}-once-a-month")

    redeem(page, live_server, capped["id"], 户号="3栋502", 积分="200")
    page.get_by_test_id("voucher-code").wait_for(timeout=WAIT)
    redeem(page, live_server, capped["id"], 户号="3栋502", 积分="200")
    assert said(page) == "这一户本月的物业费最多还能抵扣 100.00 元（上限 300.00 元）。"
    if size == "phone":
        big_enough(page)
    shot(page, f"{size}-household-cap")

    page.goto(f"{live_server}/shop/{capped['id']}")
    # As a webview that checks no field itself sends it: the server says what is wrong, beside each field.
    page.evaluate("document.querySelector('form.stack').noValidate = true")
    page.get_by_label("户号", exact=True).fill(" ")
    page.get_by_label("积分", exact=True).fill("0")
    page.get_by_role("button", name="确认兑换").click()
    note = page.locator("#points-note")
    note.wait_for(timeout=WAIT)
    assert note.inner_text() == "请填写积分，须是 100 的整数倍。"
    assert page.locator("#household-note").inner_text().startswith("请填写户号")
    shot(page, f"{size}-fields")


def test_a_full_activity_and_the_daily_cap_are_said_with_their_numbers(live_server, screen, organiser, community,  # noqa: F811
                                                                       rules, clock, enrol, staff, shot):
    size, open_browser = screen
    patrol = patrol_for(organiser, community, clock, capacity=1)
    code = patrol["checkin_url"].removeprefix("https://benniu.test/c/")
    for name in ("陈元龙", "王秀英"):
        member, _ = enrol(name=name)
        page = open_browser()
        sign_in(page, live_server, member["phone"], "secret123", "/scan")
        page.get_by_label("签到码", exact=True).fill(code)
        page.get_by_role("button", name="签到").click()
    assert said(page) == "本活动名额已满（1 人）。"
    shot(page, f"{size}-capacity")

    desk = open_browser()
    sign_in(desk, live_server, staff("organiser", name="刘明"), "password1", f"/console/members/{member['id']}")
    for points in ("50", "50", "80"):
        desk.get_by_label("积分规则").select_option("patrol")
        desk.get_by_label("积分（可不填，按规则）").fill(points)
        desk.get_by_role("button", name="奖励积分").click()
        desk.wait_for_load_state()
    assert "今日积分已达上限 100 分。" in said(desk)
    shot(desk, f"{size}-daily-cap")
