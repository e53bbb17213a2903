"""The audit trail: staff's awards, reversals and reviews are recorded with who and why, in the
act's own transaction (a refused act leaves no row)."""
from points.audit import audit_trail

from .test_errors import assert_error


def test_awards_reversals_and_reviews_are_recorded_with_who_and_why(app, session, organiser, volunteer, rules):
    member, phone = volunteer
    award = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol",
                                              "memo": "补录 11月3日夜巡"}, expect=201).json
    organiser.post(f"/api/v1/transfers/{award['transfer_id']}/reverse", {"reason": "重复录入"}, expect=201)
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3栋502 新租户"}).json
    organiser.post(f"/api/v1/claims/{claim['id']}/reject", {"reason": "已登记过"}, expect=200)

    trail = audit_trail(session, member_id=member["id"])[:4]  # then the fixture's member_added
    assert [(row.action, row.why) for row in trail] == [
        ("claim_reviewed", "已登记过"), ("claim_filed", None), ("reversal", "重复录入"), ("award", "补录 11月3日夜巡")]
    assert {row.community_id for row in trail} == {member["community_id"]}
    assert [row.actor.kind for row in trail] == ["organiser", "volunteer", "organiser", "organiser"]
    assert {(row.subject.kind, row.subject.id, row.subject.name) for row in trail} == {
        ("member", member["id"], member["name"])}
    assert "3栋502" not in trail[1].details  # a tip's text is never in the audit
    assert trail[3].facts["transfer_id"] == award["transfer_id"] and trail[3].facts["points"] == 50
    assert trail[2].facts["reverses"] == award["transfer_id"]


def test_a_refused_act_leaves_no_audit_row(session, organiser, volunteer, rules):
    member, _ = volunteer
    award = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201).json
    organiser.post(f"/api/v1/transfers/{award['transfer_id']}/reverse", {"reason": "错发"}, expect=201)
    assert_error(organiser.post(f"/api/v1/transfers/{award['transfer_id']}/reverse", {"reason": "再撤一次"}),
                 409, "already_reversed")
    assert [row.why for row in audit_trail(session, member_id=member["id"], action="reversal")] == ["错发"]


def test_rule_changes_are_recorded_in_the_communitys_trail(session, organiser, community, rules):
    organiser.put("/api/v1/rules/patrol", {"points": 80})
    organiser.delete("/api/v1/rules/patrol")
    trail = audit_trail(session, community_id=community["id"])
    assert [(row.action, row.facts["rule_code"], row.facts["version"]) for row in trail[:2]] == [
        ("rule_retired", "patrol", 2), ("rule_changed", "patrol", 2)]
    assert {row.action for row in trail[2:]} == {"rule_added", "community_founded"}


def test_every_audited_act_has_a_name_on_the_pages():
    from api.acts.events import ACTIONS
    from api.pages.console.trail import AUDIT_ACTIONS
    assert set(AUDIT_ACTIONS) == ACTIONS
