def test_health_answers_ok(app):
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}


def test_an_organiser_award_shows_in_balance_and_history(organiser, volunteer, rules, ledger_is_sound):
    member, phone = volunteer
    response = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    assert response.json["points"] == 50
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json == {
        "member_id": member["id"], "available": 50, "held": 0, "lifetime_earned": 50, "lifetime_spent": 0,
        "minutes_served": 0, "pending": 0, "expiring": []}
    entries = phone.get(f"/api/v1/members/{member['id']}/entries").json
    assert [(e["amount"], e["balance_after"], e["kind"], e["rule_code"]) for e in entries["items"]] == [
        (50, 50, "earn", "patrol")]
