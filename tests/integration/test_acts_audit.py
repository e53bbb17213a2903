"""Each act writes its own audit row, whichever door it came through: the JSON API and the console
pages leave the same row (action, subject, community) for the same act."""
from datetime import timedelta

from points.audit import audit_trail

from ..pages.conftest import PageClient
from ..pages.test_console_activities import member_code, plan, posted


def console_of(app, staff) -> PageClient:
    return PageClient(app).sign_in(staff("organiser", name="罗塘派出所 民警"), "password1")


def rows(session, action, **cut):
    session.expire_all()
    return [(row.action, row.actor.kind, row.subject.kind, row.subject.id, row.community_id)
            for row in audit_trail(session, action=action, **cut)]


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
    assert audit_trail(session, action="activity_scheduled")[1].facts["rule_code"] == "patrol"


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
    facts = audit_trail(session, action="checkin")[0].facts
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
    assert [row.facts["points"] for row in audit_trail(session, action="checkout")] == [20, 20, 20]


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
