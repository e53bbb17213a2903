"""Leaderboards, the annual ranking and the summary: periods in Asia/Shanghai, ties, reversals,
teams, masking, and other communities kept out."""
from datetime import datetime, timedelta

import pytest

from ..conftest import ZONE
from ..helpers import Client, statements_run
from .test_errors import assert_error


def award(organiser, member, points, rule="patrol_hours"):  # no daily cap
    return organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": rule, "points": points},
                          expect=201).json


def board(client, **query):
    response = client.get("/api/v1/leaderboard", **query)
    assert response.status_code == 200, response.json
    return [(item["rank"], item["name"], item["points"]) for item in response.json["items"]]


def test_ties_share_a_rank_and_the_next_rank_skips(organiser, enrol, rules, ledger_is_sound):
    people = {name: enrol(name=name)[0] for name in ("陈元龙", "李四海", "王五福", "赵六顺")}
    for name, points in (("陈元龙", 100), ("李四海", 60), ("王五福", 60), ("赵六顺", 20)):
        award(organiser, people[name], points)
    assert board(organiser) == [(1, "陈元龙", 100), (2, "李四海", 60), (2, "王五福", 60), (4, "赵六顺", 20)]
    assert board(organiser, limit=2) == [(1, "陈元龙", 100), (2, "李四海", 60)]


def test_the_last_evening_of_a_month_counts_in_that_month(organiser, enrol, rules, clock, ledger_is_sound):
    member, _ = enrol()
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=ZONE))  # 15:30 UTC
    award(organiser, member, 30)
    clock.set(datetime(2026, 12, 1, 0, 30, tzinfo=ZONE))  # still 30 November in UTC
    award(organiser, member, 5)
    assert board(organiser, period="month", at="2026-11-15T12:00:00+08:00") == [(1, "陈元龙", 30)]
    assert board(organiser, period="month") == [(1, "陈元龙", 5)]
    assert board(organiser, period="year") == [(1, "陈元龙", 35)]
    assert board(organiser, period="all") == [(1, "陈元龙", 35)]


def test_a_check_in_at_half_past_eleven_on_the_last_day_counts_in_that_month(
        organiser, community, enrol, rules, clock, ledger_is_sound):
    member, phone = enrol()
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=ZONE))
    activity = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "月末夜巡", "community_id": community["id"],
        "starts_at": "2026-11-30T23:00:00+08:00", "ends_at": "2026-12-01T01:00:00+08:00"}, expect=201).json
    phone.post("/api/v1/checkins", {"code": activity["checkin_url"]}, expect=201)
    assert board(organiser, period="month", at="2026-11-30T00:00:00+08:00") == [(1, "陈元龙", 50)]
    assert board(organiser, period="month", at="2026-12-01T00:00:00+08:00") == []
    annual = organiser.get("/api/v1/reports/annual", year=2026).json["items"]
    assert (annual[0]["activities"], annual[0]["points"]) == (1, 50)


def test_weeks_start_on_monday(organiser, enrol, rules, clock, ledger_is_sound):
    member, _ = enrol()
    clock.set(datetime(2026, 11, 29, 23, 50, tzinfo=ZONE))  # a Sunday
    award(organiser, member, 10)
    clock.set(datetime(2026, 11, 30, 0, 10, tzinfo=ZONE))  # Monday: a new ISO week
    award(organiser, member, 20)
    response = organiser.get("/api/v1/leaderboard", period="week", at="2026-11-29T12:00:00+08:00").json
    assert (response["from"], response["to"]) == ("2026-11-23T00:00:00+08:00", "2026-11-30T00:00:00+08:00")
    assert [item["points"] for item in response["items"]] == [10]
    assert board(organiser, period="week") == [(1, "陈元龙", 20)]


def test_a_reversed_award_disappears_from_the_period_it_was_earned_in(organiser, enrol, rules, clock,
                                                                       ledger_is_sound):
    chen, _ = enrol(name="陈元龙")
    li, _ = enrol(name="李四海")
    clock.set(datetime(2026, 10, 31, 23, 0, tzinfo=ZONE))
    wrong = award(organiser, chen, 80)
    award(organiser, li, 40)
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=ZONE))
    award(organiser, chen, 10)
    organiser.post(f"/api/v1/transfers/{wrong['transfer_id']}/reverse", {"reason": "误登"}, expect=201)
    assert board(organiser, period="month", at="2026-10-15T00:00:00+08:00") == [(1, "李四海", 40)]
    assert board(organiser, period="month") == [(1, "陈元龙", 10)]
    assert board(organiser, period="all") == [(1, "李四海", 40), (2, "陈元龙", 10)]
    october = organiser.get("/api/v1/reports/summary", **{"from": "2026-10-01T00:00:00+08:00",
                                                          "to": "2026-11-01T00:00:00+08:00"}).json
    assert october["issued"] == 40 and october["active_by_month"] == [{"month": "2026-10", "count": 1}]


def test_a_team_board_has_only_that_team(organiser, enrol, rules, ledger_is_sound):
    for name, team, points in (("陈元龙", "巡逻队", 30), ("李四海", "宣传队", 90), ("王五福", "巡逻队", 50)):
        award(organiser, enrol(name=name, team=team)[0], points)
    assert board(organiser, team="巡逻队") == [(1, "王五福", 50), (2, "陈元龙", 30)]
    annual = organiser.get("/api/v1/reports/annual", team="宣传队").json["items"]
    assert [(item["rank"], item["name"], item["team"]) for item in annual] == [(1, "李四海", "宣传队")]


def test_volunteers_see_names_masked_unless_the_community_unmasks(organiser, community, enrol, rules):
    chen, phone = enrol(name="陈元龙")
    award(organiser, chen, 50)
    award(organiser, enrol(name="李海")[0], 40)
    assert board(phone) == [(1, "陈*龙", 50), (2, "李*", 40)]
    assert board(organiser) == [(1, "陈元龙", 50), (2, "李海", 40)]
    assert phone.patch(f"/api/v1/communities/{community['id']}", {"mask_names": False}).status_code == 403
    changed = organiser.patch(f"/api/v1/communities/{community['id']}", {"mask_names": False})
    assert changed.status_code == 200 and changed.json["mask_names"] is False
    assert board(phone) == [(1, "陈元龙", 50), (2, "李海", 40)]


def test_other_communities_members_never_appear(app, admin, organiser, community, enrol, rules, clock):
    award(organiser, enrol(name="陈元龙")[0], 50)
    other = admin.post("/api/v1/communities", {"name": "罗塘社区", "code": "luotang"}).json
    admin.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 50, "basis": "per_event",
                                 "community_id": other["id"]}, expect=201)
    stranger = admin.post("/api/v1/members", {"name": "外社区", "phone": "13712345678",
                                              "community_id": other["id"]}).json
    award(admin, stranger, 50, rule="patrol")
    _, phone = enrol(name="李四海")
    assert board(organiser) == [(1, "陈元龙", 50)]
    assert board(phone) == [(1, "陈*龙", 50)]
    assert board(admin, community_id=other["id"]) == [(1, "外社区", 50)]
    assert_error(phone.get("/api/v1/leaderboard", community_id=other["id"]), 403, "forbidden")
    assert_error(organiser.get("/api/v1/reports/annual", community_id=other["id"]), 403, "forbidden")
    assert_error(admin.get("/api/v1/leaderboard"), 422, "validation_error")
    summary = organiser.get("/api/v1/reports/summary").json
    assert summary["issued"] == 50 and sum(month["count"] for month in summary["new_by_month"]) == 2


def test_service_minutes_rank_and_show_in_the_balance(organiser, community, enrol, rules, clock, ledger_is_sound):
    chen, chen_phone = enrol(name="陈元龙")
    li, li_phone = enrol(name="李四海")
    start = clock.now()
    activity = organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": "夜巡(计时)", "community_id": community["id"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat()}, expect=201).json
    checkins = {name: phone.post("/api/v1/checkins", {"code": activity["checkin_url"]}, expect=201).json
                for name, phone in (("chen", chen_phone), ("li", li_phone))}
    clock.advance(minutes=150)
    li_phone.post(f"/api/v1/checkins/{checkins['li']['id']}/checkout", {}, expect=200)
    clock.advance(minutes=45)
    chen_phone.post(f"/api/v1/checkins/{checkins['chen']['id']}/checkout", {}, expect=200)
    award(organiser, li, 100)
    by_minutes = organiser.get("/api/v1/leaderboard", rank_by="minutes").json["items"]
    assert [(item["name"], item["minutes"], item["points"]) for item in by_minutes] == [
        ("陈元龙", 195, 60), ("李四海", 150, 140)]
    assert board(organiser) == [(1, "李四海", 140), (2, "陈元龙", 60)]
    assert chen_phone.get(f"/api/v1/members/{chen['id']}/balance").json["minutes_served"] == 195


def test_the_annual_ranking_counts_points_hours_activities_and_tips(organiser, community, enrol, rules, clock,
                                                                   ledger_is_sound):
    chen, phone = enrol(name="陈元龙")
    clock.set(datetime(2025, 12, 31, 23, 0, tzinfo=ZONE))
    award(organiser, chen, 999)  # last year
    clock.set(datetime(2026, 3, 1, 9, 0, tzinfo=ZONE))
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "幸福里3栋502"}, expect=201).json
    organiser.post(f"/api/v1/claims/{claim['id']}/approve", {}, expect=200)
    rejected = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "重复"}, expect=201).json
    organiser.post(f"/api/v1/claims/{rejected['id']}/reject", {"reason": "重复"}, expect=200)
    items = organiser.get("/api/v1/reports/annual", year=2026).json["items"]
    assert items == [{"rank": 1, "member_id": chen["id"], "name": "陈元龙", "team": "服管委员会", "points": 50,
                      "minutes": 0, "activities": 0, "tips": 1,
                      "level": "三星志愿者"}]  # on 1,049 lifetime points (800 and up), not the year's 50
    assert organiser.get("/api/v1/reports/annual", year=2025).json["items"][0]["points"] == 999
    assert_error(phone.get("/api/v1/reports/annual"), 403, "forbidden")


def test_the_summary_counts_issued_spent_active_new_checkins_and_partners(
        organiser, community, enrol, rules, shop, clock, ledger_is_sound):
    clock.set(datetime(2026, 1, 10, 10, 0, tzinfo=ZONE))
    chen, phone = enrol(name="陈元龙")
    award(organiser, chen, 500)
    clock.set(datetime(2026, 2, 3, 10, 0, tzinfo=ZONE))
    li, _ = enrol(name="李四海")
    award(organiser, li, 50)
    activity = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "二月巡逻", "community_id": community["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()}).json
    phone.post("/api/v1/checkins", {"code": activity["checkin_url"]}, expect=201)
    voucher = phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    shop["barber_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": voucher["voucher_code"]}, expect=200)
    fee = phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100, "household": "5栋101"},
                     expect=201).json
    shop["estate_clerk"].post("/api/v1/redemptions/fulfil", {"voucher_code": fee["voucher_code"]}, expect=200)
    clock.set(datetime(2026, 3, 5, 10, 0, tzinfo=ZONE))
    result = organiser.get("/api/v1/reports/summary", **{"from": "2026-01-01T00:00:00+08:00",
                                                         "to": "2026-03-01T00:00:00+08:00"}).json
    assert (result["from"], result["to"]) == ("2026-01-01T00:00:00+08:00", "2026-03-01T00:00:00+08:00")
    assert result["issued"] == 600 and result["spent"] == 300 and result["checkins"] == 1
    assert result["issued_by_rule"] == [{"rule_code": "patrol_hours", "name": "巡逻服务时间", "points": 550, "count": 2},
                                        {"rule_code": "patrol", "name": "参与治安巡逻", "points": 50, "count": 1}]
    assert result["spent_by_kind"] == [{"kind": "service", "points": 200, "count": 1, "amount_fen": 0},
                                       {"kind": "fee_deduction", "points": 100, "count": 1, "amount_fen": 10000}]
    assert result["active_by_month"] == [{"month": "2026-01", "count": 1}, {"month": "2026-02", "count": 2}]
    assert result["new_by_month"] == [{"month": "2026-01", "count": 1}, {"month": "2026-02", "count": 1}]
    assert result["checkins_by_activity"] == [{"activity_id": activity["id"], "title": "二月巡逻", "count": 1}]
    assert [(p["name"], p["points"], p["amount_fen"]) for p in result["partners"]] == [
        ("老街理发店", 200, 0), ("振宇物业服务中心", 100, 10000)]
    january = organiser.get("/api/v1/reports/summary", **{"from": "2026-01-10T00:00:00+08:00",
                                                          "to": "2026-01-20T00:00:00+08:00"}).json
    assert (january["from"], january["to"], january["issued"]) == (
        "2026-01-01T00:00:00+08:00", "2026-02-01T00:00:00+08:00", 500)


@pytest.mark.parametrize("query", [{"period": "day"}, {"rank_by": "tips"}, {"limit": 501}, {"at": "yesterday"}])
def test_bad_board_arguments_are_refused_clearly(organiser, query):
    assert_error(organiser.get("/api/v1/leaderboard", **query), 422, "validation_error")


def test_a_summary_must_end_after_it_starts(organiser):
    assert_error(organiser.get("/api/v1/reports/summary", **{"from": "2026-05-01", "to": "2026-04-01"}),
                 422, "validation_error")


def test_partners_see_no_boards(app, clock, shop):
    clerk: Client = shop["barber_clerk"]
    assert_error(clerk.get("/api/v1/leaderboard"), 403, "forbidden")
    assert_error(clerk.get("/api/v1/reports/summary"), 403, "forbidden")


def test_boards_and_summaries_read_tallies_never_the_ledger(app, organiser, enrol, rules):
    award(organiser, enrol()[0], 50)
    with statements_run(app) as statements:
        for path in ("/api/v1/leaderboard", "/api/v1/reports/annual", "/api/v1/reports/summary"):
            assert organiser.get(path).status_code == 200
    reads = [statement for statement in statements if "tallies" in statement]
    assert len(reads) == 4  # the annual ranking reads its rows, then their all-time tallies for the levels
    assert not [statement for statement in statements if " entries" in statement or " transfers" in statement]
