"""Every 409 limit_reached says which limit (`limit: {kind, limit, period, left}`), and out_of_stock how many are left."""
from ..integration.test_supermarket_races import give
from .test_checkins import make_activity  # noqa: F401 (a fixture)


def refusal(response, code="limit_reached"):
    assert response.status_code == 409, response.json
    assert response.json["code"] == code
    return response.json


def test_the_daily_cap_says_its_points_and_what_is_left_today(organiser, volunteer, rules):
    member, _ = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol"}
    organiser.post("/api/v1/awards", body, expect=201)
    answer = refusal(organiser.post("/api/v1/awards", {**body, "points": 80}))
    assert answer["limit"] == {"kind": "daily_cap", "limit": 100, "period": "day", "left": 50}


def test_the_per_member_limit_says_how_often_and_per_what(organiser, volunteer, shop):
    member, phone = volunteer
    give(organiser, member, 1000)
    phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201)
    answer = refusal(phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}))
    assert answer["limit"] == {"kind": "member_period_limit", "limit": 1, "period": "month", "left": 0}


def test_a_full_activity_says_its_capacity(make_activity, enrol):  # noqa: F811
    small = make_activity(capacity=1)
    (_, first), (_, second) = enrol(), enrol(name="第二位")
    first.post("/api/v1/checkins", {"code": small["checkin_url"]}, expect=201)
    answer = refusal(second.post("/api/v1/checkins", {"code": small["checkin_url"]}))
    assert answer["limit"] == {"kind": "capacity", "limit": 1, "left": 0}


def test_a_household_cap_says_its_amount_in_fen_and_what_is_left(organiser, enrol, shop, community):
    member, phone = enrol()
    give(organiser, member, 1000)
    capped = organiser.post("/api/v1/rewards", {
        "name": "减免物业费", "kind": "fee_deduction", "cost": 100, "fen_per_point": 100, "partner_id": shop["estate"]["id"],
        "community_id": community["id"], "household_cap_fen": 30000, "household_cap_period": "month"}, expect=201).json
    body = {"reward_id": capped["id"], "household": "3栋502"}
    phone.post("/api/v1/redemptions", {**body, "points": 200}, expect=201)
    answer = refusal(phone.post("/api/v1/redemptions", {**body, "points": 200}))
    assert answer["limit"] == {"kind": "household_cap", "limit": 30000, "period": "month", "left": 10000}


def test_out_of_stock_says_how_many_are_left(organiser, volunteer, shop):
    member, phone = volunteer
    give(organiser, member, 9000)
    answer = refusal(phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"], "quantity": 21}),
                     "out_of_stock")
    assert answer["left"] == 20 and "limit" not in answer
    phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}, expect=201)
    assert refusal(phone.post("/api/v1/redemptions", {"reward_id": shop["umbrella"]["id"]}), "out_of_stock")["left"] == 0

