"""A check-in by staff for a volunteer without a smartphone is audited whichever way the volunteer was
named: the card's number or the member's id through the API, a search by name in the console; a
capped check-in's row says how many points it paid."""
from ..pages.test_console_activities import plan, posted
from .test_acts_audit_activities_and_shop import console_of, rows, trail


def test_a_checkin_by_number_by_id_or_by_name_is_audited_alike(app, session, organiser, staff, community, rules,
                                                               clock, enrol):
    console = console_of(app, staff)
    activity_id = plan(console, clock)
    (by_number, _), (by_id, _), (by_name, _) = enrol(name="陈元龙"), enrol(name="李秀英"), enrol(name="张桂英")
    number = organiser.get(f"/api/v1/members/{by_number['id']}").json["card_number"]
    path = f"/api/v1/activities/{activity_id}/checkins"
    organiser.post(path, {"card": number}, expect=201)
    organiser.post(path, {"member_id": by_id["id"]}, expect=201)
    page = f"/console/activities/{activity_id}"
    assert posted(console, page, f"{page}/checkins/search", q="张桂英").status_code == 303
    assert rows(session, "checkin") == [("checkin", "organiser", "member", member["id"], community["id"])
                                        for member in (by_name, by_id, by_number)]


def test_a_capped_checkin_by_staff_is_audited_with_the_points_it_paid(app, session, organiser, staff, community,
                                                                      rules, clock, volunteer):
    member, phone = volunteer
    console = console_of(app, staff)
    for _ in range(2):
        phone.post("/api/v1/checkins", {"code": organiser.get(f"/api/v1/activities/{plan(console, clock)}")
                                        .json["checkin_url"]}, expect=201)
    capped = plan(console, clock)
    organiser.post(f"/api/v1/activities/{capped}/checkins", {"member_id": member["id"]}, expect=201)
    facts = trail(session, "checkin")[0].facts
    assert (facts["activity_id"], facts["points"], facts["transfer_id"], facts["capped"]) == (capped, 0, None, "daily_cap")
