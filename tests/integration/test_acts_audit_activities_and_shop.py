"""Each act writes its own audit row, whichever door it came through: the JSON API and the console
pages leave the same row (action, subject, community) for the same act."""
from datetime import timedelta

import pytest

from points.audit import audit_trail

from ..pages.conftest import PageClient
from ..pages.test_console_activities import member_code, plan, posted


def console_of(app, staff) -> PageClient:
    return PageClient(app).sign_in(staff("organiser", name="罗塘派出所 民警"), "password1")


def trail(session, action):
    """The audit rows of one action, newest first, as the app has committed them by now."""
    session.rollback()
    return audit_trail(session, action=action)


def rows(session, action):
    return [(row.action, row.actor.kind, row.subject.kind, row.subject.id, row.community_id)
            for row in trail(session, action)]


# Activities and check-ins -----------------------------------------------------------------

def test_scheduling_an_activity_is_audited_from_the_api_and_from_the_console(app, session, organiser, staff,
                                                                            community, rules, clock):
    start = clock.now() + timedelta(hours=1)
    made = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    planned = plan(console_of(app, staff), clock)
    assert rows(session, "activity_scheduled") == [
        ("activity_scheduled", "organiser", "activity", planned, community["id"]),
        ("activity_scheduled", "organiser", "activity", made["id"], community["id"])]
    assert trail(session, "activity_scheduled")[1].facts["rule_code"] == "patrol"


def test_a_card_checkin_by_staff_is_audited_from_the_api_and_from_the_console(app, session, organiser, staff,
                                                                             community, rules, clock, enrol):
    console = console_of(app, staff)
    activity_id = plan(console, clock)
    (by_api, _), (by_page, _) = enrol(name="陈元龙"), enrol(name="李秀英")
    organiser.post(f"/api/v1/activities/{activity_id}/checkins", {"member_code": member_code(organiser, by_api)},
                   expect=201)
    path = f"/console/activities/{activity_id}"
    assert posted(console, path, f"{path}/checkins", member_code=member_code(organiser, by_page)).status_code == 303
    assert rows(session, "checkin") == [("checkin", "organiser", "member", by_page["id"], community["id"]),
                                        ("checkin", "organiser", "member", by_api["id"], community["id"])]
    facts = trail(session, "checkin")[0].facts
    assert (facts["activity_id"], facts["method"], facts["points"]) == (activity_id, "card", 50)


def test_a_volunteers_own_checkins_and_checkouts_leave_no_audit_row(app, session, organiser, rules, clock,
                                                                    volunteer):
    member, phone = volunteer
    page = PageClient(app).sign_in(member["phone"], "secret123")
    start = clock.now()
    shifts = [organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": title, "community_id": member["community_id"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat()}, expect=201).json
        for title in ("早班巡逻", "晚班巡逻")]
    by_api = phone.post("/api/v1/checkins", {"code": shifts[0]["checkin_url"]}, expect=201).json
    scanned = page.submit("/scan", code=shifts[1]["checkin_url"])
    assert scanned.status_code == 303
    by_page = int(scanned.location.rsplit("/", 1)[-1])
    clock.advance(hours=1)
    phone.post(f"/api/v1/checkins/{by_api['id']}/checkout", {}, expect=200)
    assert page.submit(f"/me/checkins/{by_page}", f"/me/checkins/{by_page}/checkout").status_code == 303
    assert [phone.get(f"/api/v1/checkins/{one}").json["points"] for one in (by_api["id"], by_page)] == [20, 20]
    assert rows(session, "checkin") == rows(session, "checkout") == []


def test_checkouts_by_staff_are_audited_from_the_api_and_both_console_buttons(app, session, organiser, staff,
                                                                             community, rules, clock, enrol):
    console = console_of(app, staff)
    activity_id = plan(console, clock, rule_code="patrol_hours")
    path = f"/console/activities/{activity_id}"
    people = [enrol(name=name)[0] for name in ("陈元龙", "李秀英", "王建国")]
    for member in people:
        organiser.post(f"/api/v1/activities/{activity_id}/checkins", {"member_code": member_code(organiser, member)},
                       expect=201)
    clock.advance(hours=1)
    first, second, _third = organiser.get(f"/api/v1/activities/{activity_id}/checkins").json["items"]
    organiser.post(f"/api/v1/checkins/{first['id']}/checkout", {}, expect=200)
    assert posted(console, path, f"{path}/checkins/{second['id']}/checkout").status_code == 303
    assert posted(console, path, f"{path}/checkout").status_code == 303
    assert rows(session, "checkout") == [("checkout", "organiser", "member", member["id"], community["id"])
                                         for member in reversed(people)]
    assert [row.facts["points"] for row in trail(session, "checkout")] == [20, 20, 20]


def test_a_refused_card_checkin_leaves_no_audit_row(app, session, staff, organiser, community, rules, clock,
                                                    volunteer):
    member, _ = volunteer
    console = console_of(app, staff)
    activity_id = plan(console, clock)
    path = f"/console/activities/{activity_id}"
    for expected in (303, 409):  # the second: already checked in
        answer = posted(console, path, f"{path}/checkins", member_code=member_code(organiser, member))
        assert answer.status_code == expected
    assert rows(session, "checkin") == [("checkin", "organiser", "member", member["id"], community["id"])]


# The points supermarket -------------------------------------------------------------------

@pytest.fixture
def rich(organiser, enrol, rules):
    """Two volunteers with 900 points each (an organiser's award): one uses the API, one the pages."""
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"}, expect=201)
    people = [enrol(name=name) for name in ("陈元龙", "李秀英")]
    for member, _ in people:
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": 900}, expect=201)
    return people


def test_redeeming_and_cancelling_are_audited_from_the_api_and_from_the_shop_pages(app, session, shop, rich):
    (by_api, phone), (by_page, _) = rich
    page = PageClient(app).sign_in(by_page["phone"], "secret123")
    rice = shop["rice"]["id"]
    voucher = phone.post("/api/v1/redemptions", {"reward_id": rice}, expect=201).json
    made = page.submit(f"/shop/{rice}", quantity="1")
    assert made.status_code == 303
    paged = int(made.location.rsplit("/", 1)[-1])
    assert rows(session, "redemption") == [("redemption", "volunteer", "voucher", paged, by_page["community_id"]),
                                           ("redemption", "volunteer", "voucher", voucher["id"],
                                            by_api["community_id"])]
    phone.post(f"/api/v1/redemptions/{voucher['id']}/cancel", {}, expect=200)
    assert page.submit(made.location, made.location + "/cancel").status_code == 303
    assert [(row.member_id, row.subject.id, row.facts["points"], row.facts["status"])
            for row in trail(session, "cancellation")] == [
        (by_page["id"], paged, 300, "cancelled"), (by_api["id"], voucher["id"], 300, "cancelled")]


def test_a_refused_redemption_leaves_no_audit_row(app, session, shop, rich):
    (_, phone), (member, _) = rich
    page = PageClient(app).sign_in(member["phone"], "secret123")
    umbrella = shop["umbrella"]["id"]  # one in stock
    phone.post("/api/v1/redemptions", {"reward_id": umbrella}, expect=201)
    assert page.submit(f"/shop/{umbrella}", quantity="1").status_code == 409
    assert len(rows(session, "redemption")) == 1


def test_fulfilling_is_audited_from_the_api_and_from_the_counter_page(app, session, organiser, staff, shop, rich):
    (_, phone), _ = rich
    first, second = (phone.post("/api/v1/redemptions", {"reward_id": shop[name]["id"]}, expect=201).json
                     for name in ("haircut", "rice"))
    shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": first["voucher_code"]}, expect=200)
    console = console_of(app, staff)
    counter = f"/counter/voucher?code={second['voucher_code']}"
    assert console.submit(counter, "/counter/fulfil", code=second["voucher_code"]).status_code == 303
    assert [(row.actor.kind, row.subject.id, row.facts["partner_id"]) for row in
            trail(session, "fulfilment")] == [
        ("organiser", second["id"], second["partner_id"]), ("partner", first["id"], shop["barber"]["id"])]


def test_signing_a_partner_is_audited_from_the_api_and_from_the_console(app, session, organiser, staff, community):
    made = organiser.post("/api/v1/partners", {"name": "老街理发店", "kind": "shop",
                                               "community_ids": [community["id"]]}, expect=201).json
    signed = console_of(app, staff).submit("/console/partners", name="社区卫生站", kind="clinic",
                                           community_ids=str(community["id"]))
    assert signed.status_code == 303
    assert rows(session, "partner_signed") == [
        ("partner_signed", "organiser", "partner", int(signed.location.rsplit("/", 1)[-1]), community["id"]),
        ("partner_signed", "organiser", "partner", made["id"], community["id"])]


def test_stocking_and_changing_a_reward_are_audited_from_the_api_and_from_the_console(app, session, organiser,
                                                                                     staff, community, shop):
    console = console_of(app, staff)
    assert console.submit("/console/rewards/new?kind=goods", name="食用油 5L", cost="400",
                          stock="30").status_code == 303
    oil = next(item for item in organiser.get("/api/v1/rewards", limit=200).json["items"] if item["name"] == "食用油 5L")
    stocked = rows(session, "reward_stocked")
    assert stocked[0] == ("reward_stocked", "organiser", "reward", oil["id"], community["id"])
    assert {row[3] for row in stocked[1:]} == {shop[name]["id"] for name in ("haircut", "fee", "rice", "umbrella")}
    assert organiser.patch(f"/api/v1/rewards/{oil['id']}", {"stock": 10}).status_code == 200
    assert console.submit(f"/console/rewards/{oil['id']}", cost="350", stock="10", active="on").status_code == 303
    assert [(row.subject.id, row.facts) for row in trail(session, "reward_changed")] == [
        (oil["id"], {"reward_id": oil["id"], "cost": [400, 350]}),
        (oil["id"], {"reward_id": oil["id"], "stock": [30, 10]})]
