"""A form sent twice at the same moment (a double tap on a slow link) has one effect, on SQLite and PostgreSQL."""
from tests.helpers import at_once


def test_one_redemption_from_a_form_sent_twice_at_once(app, volunteer, organiser, shop, ledger_is_sound):
    from .conftest import PageClient

    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "gift", "points": 900}, expect=201)
    browser = PageClient(app).sign_in(member["phone"], "secret123")
    path = f"/shop/{shop['rice']['id']}"
    form = {**browser.hidden(path), "quantity": "1"}
    cookie = browser.client.get_cookie("benniu_session").value

    def press():
        tab = app.test_client()
        tab.set_cookie("benniu_session", cookie)
        return tab.post(path, data=form)

    answers = at_once([press] * 4)
    assert {answer.status_code for answer in answers} == {303}
    assert len({answer.location for answer in answers}) == 1
    assert len(phone.get("/api/v1/redemptions").json["items"]) == 1
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 600
