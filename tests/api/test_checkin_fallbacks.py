"""Check-in without a smartphone or a camera: the short code typed at /checkins, the member card's number
typed by an organiser, a member chosen by name, and attendance kept when the day's points are capped."""
from datetime import timedelta

import pytest

from points.short_codes import ALPHABET

from ..helpers import decode_qr
from .test_checkins import make_activity  # noqa: F401  (fixture)
from .test_errors import assert_error


@pytest.fixture
def patrol(make_activity):  # noqa: F811
    return make_activity()


def spelled_sloppily(code: str) -> str:
    """What a volunteer might type: lower case, a space in the middle, spaces around."""
    return f"  {code[:3].lower()} {code[3:].lower()} "


def test_organisers_see_a_six_character_short_code_and_volunteers_do_not(organiser, patrol, volunteer):
    _, phone = volunteer
    short = organiser.get(f"/api/v1/activities/{patrol['id']}").json["short_code"]
    assert len(short) == 6 and set(short) <= set(ALPHABET)
    assert "short_code" not in phone.get(f"/api/v1/activities/{patrol['id']}").json


def test_short_codes_differ_from_activity_to_activity(organiser, make_activity):  # noqa: F811
    codes = {make_activity(title=f"巡逻 {number}")["short_code"] for number in range(30)}
    assert len(codes) == 30


def test_a_typed_short_code_checks_in_like_the_printed_qr(patrol, volunteer, ledger_is_sound):
    member, phone = volunteer
    checkin = phone.post("/api/v1/checkins", {"code": spelled_sloppily(patrol["short_code"])}, expect=201).json
    assert (checkin["activity_id"], checkin["method"], checkin["points"]) == (patrol["id"], "printed", 50)
    assert_error(phone.post("/api/v1/checkins", {"code": patrol["short_code"]}), 409, "already_checked_in")


def test_the_screens_short_code_checks_in_as_live_and_changes_with_the_qr(organiser, patrol, enrol, clock):
    (_, first), (_, second) = enrol(), enrol(name="第二位")
    shown = organiser.get(f"/api/v1/activities/{patrol['id']}/live").json
    assert len(shown["short_code"]) == 6 and shown["short_code"] != patrol["short_code"]
    svg = organiser.get(f"/api/v1/activities/{patrol['id']}/live.svg")
    assert svg.headers["X-Short-Code"] == shown["short_code"]
    checkin = first.post("/api/v1/checkins", {"code": spelled_sloppily(shown["short_code"])}, expect=201).json
    assert (checkin["activity_id"], checkin["method"]) == (patrol["id"], "live")
    clock.advance(minutes=5)  # many screen codes later: the old one names nothing
    assert organiser.get(f"/api/v1/activities/{patrol['id']}/live").json["short_code"] != shown["short_code"]
    assert_error(second.post("/api/v1/checkins", {"code": shown["short_code"]}), 422, "invalid_code")


def test_a_live_only_activity_refuses_its_printed_short_code(organiser, make_activity, volunteer):  # noqa: F811
    _, phone = volunteer
    live_only = make_activity(checkin_methods=["live"])
    assert_error(phone.post("/api/v1/checkins", {"code": live_only["short_code"]}), 422, "invalid_code")
    live = organiser.get(f"/api/v1/activities/{live_only['id']}/live").json["short_code"]
    assert phone.post("/api/v1/checkins", {"code": live}, expect=201).json["method"] == "live"


def test_a_short_code_of_another_community_names_nothing(admin, app, clock, patrol, rules):
    from ..conftest import _token
    from ..helpers import Client
    other = admin.post("/api/v1/communities", {"name": "罗塘社区", "code": "luotang"}).json
    stranger = admin.post("/api/v1/members", {"name": "外人", "phone": "13700000001", "community_id": other["id"]}).json
    phone = Client(app, _token(app, clock, role="volunteer", name="外人", member_id=stranger["id"]))
    assert_error(phone.post("/api/v1/checkins", {"code": patrol["short_code"]}), 422, "invalid_code")


def test_a_wrong_short_code_is_an_invalid_code(patrol, volunteer):
    _, phone = volunteer
    wrong = next(code for code in ("222222", "ZZZZZZ", "23456A") if code != patrol["short_code"])
    assert_error(phone.post("/api/v1/checkins", {"code": wrong}), 422, "invalid_code")


def test_every_member_has_an_eight_digit_card_number(organiser, enrol):
    numbers = {organiser.get(f"/api/v1/members/{enrol(name=f'志愿者{n}')[0]['id']}").json["card_number"]
               for n in range(20)}
    assert len(numbers) == 20 and all(len(number) == 8 and number.isdigit() for number in numbers)


def test_an_organiser_checks_in_by_card_number_qr_text_or_member_id(organiser, make_activity, enrol):  # noqa: F811
    (by_number, _), (by_qr, _), (by_id, _) = enrol(), enrol(name="第二位"), enrol(name="第三位")
    patrol = make_activity()
    number = organiser.get(f"/api/v1/members/{by_number['id']}").json["card_number"]
    qr_text = decode_qr(organiser.get(f"/api/v1/members/{by_qr['id']}/card.png").data)
    path = f"/api/v1/activities/{patrol['id']}/checkins"
    for body, member in (({"card": f"{number[:4]} {number[4:]}"}, by_number), ({"card": qr_text}, by_qr),
                         ({"member_id": by_id["id"]}, by_id)):
        checkin = organiser.post(path, body, expect=201).json
        assert (checkin["member_id"], checkin["method"]) == (member["id"], "card")


def test_a_mistyped_card_number_is_caught_by_its_check_digit(organiser, patrol, volunteer):
    member, _ = volunteer
    number = organiser.get(f"/api/v1/members/{member['id']}").json["card_number"]
    mistyped = number[:2] + str((int(number[2]) + 1) % 10) + number[3:]
    assert_error(organiser.post(f"/api/v1/activities/{patrol['id']}/checkins", {"card": mistyped}), 422,
                 "invalid_code")


def test_card_and_member_id_together_or_neither_are_refused(organiser, patrol, volunteer):
    member, _ = volunteer
    path = f"/api/v1/activities/{patrol['id']}/checkins"
    assert_error(organiser.post(path, {}), 422, "validation_error")
    assert_error(organiser.post(path, {"card": "12345678", "member_id": member["id"]}), 422, "validation_error")


def test_another_communitys_member_cannot_be_checked_in_by_id(admin, organiser, patrol):
    other = admin.post("/api/v1/communities", {"name": "罗塘社区", "code": "luotang"}).json
    stranger = admin.post("/api/v1/members", {"name": "外人", "phone": "13700000001", "community_id": other["id"]}).json
    assert_error(organiser.post(f"/api/v1/activities/{patrol['id']}/checkins", {"member_id": stranger["id"]}), 404,
                 "not_found")


def test_a_capped_checkin_counts_for_attendance_and_the_activitys_figures(organiser, community, make_activity,  # noqa: F811
                                                                          volunteer, clock, ledger_is_sound):
    member, phone = volunteer
    for _ in range(2):
        phone.post("/api/v1/checkins", {"code": make_activity()["checkin_url"]}, expect=201)
    third = make_activity()
    capped = phone.post("/api/v1/checkins", {"code": third["short_code"]}, expect=201).json
    assert (capped["points"], capped["capped"]) == (0, "daily_cap")
    assert organiser.get(f"/api/v1/checkins/{capped['id']}").json["capped"] == "daily_cap"
    assert organiser.get(f"/api/v1/activities/{third['id']}").json["checkin_count"] == 1
    summary = organiser.get("/api/v1/reports/summary", community_id=community["id"])
    assert summary.status_code == 200, summary.get_json()
    by_activity = {row["activity_id"]: row["count"] for row in summary.json["checkins_by_activity"]}
    assert by_activity[third["id"]] == 1 and summary.json["checkins"] == 3


def test_a_checkin_that_reaches_the_cap_is_paid_what_still_fits(organiser, make_activity, volunteer):  # noqa: F811
    member, phone = volunteer
    organiser.put("/api/v1/rules/patrol", {"daily_cap": 70})
    first = phone.post("/api/v1/checkins", {"code": make_activity()["checkin_url"]}, expect=201).json
    second = phone.post("/api/v1/checkins", {"code": make_activity()["checkin_url"]}, expect=201).json
    assert (first["points"], first["capped"]) == (50, None)
    assert (second["points"], second["capped"]) == (20, "daily_cap")
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 70


def test_a_capped_hourly_checkin_still_counts_its_hours(organiser, make_activity, volunteer, clock):  # noqa: F811
    member, phone = volunteer
    organiser.put("/api/v1/rules/patrol_hours", {"daily_cap": 20})
    for hours in (1, 2):
        shift = make_activity(rule_code="patrol_hours", hours=hours, starts_in=timedelta(minutes=1))
        clock.advance(minutes=1)
        checkin = phone.post("/api/v1/checkins", {"code": shift["short_code"]}, expect=201).json
        clock.advance(hours=hours)
        phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    balance = phone.get(f"/api/v1/members/{member['id']}/balance").json
    assert (balance["available"], balance["minutes_served"]) == (20, 180)
