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


def test_two_clerks_confirming_one_voucher_at_once_fulfil_it_once(app, staff, volunteer, organiser, shop,
                                                                 ledger_is_sound):
    """Two counters' browsers (two sessions, two rendered forms) press 确认核销 together: one fulfilment."""
    from .conftest import PageClient
    from .test_venue_pages import voucher_for

    voucher = voucher_for(volunteer, organiser, shop)
    path = f"/counter/voucher?code={voucher['voucher_code']}"
    presses = []
    for _ in range(4):
        clerk = PageClient(app).sign_in(staff("partner", partner_id=shop["barber"]["id"]), "password1")
        form = {**clerk.hidden(path), "code": voucher["voucher_code"]}
        cookie = clerk.client.get_cookie("benniu_session").value

        def press(cookie=cookie, form=form):
            tab = app.test_client()
            tab.set_cookie("benniu_session", cookie)
            answer = tab.post("/counter/fulfil", data=form)
            return answer.status_code, tab.get(answer.location).get_data(as_text=True)
        presses.append(press)

    answers = at_once(presses)
    assert {status for status, _ in answers} == {303}
    assert sum("核销成功" in page for _, page in answers) == 1
    assert sum("核销过" in page for _, page in answers) == 3
    member = volunteer[0]
    assert volunteer[1].get(f"/api/v1/members/{member['id']}/balance").json["lifetime_spent"] == 200
