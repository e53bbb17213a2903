"""The counter's voucher page and the venue screen, on a session: no token is typed or kept in the browser."""
from datetime import timedelta


def text(response) -> str:
    return response.get_data(as_text=True)


def voucher_for(volunteer, organiser, shop, reward="haircut"):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "gift", "points": 900}, expect=201)
    return phone.post("/api/v1/redemptions", {"reward_id": shop[reward]["id"]}, expect=201).json


def test_a_clerk_fulfils_a_scanned_voucher_once_and_a_used_one_says_when_it_was_used(pages, staff, volunteer,
                                                                                      organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    clerk = pages().sign_in(staff("partner", partner_id=shop["barber"]["id"]), "password1")
    path = f"/v/{voucher['voucher_code']}"
    page = text(clerk.get(path))
    assert "免费理发" in page and "确认核销" in page and "陈*" in page
    form = clerk.hidden(path)
    done = clerk.client.post(path, data=form)
    assert "核销成功" in text(clerk.get(done.location))
    reloaded = text(clerk.get(path))
    assert "核销成功" not in reloaded and "已于" in reloaded and "核销过" in reloaded and "确认核销" not in reloaded
    again = clerk.client.post(path, data=form)  # the old form pressed again: the first answer, no new success
    assert "核销成功" not in text(clerk.get(again.location))
    assert shop["barber_clerk"].get(f"/api/v1/redemptions/{voucher['id']}").json["status"] == "fulfilled"


def test_another_partners_clerk_gets_a_sentence_not_a_form(pages, staff, volunteer, organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    clerk = pages().sign_in(staff("partner", partner_id=shop["estate"]["id"]), "password1")
    page = text(clerk.get(f"/v/{voucher['voucher_code']}"))
    assert "没有权限" in page and "确认核销" not in page and "免费理发" not in page


def test_the_voucher_page_asks_a_volunteer_session_for_a_clerks(pages, volunteer, organiser, shop):
    member, _ = volunteer
    voucher = voucher_for(volunteer, organiser, shop)
    answer = pages().sign_in(member["phone"], "secret123").get(f"/v/{voucher['voucher_code']}")
    assert answer.status_code == 403


def test_the_venue_screen_shows_a_live_code_until_the_activity_ends(pages, staff, organiser, community, rules, clock):
    made = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()}).json
    screen = pages().sign_in(staff("organiser"), "password1")
    path = f"/activities/{made['id']}/screen"
    assert f"/api/v1/activities/{made['id']}/live.svg" in text(screen.get(path))
    live = screen.get(f"/api/v1/activities/{made['id']}/live.svg")  # the page's script fetches it on the session
    assert live.status_code == 200 and live.mimetype == "image/svg+xml"
    clock.advance(hours=3)
    assert "活动已结束" in text(screen.get(path)) and "live.svg" not in text(screen.get(path))
    assert screen.get(f"/api/v1/activities/{made['id']}/live.svg").status_code == 409
    assert organiser.get(f"/api/v1/activities/{made['id']}/live").json["code"] == "activity_not_open"
