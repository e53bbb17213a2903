"""Every act writes its own audit row, whichever door it came through: the same row from the JSON
API and from the console's form; and the log is read back through GET /api/v1/audit and /console/audit."""
import re
from html import unescape

import pytest


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def rows(organiser, **query) -> list[dict]:
    return organiser.get("/api/v1/audit", **query).json["items"]


def shape(row: dict) -> tuple:
    """What a row says regardless of its door: who (kind), what, to whom, why, and the act's facts."""
    facts = {name: value for name, value in row["details"].items() if name not in ("transfer_id", "reverses")}
    return row["actor"]["kind"], row["action"], row["subject"], row["reason"], facts


@pytest.fixture
def first_award(organiser, volunteer, rules):
    member, _ = volunteer
    return organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "夜巡"},
                          expect=201).json


def test_an_award_writes_the_same_row_through_the_api_and_the_console(organiser, console_pages, volunteer, rules):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "夜巡"}, expect=201)
    page = f"/console/members/{member['id']}"
    response = console_pages.submit(page, f"{page}/award", rule_code="patrol", memo="夜巡", points="")
    assert response.status_code == 303
    by_page, by_api = rows(organiser, member_id=member["id"], action="award")
    assert shape(by_page) == shape(by_api) == (
        "organiser", "award", {"kind": "member", "id": member["id"], "name": member["name"]}, "夜巡",
        {"rule_code": "patrol", "points": 50})
    assert by_page["actor"]["name"] == "罗塘派出所 民警"  # the staff account's name, never a phone


def test_a_reversal_writes_the_same_row_through_the_api_and_the_console(organiser, console_pages, volunteer, rules):
    member, _ = volunteer
    awards = [organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201).json
              for _ in range(2)]
    organiser.post(f"/api/v1/transfers/{awards[0]['transfer_id']}/reverse", {"reason": "记错了人"}, expect=201)
    page = f"/console/members/{member['id']}/entries/{awards[1]['transfer_id']}/reverse"
    assert console_pages.submit(page, reason="记错了人").status_code == 303
    by_page, by_api = rows(organiser, member_id=member["id"], action="reversal")
    assert shape(by_page) == shape(by_api)
    assert by_page["details"]["reverses"] == awards[1]["transfer_id"]


def test_a_review_writes_the_same_row_through_the_api_and_the_console(organiser, console_pages, volunteer, rules):
    member, phone = volunteer
    tips = [phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": f"{n}栋 新租户"}, expect=201).json
            for n in (3, 5)]
    organiser.post(f"/api/v1/claims/{tips[0]['id']}/reject", {"reason": "已登记过"}, expect=200)
    page = f"/console/claims/{tips[1]['id']}/reject"
    assert console_pages.submit("/console/claims", page, reason="已登记过").status_code == 303
    by_page, by_api = rows(organiser, action="claim_reviewed")
    assert {**shape(by_page)[4], "claim_id": 0} == {**shape(by_api)[4], "claim_id": 0}
    assert shape(by_page)[:4] == shape(by_api)[:4]
    assert [row["details"]["claim_id"] for row in (by_page, by_api)] == [tips[1]["id"], tips[0]["id"]]
    assert all("新租户" not in str(row) for row in rows(organiser))  # a tip's text is never in the log


def test_the_log_is_filtered_by_member_action_and_time(organiser, clock, enrol, rules):
    (first, _), (second, _) = enrol(name="陈元龙"), enrol(name="李桂英")
    start = clock.now()
    for member in (first, second):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    assert [row["subject"]["name"] for row in rows(organiser, action="award")] == ["李桂英", "陈元龙"]
    assert [row["subject"]["id"] for row in rows(organiser, member_id=first["id"])] == [first["id"]] * len(
        rows(organiser, member_id=first["id"])) != []
    assert rows(organiser, action="award", to=start.isoformat()) == []
    assert len(rows(organiser, action="award", **{"from": start.isoformat()})) == 2
    page = organiser.get("/api/v1/audit", limit=1).json
    assert len(page["items"]) == 1 and organiser.get("/api/v1/audit", limit=1, cursor=page["next_cursor"]).json[
        "items"][0]["id"] < page["items"][0]["id"]


def test_another_communitys_log_is_not_shown(organiser, other_community, volunteer, rules):
    member, phone = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    b, b_organiser = other_community
    assert all(row["action"] != "award" for row in rows(b_organiser))
    assert b_organiser.get("/api/v1/audit", community_id=1 if b["id"] != 1 else 2).status_code == 403
    assert b_organiser.get("/api/v1/audit", member_id=member["id"]).status_code == 404
    assert phone.get("/api/v1/audit").status_code == 403
    assert organiser.get("/api/v1/audit", action="no_such_act").status_code == 422


def test_the_console_shows_the_log_newest_first_filtered_by_member_and_action(console_pages, organiser, enrol, rules):
    (first, _), (second, _) = enrol(name="陈元龙"), enrol(name="李桂英")
    organiser.post("/api/v1/awards", {"member_id": first["id"], "rule_code": "patrol", "memo": "夜巡"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": second["id"], "rule_code": "patrol", "memo": "晨巡"}, expect=201)
    whole = text(console_pages.get("/console/audit"))
    assert whole.index("晨巡") < whole.index("夜巡") and "李桂英" in whole and "组织者 罗塘派出所 民警" in whole
    assert "organiser:" not in whole and "参与治安巡逻" in whole
    only_first = text(console_pages.get(f"/console/audit?member_id={first['id']}&action=award"))
    table = only_first[only_first.index('data-testid="audit-trail"'):]
    assert "陈元龙" in table and "夜巡" in table and "李桂英" not in table and "晨巡" not in table
    assert re.search(r'<option value="award" selected>', only_first)
