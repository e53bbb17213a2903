"""Check-in fallbacks on the pages: the short code on the poster, the screen and /scan; the card number
on the member card; the console's check-in by name or phone; a capped check-in's sentence; and
短信验证码登录 on /login."""
import json
import re
from datetime import timedelta

import pytest

from ..api.test_logs import written  # noqa: F401  (fixture)
from ..api.test_sms_sign_in import make_app
from .conftest import PageClient
from .test_console_activities import plan, posted, text

PHONE = "13900000001"  # the `volunteer` fixture's


def api_activity(organiser, community, clock, **extra) -> dict:
    body = {"rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"],
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat(), **extra}
    return organiser.post("/api/v1/activities", body, expect=201).json


def test_the_poster_and_the_activity_page_show_the_short_code(console_pages, organiser, rules, clock):
    activity_id = plan(console_pages, clock)
    short = organiser.get(f"/api/v1/activities/{activity_id}").json["short_code"]
    for path in (f"/console/activities/{activity_id}/poster", f"/console/activities/{activity_id}"):
        assert re.search(rf'data-testid="short-code">{short}<', text(console_pages.get(path))), path


def test_the_screen_has_a_place_for_the_live_short_code(console_pages, rules, clock):
    activity_id = plan(console_pages, clock)
    assert 'id="live-short-code" data-testid="short-code"' in text(console_pages.get(f"/activities/{activity_id}/screen"))


def test_a_typed_short_code_checks_in_at_scan(volunteer_pages, organiser, community, rules, clock):
    activity = api_activity(organiser, community, clock)
    typed = f" {activity['short_code'][:3].lower()} {activity['short_code'][3:]}"
    answer = volunteer_pages.submit("/scan", code=typed)
    assert answer.status_code == 303, text(answer)
    page = text(volunteer_pages.get(answer.location))
    assert "签到成功" in page and "获得 50 积分" in page


def test_a_wrong_short_code_at_scan_says_so(volunteer_pages, rules):
    answer = volunteer_pages.submit("/scan", code="22222Z")
    assert answer.status_code == 422 and "这不是有效的签到码" in text(answer)


def test_a_capped_checkin_says_checked_in_and_that_todays_cap_is_reached(volunteer_pages, organiser, community,
                                                                        rules, clock):
    for number in range(3):
        activity = api_activity(organiser, community, clock, title=f"巡逻 {number}")
        answer = volunteer_pages.submit("/scan", code=activity["short_code"])
    page = text(volunteer_pages.get(answer.location))
    assert "签到成功" in page and "今日积分已达上限：本次获得 0 积分" in page


def test_the_member_card_shows_its_number(volunteer_pages, volunteer, organiser):
    member, _ = volunteer
    number = organiser.get(f"/api/v1/members/{member['id']}").json["card_number"]
    assert f'data-testid="card-number">{number}<' in text(volunteer_pages.get("/me/card"))


def test_the_console_checks_in_a_member_found_by_name(console_pages, organiser, rules, clock, enrol):
    member, _ = enrol(name="张桂英")
    path = f"/console/activities/{plan(console_pages, clock)}"
    answer = posted(console_pages, path, f"{path}/checkins/search", q="张桂英")
    assert answer.status_code == 303, text(answer)
    page = text(console_pages.get(path))
    assert "签到成功：张桂英" in page and "会员卡" in page[page.index('data-testid="checkins"'):]


def test_the_console_finds_by_phone_however_typed_and_lists_namesakes(console_pages, rules, clock, enrol):
    first, _ = enrol(name="王芳")
    second, _ = enrol(name="王芳")
    path = f"/console/activities/{plan(console_pages, clock)}"
    listed = text(posted(console_pages, path, f"{path}/checkins/search", q="王芳"))
    assert listed.count('name="member_id"') == 2
    phone = second["phone"]
    answer = posted(console_pages, path, f"{path}/checkins/search", q=f"{phone[:3]} {phone[3:7]} {phone[7:]}")
    assert answer.status_code == 303
    form = listed[listed.index(f'value="{first["id"]}"') - 600:]
    form = form[form.index(f'action="{path}/checkins/member"'):]
    hidden = dict(re.findall(r'<input type="hidden" name="(csrf_token|action_key)" value="([^"]*)"', form)[:2])
    chosen = console_pages.client.post(f"{path}/checkins/member", data={**hidden, "member_id": str(first["id"])})
    assert chosen.status_code == 303
    page = text(console_pages.get(path))
    rows = page[page.index('data-testid="checkins"'):].split("<tr>")
    assert len([row for row in rows if "王芳" in row and "会员卡" in row]) == 2


def test_the_console_says_when_nobody_is_found(console_pages, rules, clock):
    path = f"/console/activities/{plan(console_pages, clock)}"
    answer = posted(console_pages, path, f"{path}/checkins/search", q="没有这个人")
    assert answer.status_code == 404 and "没有找到这位志愿者" in text(answer)


def test_another_communitys_member_is_not_found_by_name(console_pages, rules, clock, other_community, admin):
    community, _ = other_community
    admin.post("/api/v1/members", {"name": "外社区", "phone": "13711110000", "community_id": community["id"]},
               expect=201)
    path = f"/console/activities/{plan(console_pages, clock)}"
    assert posted(console_pages, path, f"{path}/checkins/search", q="外社区").status_code == 404


@pytest.fixture
def sms_app(database_url, clock, tmp_path):
    """The app with the development SMS provider: codes go to the log."""
    app = make_app(database_url, clock, tmp_path / "sms")
    yield app
    app.extensions["benniu"].engine.dispose()


def test_the_login_page_offers_sms_only_when_configured(pages, sms_app):
    assert "短信验证码登录" not in text(pages().get("/login"))
    offered = text(PageClient(sms_app).get("/login"))
    assert all(words in offered for words in ("短信验证码登录", "获取验证码", "验证码", 'id="sms_phone"'))
    assert pages().get("/login/sms/code").status_code in (404, 405)


def test_a_volunteer_signs_in_with_a_texted_code(sms_app, volunteer, written):  # noqa: F811
    browser = PageClient(sms_app)
    asked = browser.submit("/login", "/login/sms/code", sms_phone=PHONE)
    assert asked.status_code == 200 and "验证码已发送" in text(asked)
    code = next(line["code"] for line in map(json.loads, written.getvalue().splitlines())
                if line.get("event") == "sms_code")
    wrong = browser.submit("/login", "/login/sms", sms_phone=PHONE, sms_code="000000" if code != "000000" else "1")
    assert wrong.status_code == 401 and "验证码不对或已过期" in text(wrong)
    signed_in = browser.submit("/login", "/login/sms", sms_phone=PHONE, sms_code=code)
    assert signed_in.status_code == 303
    assert browser.get("/me").status_code == 200


def test_a_second_code_within_the_minute_is_refused_on_the_page(sms_app, volunteer):
    browser = PageClient(sms_app)
    browser.submit("/login", "/login/sms/code", sms_phone=PHONE)
    again = browser.submit("/login", "/login/sms/code", sms_phone=PHONE)
    assert again.status_code == 429 and "验证码发送太频繁" in text(again)
