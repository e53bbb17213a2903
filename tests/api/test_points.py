"""Rules, claims, awards and reversals through HTTP."""
from .test_errors import assert_error


def test_changing_a_rule_writes_a_new_version_and_old_entries_keep_theirs(organiser, volunteer, rules):
    member, phone = volunteer
    first = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201).json
    changed = organiser.put("/api/v1/rules/patrol", {"points": 80, "daily_cap": 200})
    assert changed.status_code == 200 and changed.json["version"] == 2 and changed.json["points"] == 80
    second = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol",
                                               "memo": "第二次"}, expect=201).json
    assert (first["rule_version"], first["points"]) == (1, 50)
    assert (second["rule_version"], second["points"]) == (2, 80)


def test_a_retired_rule_earns_nothing_more(organiser, volunteer, rules):
    member, _ = volunteer
    assert organiser.delete("/api/v1/rules/patrol").json["retired_at"]
    assert_error(organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}),
                 404, "not_found")
    codes = [rule["code"] for rule in organiser.get("/api/v1/rules").json["items"]]
    assert "patrol" not in codes and "rental_tip" in codes


def test_a_rule_code_is_defined_once_per_community(organiser, rules):
    body = {"code": "patrol", "name": "again", "points": 10, "basis": "per_event"}
    assert_error(organiser.post("/api/v1/rules", body), 409, "conflict")


def test_a_tip_earns_only_when_approved_and_only_once(organiser, volunteer, rules):
    member, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "幸福里3栋502 新租户"},
                       expect=201).json
    assert claim["status"] == "pending"
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0
    queue = organiser.get("/api/v1/claims", status="pending").json["items"]
    assert [c["id"] for c in queue] == [claim["id"]]
    approved = organiser.post(f"/api/v1/claims/{claim['id']}/approve", {}, expect=200).json
    assert approved["status"] == "approved" and approved["transfer_id"] and approved["points"] == 50
    assert_error(organiser.post(f"/api/v1/claims/{claim['id']}/approve", {}), 409, "already_reviewed")
    assert_error(organiser.post(f"/api/v1/claims/{claim['id']}/reject", {"reason": "late"}), 409, "already_reviewed")
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50


def test_a_rejected_claim_moves_no_points(organiser, volunteer, rules):
    member, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "无效线索"}).json
    rejected = organiser.post(f"/api/v1/claims/{claim['id']}/reject", {"reason": "已登记过"}, expect=200).json
    assert (rejected["status"], rejected["reason"]) == ("rejected", "已登记过")
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 0


def test_an_approval_may_set_the_points(organiser, volunteer, rules):
    member, phone = volunteer
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "重要线索"}).json
    assert organiser.post(f"/api/v1/claims/{claim['id']}/approve", {"points": 120}).json["points"] == 120


def test_a_reversal_takes_the_points_back_once(organiser, volunteer, rules, ledger_is_sound):
    member, phone = volunteer
    earned = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}).json
    reversal = organiser.post(f"/api/v1/transfers/{earned['transfer_id']}/reverse", {"reason": "登记错人"},
                              expect=201).json
    assert (reversal["reverses"], reversal["amount"]) == (earned["transfer_id"], 50)
    assert_error(organiser.post(f"/api/v1/transfers/{earned['transfer_id']}/reverse", {"reason": "x"}),
                 409, "already_reversed")
    items = phone.get(f"/api/v1/members/{member['id']}/entries").json["items"]
    assert [(i["kind"], i["amount"], i["reverses"]) for i in items] == [
        ("reversal", -50, earned["transfer_id"]), ("earn", 50, None)]
    balance = phone.get(f"/api/v1/members/{member['id']}/balance").json
    assert (balance["available"], balance["lifetime_earned"]) == (0, 0)


def test_the_daily_cap_answers_limit_reached(organiser, volunteer, rules):
    member, _ = volunteer
    body = {"member_id": member["id"], "rule_code": "patrol"}
    organiser.post("/api/v1/awards", body, expect=201)
    organiser.post("/api/v1/awards", body, expect=201)
    assert_error(organiser.post("/api/v1/awards", body), 409, "limit_reached")


def test_history_pages_follow_the_cursor(organiser, volunteer, rules, clock):
    member, phone = volunteer
    for _ in range(5):
        clock.advance(days=1)
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = phone.get(f"/api/v1/members/{member['id']}/entries", **query).json
        seen += [item["balance_after"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [250, 200, 150, 100, 50]


def test_times_carry_the_service_zone(organiser, volunteer):
    member, _ = volunteer
    assert organiser.get(f"/api/v1/members/{member['id']}").json["joined_at"].endswith("+08:00")
