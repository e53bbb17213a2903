"""Corrections (issue 24): activities changed and cancelled, partners changed and retired, check-outs
undone, disabled staff told so. Through the JSON API, on whichever database the suite runs on."""
from datetime import timedelta

import pytest

from .test_errors import assert_error


@pytest.fixture
def shift(organiser, community, rules, clock):
    """A four-hour per-hour patrol starting now (20 points an hour)."""
    start = clock.now()
    return organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": "夜间巡逻", "community_id": community["id"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat()}, expect=201).json


def balance(client, member) -> int:
    return client.get(f"/api/v1/members/{member['id']}/balance").json["available"]


def test_an_organiser_renames_and_moves_an_activity_and_the_trail_says_what_changed(organiser, shift, clock):
    later = clock.now() + timedelta(days=1)
    changed = organiser.patch(f"/api/v1/activities/{shift['id']}", {
        "title": "周六夜间巡逻", "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=2)).isoformat(),
        "capacity": 12, "place": {"lat": 32.5, "lng": 120.1, "radius_m": 300}})
    assert changed.status_code == 200, changed.get_json()
    body = changed.json
    assert (body["title"], body["capacity"], body["location"]["radius_m"]) == ("周六夜间巡逻", 12, 300)
    assert body["starts_at"].startswith(later.date().isoformat())
    [row] = organiser.get("/api/v1/audit", action="activity_changed").json["items"]
    assert set(row["details"]["changed"]) == {"title", "starts_at", "ends_at", "capacity", "place"}
    cleared = organiser.patch(f"/api/v1/activities/{shift['id']}", {"capacity": None, "place": None}).json
    assert (cleared["capacity"], cleared["location"]) == (None, None)


def test_new_times_that_leave_out_a_check_in_are_a_conflict(organiser, shift, volunteer, clock):
    _, phone = volunteer
    clock.advance(hours=1)
    phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201)
    starts_after_it = clock.now() + timedelta(hours=1)
    assert_error(organiser.patch(f"/api/v1/activities/{shift['id']}", {"starts_at": starts_after_it.isoformat()}),
                 409, "conflict")
    assert organiser.patch(f"/api/v1/activities/{shift['id']}", {"capacity": 1}).status_code == 200
    assert organiser.get(f"/api/v1/activities/{shift['id']}").json["starts_at"] == shift["starts_at"]


def test_a_bad_change_is_a_validation_error_and_changes_nothing(organiser, shift, clock):
    before = clock.now() - timedelta(hours=1)
    assert_error(organiser.patch(f"/api/v1/activities/{shift['id']}", {"ends_at": before.isoformat()}),
                 422, "validation_error")
    assert_error(organiser.patch(f"/api/v1/activities/{shift['id']}", {"capacity": 0}), 422, "validation_error")
    assert organiser.get(f"/api/v1/activities/{shift['id']}").json["ends_at"] == shift["ends_at"]


def test_cancelling_reverses_what_the_activity_paid_with_the_reason(organiser, make_patrol, enrol, clock,
                                                                    ledger_is_sound):
    patrol = make_patrol()
    paid = [enrol(name=name) for name in ("陈元龙", "李华")]
    for _, phone in paid:
        phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    assert [balance(phone, member) for member, phone in paid] == [50, 50]
    cancelled = organiser.post(f"/api/v1/activities/{patrol['id']}/cancel", {"reason": "台风预警"}, expect=200).json
    assert len(cancelled["reversed"]) == 2 and cancelled["not_reversed"] == []
    assert cancelled["activity"]["cancel_reason"] == "台风预警" and cancelled["activity"]["cancelled_at"]
    assert [balance(phone, member) for member, phone in paid] == [0, 0]
    checkins = organiser.get(f"/api/v1/activities/{patrol['id']}/checkins").json["items"]
    assert [checkin["points"] for checkin in checkins] == [0, 0]
    member, phone = paid[0]
    newest = phone.get(f"/api/v1/members/{member['id']}/entries").json["items"][0]
    assert (newest["amount"], newest["memo"], newest["reverses"]) == (-50, "台风预警", cancelled["reversed"][0])
    late, late_phone = enrol(name="王五")
    assert_error(late_phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}), 409, "activity_not_open")
    assert_error(organiser.post(f"/api/v1/activities/{patrol['id']}/cancel", {"reason": "再次"}), 409, "conflict")
    [row] = organiser.get("/api/v1/audit", action="activity_cancelled").json["items"]
    assert row["reason"] == "台风预警" and row["subject"]["name"] == patrol["title"]


def test_cancelling_needs_a_reason(organiser, make_patrol):
    patrol = make_patrol()
    assert_error(organiser.post(f"/api/v1/activities/{patrol['id']}/cancel", {}), 422, "validation_error")
    assert_error(organiser.post(f"/api/v1/activities/{patrol['id']}/cancel", {"reason": ""}), 422,
                 "validation_error")
    assert organiser.get(f"/api/v1/activities/{patrol['id']}").json["cancelled_at"] is None


def test_points_spent_since_are_listed_not_reversed(organiser, make_patrol, volunteer, shop, ledger_is_sound):
    member, phone = volunteer
    patrol = make_patrol()
    phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    umbrella = organiser.post("/api/v1/rewards", {"community_id": member["community_id"], "name": "小伞",
                                                  "kind": "goods", "cost": 50}, expect=201).json
    phone.post("/api/v1/redemptions", {"reward_id": umbrella["id"]}, expect=201)
    cancelled = organiser.post(f"/api/v1/activities/{patrol['id']}/cancel", {"reason": "重复录入"}, expect=200).json
    assert (cancelled["reversed"], len(cancelled["not_reversed"])) == ([], 1)


def test_a_volunteer_undoes_a_check_out_within_ten_minutes_and_checks_out_again(shift, volunteer, clock,
                                                                               ledger_is_sound):
    member, phone = volunteer
    checkin = phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    clock.advance(hours=1, minutes=5)
    phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    assert balance(phone, member) == 20
    clock.advance(minutes=9)
    undone = phone.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}, expect=200).json
    assert (undone["status"], undone["points"], undone["transfer_id"], undone["checked_out_at"]) == \
        ("open", 0, None, None)
    assert balance(phone, member) == 0
    assert_error(phone.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}), 409, "conflict")
    clock.advance(hours=1)
    again = phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200).json
    assert (again["status"], again["points"]) == ("awarded", 40) and again["transfer_id"] != checkin["transfer_id"]
    assert balance(phone, member) == 40


def test_after_ten_minutes_only_an_organiser_may_undo_and_only_until_the_end(organiser, shift, volunteer, clock):
    member, phone = volunteer
    checkin = phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    clock.advance(hours=2)
    phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    clock.advance(minutes=10, seconds=1)
    assert_error(phone.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}), 409, "conflict")
    assert balance(phone, member) == 40
    organiser.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}, expect=200)
    assert balance(phone, member) == 0
    organiser.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    clock.advance(hours=2)  # the activity has ended
    assert_error(organiser.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}), 409, "conflict")
    [row, *_] = organiser.get("/api/v1/audit", action="checkout_undone").json["items"]
    assert row["subject"]["name"] == member["name"]


def test_an_open_check_in_has_nothing_to_undo(shift, volunteer):
    _, phone = volunteer
    checkin = phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    assert_error(phone.post(f"/api/v1/checkins/{checkin['id']}/undo-checkout", {}), 409, "conflict")


def test_a_partner_is_renamed_and_a_second_of_the_same_name_is_a_conflict(organiser, community, shop):
    barber = shop["barber"]
    assert_error(organiser.post("/api/v1/partners", {"name": "老街理发店", "kind": "shop",
                                                     "community_ids": [community["id"]]}), 409, "conflict")
    assert_error(organiser.patch(f"/api/v1/partners/{shop['estate']['id']}", {"name": "老街理发店"}), 409, "conflict")
    renamed = organiser.patch(f"/api/v1/partners/{barber['id']}", {"name": "老街理发店（东门）", "kind": "clinic"})
    assert renamed.status_code == 200 and (renamed.json["name"], renamed.json["kind"]) == ("老街理发店（东门）", "clinic")
    assert organiser.post("/api/v1/partners", {"name": "老街理发店", "kind": "shop",
                                               "community_ids": [community["id"]]}).status_code == 201
    [row] = organiser.get("/api/v1/audit", action="partner_changed").json["items"]
    assert row["details"]["changed"]["name"] == ["老街理发店", "老街理发店（东门）"]


def test_the_same_name_may_serve_another_community(admin, shop):
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    assert admin.post("/api/v1/partners", {"name": "老街理发店", "kind": "shop",
                                           "community_ids": [other["id"]]}).status_code == 201


def test_retiring_a_partner_shuts_its_counter_and_gives_back_its_vouchers(app, clock, organiser, rules, shop,
                                                                          volunteer, staff, ledger_is_sound):
    member, phone = volunteer
    for _ in range(2):  # 100 a day at most
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": 100}, expect=201)
        clock.advance(days=1)
    clerk_phone = staff(role="partner", partner_id=shop["barber"]["id"], name="王芳")
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    assert balance(phone, member) == 0
    retired = organiser.post(f"/api/v1/partners/{shop['barber']['id']}/retire", {"reason": "店铺关门"}, expect=200)
    assert retired.json["retired_at"]
    assert balance(phone, member) == 200  # the unused voucher was cancelled
    assert phone.get(f"/api/v1/redemptions/{voucher['id']}").json["status"] == "cancelled"
    assert_error(shop["barber_clerk"].get(f"/api/v1/partners/{shop['barber']['id']}/settlement"), 401,
                 "unauthorized")
    login = app.test_client().post("/api/v1/auth/login", json={"phone": clerk_phone, "password": "password1"})
    assert_error(login, 403, "forbidden")
    haircut = organiser.get("/api/v1/rewards", community_id=member["community_id"]).json["items"]
    assert [reward["active"] for reward in haircut if reward["id"] == shop["haircut"]["id"]] == [False]
    # and they stay off the shelf: not put back, and no new one for the retired partner
    assert_error(organiser.patch(f"/api/v1/rewards/{shop['haircut']['id']}", {"active": True}), 409, "conflict")
    assert_error(organiser.post("/api/v1/rewards", {"community_id": member["community_id"], "name": "理发",
                                                    "kind": "service", "cost": 100,
                                                    "partner_id": shop["barber"]["id"]}), 409, "conflict")
    assert_error(organiser.post(f"/api/v1/partners/{shop['barber']['id']}/retire", {}), 409, "conflict")
    assert organiser.post("/api/v1/partners", {"name": "老街理发店", "kind": "shop",
                                               "community_ids": [member["community_id"]]}).status_code == 201


def test_an_organiser_cannot_change_a_partner_shared_with_another_community(admin, organiser, community):
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    shared = admin.post("/api/v1/partners", {"name": "连锁药店", "kind": "clinic",
                                             "community_ids": [community["id"], other["id"]]}, expect=201).json
    assert_error(organiser.patch(f"/api/v1/partners/{shared['id']}", {"name": "药店"}), 403, "forbidden")
    assert_error(organiser.post(f"/api/v1/partners/{shared['id']}/retire", {}), 403, "forbidden")
    assert admin.patch(f"/api/v1/partners/{shared['id']}", {"community_ids": [other["id"]]}).status_code == 200


def test_a_disabled_account_is_told_so_only_with_the_right_password(app, clock, staff):
    from api.acts.staff import disable_staff, enable_staff
    from api.identity.accounts import StaffAccount
    phone = staff(name="刘明")
    client = app.test_client()
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        account = session.query(StaffAccount).filter_by(phone=phone).one()
        disable_staff(session, None, staff_id=account.id, now=clock.now(), reason="调岗")
    assert_error(client.post("/api/v1/auth/login", json={"phone": phone, "password": "wrong-one"}), 401,
                 "unauthorized")
    told = assert_error(client.post("/api/v1/auth/login", json={"phone": phone, "password": "password1"}), 403,
                        "forbidden")
    assert "disabled" in told["message"]
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        enable_staff(session, None, staff_id=account.id, now=clock.now(), reason="回岗")
    assert client.post("/api/v1/auth/login", json={"phone": phone, "password": "password1"}).status_code == 200


@pytest.fixture
def make_patrol(organiser, community, rules, clock):
    def make():
        start = clock.now()
        return organiser.post("/api/v1/activities", {
            "rule_code": "patrol", "title": "治安巡逻", "community_id": community["id"],
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    return make


def test_a_volunteer_cannot_change_or_cancel_an_activity(make_patrol, volunteer):
    _, phone = volunteer
    patrol = make_patrol()
    assert_error(phone.patch(f"/api/v1/activities/{patrol['id']}", {"title": "x"}), 403, "forbidden")
    assert_error(phone.post(f"/api/v1/activities/{patrol['id']}/cancel", {"reason": "x"}), 403, "forbidden")


def test_a_cancellation_tells_each_volunteer_who_came_once_also_when_retried(organiser, make_patrol, enrol):
    patrol = make_patrol()
    came = [enrol(name=name) for name in ("陈元龙", "李华")]
    for _, phone in came:
        phone.post("/api/v1/checkins", {"code": patrol["checkin_url"]}, expect=201)
    _, stayed_home = enrol(name="王五")
    for _ in range(2):  # a retry with the same key: the same answer, no second message
        organiser.post(f"/api/v1/activities/{patrol['id']}/cancel", {"reason": "台风预警"}, key="cancel-1", expect=200)
    for _, phone in came:
        [told] = phone.get("/api/v1/me/messages").json["items"]
        assert told["kind"] == "activity_cancelled" and "已取消" in told["body"] and "50 积分已收回" in told["body"]
    assert stayed_home.get("/api/v1/me/messages").json["items"] == []


def test_cancelling_rejects_the_claims_its_check_ins_left_for_review(organiser, community, rules, clock, enrol):
    start = clock.now()
    sweep = organiser.post("/api/v1/activities", {
        "rule_code": "rental_tip", "title": "出租房排查", "community_id": community["id"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}, expect=201).json
    member, phone = enrol(name="陈元龙")
    phone.post("/api/v1/checkins", {"code": sweep["checkin_url"]}, expect=201)
    [waiting] = organiser.get("/api/v1/claims", status="pending").json["items"]
    organiser.post(f"/api/v1/activities/{sweep['id']}/cancel", {"reason": "台风预警"}, expect=200)
    [claim] = [c for c in organiser.get("/api/v1/claims").json["items"] if c["id"] == waiting["id"]]
    assert (claim["status"], claim["reason"]) == ("rejected", "台风预警")
    assert_error(organiser.post(f"/api/v1/claims/{waiting['id']}/approve"), 409, "already_reviewed")
    assert balance(phone, member) == 0
