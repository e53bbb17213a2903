"""Volunteer levels (星级) on lifetime points, never the balance: per community, changed by organisers,
shown in the annual ranking."""
from .test_errors import assert_error


def test_levels_follow_lifetime_points_and_spending_demotes_nobody(organiser, community, volunteer, rules, shop):
    member, phone = volunteer
    assert organiser.get("/api/v1/communities").json["items"][0]["levels"][0] == {"points": 100, "name": "一星志愿者"}
    changed = organiser.patch(f"/api/v1/communities/{community['id']}", {"levels": [
        {"points": 300, "name": "银牌志愿者"}, {"points": 100, "name": "铜牌志愿者"}]})
    assert changed.status_code == 200, changed.json
    assert changed.json["levels"] == [{"points": 100, "name": "铜牌志愿者"}, {"points": 300, "name": "银牌志愿者"}]
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": 100}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 220},
                   expect=201)
    [row] = organiser.get("/api/v1/reports/annual").json["items"]
    assert (row["points"], row["level"]) == (320, "银牌志愿者")
    phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)  # 300 of 320 spent
    [row] = organiser.get("/api/v1/reports/annual").json["items"]
    assert row["level"] == "银牌志愿者"


def test_levels_need_distinct_names_and_points(organiser, community):
    for levels in ([{"points": 100, "name": "一星"}, {"points": 100, "name": "二星"}],
                   [{"points": 100, "name": "一星"}, {"points": 200, "name": "一星"}], []):
        assert_error(organiser.patch(f"/api/v1/communities/{community['id']}", {"levels": levels}), 422,
                     "validation_error")
