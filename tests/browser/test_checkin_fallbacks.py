"""Check-in without a smartphone camera, in a real browser at a phone's size: a volunteer types the
poster's short code at /scan, another the venue screen's; an organiser checks in, by name, a volunteer
who has no phone at all."""
import re

from .conftest import PHONE
from .test_pages import WAIT, patrol_for, sign_in, wait_until, wait_until_shown


def organiser_at(browser, server, staff, path):
    """A phone-sized page of an organiser signed in on `path`."""
    page = browser.new_context(**PHONE).new_page()
    sign_in(page, server, staff("organiser", name="罗塘派出所 民警"), "password1", path)
    return page


def test_a_volunteer_types_the_posters_short_code_at_scan(live_server, browser, staff, organiser, community, rules,
                                                           clock, volunteer, shot):
    activity = patrol_for(organiser, community, clock)
    desk = organiser_at(browser, live_server, staff, f"/console/activities/{activity['id']}/poster")
    wait_until_shown(desk, ".poster-qr")
    short = desk.get_by_test_id("short-code").inner_text()
    assert short == activity["short_code"]
    shot(desk, "1-poster")

    member, _ = volunteer
    phone = browser.new_context(**PHONE).new_page()
    sign_in(phone, live_server, member["phone"], "secret123", "/scan")
    phone.get_by_label("签到码").fill(f"{short[:3].lower()} {short[3:].lower()}")
    shot(phone, "2-typed")
    phone.get_by_role("button", name="签到", exact=True).click()
    phone.get_by_text("签到成功").wait_for(timeout=WAIT)
    phone.get_by_text("获得 50 积分").wait_for(timeout=WAIT)
    shot(phone, "3-checked-in")
    phone.context.close()
    desk.context.close()


def test_a_volunteer_types_the_screens_live_short_code(live_server, browser, staff, organiser, community, rules,
                                                        clock, volunteer, shot):
    activity = patrol_for(organiser, community, clock)
    screen = organiser_at(browser, live_server, staff, f"/activities/{activity['id']}/screen")
    wait_until_shown(screen, "#live-code")
    wait_until(screen, "document.getElementById('live-short-code').textContent.length === 6", "the short code")
    live = screen.get_by_test_id("short-code").inner_text()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", live) and live != activity["short_code"]
    shot(screen, "1-screen")

    member, _ = volunteer
    phone = browser.new_context(**PHONE).new_page()
    sign_in(phone, live_server, member["phone"], "secret123", "/scan")
    phone.get_by_label("签到码").fill(live)
    phone.get_by_role("button", name="签到", exact=True).click()
    phone.get_by_text("签到成功").wait_for(timeout=WAIT)
    checkin = organiser.get(f"/api/v1/activities/{activity['id']}/checkins").json["items"][0]
    assert (checkin["member_id"], checkin["method"]) == (member["id"], "live")
    phone.context.close()
    screen.context.close()


def test_an_organiser_checks_in_by_name_a_volunteer_with_no_phone(live_server, browser, staff, organiser, community,
                                                                  rules, clock, enrol, shot):
    no_phone, _ = enrol(name="张桂英", password=None)
    activity = patrol_for(organiser, community, clock)
    console = organiser_at(browser, live_server, staff, f"/console/activities/{activity['id']}")
    console.get_by_label("姓名或手机号").fill("张桂英")
    shot(console, "1-typed")
    console.get_by_test_id("search-checkin").get_by_role("button", name="签到").click()
    console.get_by_text("签到成功：张桂英").wait_for(timeout=WAIT)
    console.get_by_test_id("checkins").get_by_text("张桂英").wait_for(timeout=WAIT)
    shot(console, "2-checked-in")
    [checkin] = organiser.get(f"/api/v1/activities/{activity['id']}/checkins").json["items"]
    assert (checkin["member_id"], checkin["method"], checkin["points"]) == (no_phone["id"], "card", 50)
    console.context.close()
