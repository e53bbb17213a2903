"""The partner's counter on a session: look a code up, see it, fulfil it once, a receipt, refusals with
their facts, today's list and the search, and the month's settlement with its downloads."""
from datetime import timedelta
from io import BytesIO

import openpyxl

from .test_venue_pages import text, voucher_for


def clerk_of(pages, staff, partner):
    return pages().sign_in(staff("partner", partner_id=partner["id"]), "password1")


def test_a_clerk_looks_a_typed_code_up_sees_it_and_fulfils_it_once_with_a_receipt(pages, staff, volunteer,
                                                                                   organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    clerk = clerk_of(pages, staff, shop["barber"])
    typed = voucher["voucher_code"][:4].lower() + "-" + voucher["voucher_code"][4:].lower()
    path = f"/counter/voucher?code={typed}"
    page = text(clerk.get(path))
    assert "免费理发" in page and "陈*龙" in page and "139****" in page and "待使用" in page and "确认核销" in page
    form = {**clerk.hidden(path), "code": voucher["voucher_code"]}
    done = clerk.client.post("/counter/fulfil", data=form)
    assert done.status_code == 303
    success = text(clerk.get(done.location))
    receipt_no = shop["barber_clerk"].get(f"/api/v1/vouchers/{voucher['voucher_code']}").json["receipt_no"]
    assert "核销成功" in success and f">{receipt_no}<" in success and "确认核销" not in success
    assert f"/counter/receipts/{voucher['id']}" in success
    slip = text(clerk.get(f"/counter/receipts/{voucher['id']}"))
    assert "核销回执" in slip and str(receipt_no) in slip and "免费理发" in slip
    again = clerk.client.post("/counter/fulfil", data=form)  # the same form pressed again: no second success
    replay = text(clerk.get(again.location))
    assert "核销成功" not in replay and "已于" in replay and "老街理发店 核销过" in replay
    assert "确认核销" not in text(clerk.get(path))
    assert shop["barber_clerk"].get(f"/api/v1/redemptions/{voucher['id']}").json["status"] == "fulfilled"
    assert volunteer[1].get(f"/api/v1/members/{volunteer[0]['id']}/balance").json["lifetime_spent"] == 200


def test_a_second_clerk_with_an_older_form_is_told_it_is_used_not_fulfilled_again(pages, staff, volunteer,
                                                                                  organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    first, second = clerk_of(pages, staff, shop["barber"]), clerk_of(pages, staff, shop["barber"])
    path = f"/counter/voucher?code={voucher['voucher_code']}"
    forms = [{**browser.hidden(path), "code": voucher["voucher_code"]} for browser in (first, second)]
    assert "核销成功" in text(first.get(first.client.post("/counter/fulfil", data=forms[0]).location))
    late = text(second.get(second.client.post("/counter/fulfil", data=forms[1]).location))
    assert "核销成功" not in late and "核销过" in late


def test_the_scanned_link_is_the_counter_with_the_code_looked_up(pages, staff, volunteer, organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    page = text(clerk_of(pages, staff, shop["barber"]).get(f"/v/{voucher['voucher_code']}"))
    assert "免费理发" in page and "确认核销" in page and 'id="scan-form"' in page and "今日核销" in page


def test_another_partners_voucher_names_its_partner_and_offers_no_form(pages, staff, volunteer, organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    page = text(clerk_of(pages, staff, shop["estate"]).get(f"/counter/voucher?code={voucher['voucher_code']}"))
    assert "这张兑换券属于 老街理发店，不是本店的" in page
    assert "确认核销" not in page and "陈*龙" not in page


def test_a_made_up_code_is_no_such_code_and_an_expired_one_says_when(pages, staff, volunteer, organiser, shop,
                                                                      clock):
    voucher = voucher_for(volunteer, organiser, shop)
    clock.advance(days=400)
    clerk = clerk_of(pages, staff, shop["barber"])
    page = text(clerk.get("/counter/voucher?code=ZZZZ-ZZZZ"))
    assert "没有这个兑换码" in page and "ZZZZ-ZZZZ" in page and "确认核销" not in page
    expired = text(clerk.get(f"/counter/voucher?code={voucher['voucher_code']}"))
    assert "过期，不能再使用" in expired and "确认核销" not in expired


def test_an_organisers_counter_is_the_workstations_and_a_volunteer_is_refused(pages, staff, volunteer, organiser,
                                                                               shop):
    member, _ = volunteer
    voucher = voucher_for(volunteer, organiser, shop, reward="rice")
    desk = pages().sign_in(staff("organiser"), "password1")
    path = f"/counter/voucher?code={voucher['voucher_code']}"
    assert "警网融合工作站" in text(desk.get("/counter"))
    form = {**desk.hidden(path), "code": voucher["voucher_code"]}
    assert "核销成功" in text(desk.get(desk.client.post("/counter/fulfil", data=form).location))
    assert voucher["voucher_code"][:4] in text(desk.get("/counter"))  # today's list
    assert pages().sign_in(member["phone"], "secret123").get("/counter").status_code == 403


def test_today_lists_fulfilments_and_the_search_finds_past_ones_by_code_and_date(pages, staff, volunteer,
                                                                                 organiser, shop, clock):
    voucher = voucher_for(volunteer, organiser, shop)
    clerk = clerk_of(pages, staff, shop["barber"])
    path = f"/counter/voucher?code={voucher['voucher_code']}"
    clerk.client.post("/counter/fulfil", data={**clerk.hidden(path), "code": voucher["voucher_code"]})
    shown = voucher["voucher_code"][:4] + "-" + voucher["voucher_code"][4:]
    assert shown in text(clerk.get("/counter"))
    day = clock.now().date().isoformat()
    clock.advance(days=2)
    clerk = clerk_of(pages, staff, shop["barber"])  # a new day, a new sign-in
    assert shown not in text(clerk.get("/counter"))
    assert shown in text(clerk.get(f"/counter?q={voucher['voucher_code'].lower()}"))
    assert shown in text(clerk.get(f"/counter?day={day}"))
    assert "没有找到核销记录" in text(clerk.get("/counter?q=ABCDEFGH"))


def test_the_months_settlement_totals_and_its_downloads_agree(pages, staff, volunteer, organiser, shop, clock):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "gift", "points": 900}, expect=201)
    fees = [phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100,
                                               "household": room}, expect=201).json
            for room in ("3-201", "3-201", "5-102")]
    clerk = clerk_of(pages, staff, shop["estate"])
    for fee in fees:
        path = f"/counter/voucher?code={fee['voucher_code']}"
        clerk.client.post("/counter/fulfil", data={**clerk.hidden(path), "code": fee["voucher_code"]})
    month = clock.now().strftime("%Y-%m")
    page = text(clerk.get(f"/counter/settlement?month={month}"))
    assert 'data-testid="count">3<' in page and 'data-testid="points">300<' in page
    assert 'data-testid="yuan">300.00<' in page and "按房号汇总" in page and "3-201" in page
    assert "导出Excel" in page and "导出CSV" in page
    csv = clerk.get(f"/counter/settlement.csv?month={month}")
    assert csv.mimetype == "text/csv" and "合计,,,,,,3,300,300.00" in text(csv)
    sheet = clerk.get(f"/counter/settlement.xlsx?month={month}")
    rows = list(openpyxl.load_workbook(BytesIO(sheet.data)).active.values)
    assert rows[0][0].startswith(f"结算单 {shop['estate']['name']} {month}（制表 ")
    assert rows[1][0] == "兑换单号" and len(rows) == 6 and rows[-1][6:9] == (3, 300, 300)
    assert [row[8] for row in rows[2:5]] == [100, 100, 100]
    previous = (clock.now().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert 'data-testid="count">0<' in text(clerk.get(f"/counter/settlement?month={previous}"))
    assert clerk.get("/counter/settlement?month=2026-13").status_code == 404


def test_a_partner_sees_only_its_own_statement_and_an_organiser_reaches_each_partners(pages, staff, volunteer,
                                                                                        organiser, shop):
    clerk = clerk_of(pages, staff, shop["barber"])
    assert clerk.get(f"/counter/settlement?partner_id={shop['estate']['id']}").status_code == 200  # its own, still
    assert "老街理发店" in text(clerk.get(f"/counter/settlement?partner_id={shop['estate']['id']}"))
    desk = pages().sign_in(staff("organiser"), "password1")
    page = text(desk.get(f"/counter/settlement?partner_id={shop['estate']['id']}"))
    assert "振宇物业服务中心" in page and "按房号汇总" in page
    assert desk.get(f"/counter/settlement.xlsx?partner_id={shop['estate']['id']}").mimetype.endswith("sheet")


def test_the_counters_look_ups_share_the_apis_limit_and_misses_are_logged(database_url, clock, tmp_path, shop,
                                                                          staff, caplog):
    from api import create_app

    from .conftest import PageClient

    limited = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                          "VOUCHER_RATE_LIMIT": "3 per minute"}, clock=clock, instance_path=tmp_path / "counter")
    clerk = PageClient(limited).sign_in(staff("partner", partner_id=shop["barber"]["id"]), "password1")
    with caplog.at_level("WARNING", logger="benniu.counter"):
        for guess in ("AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC"):
            assert "没有这个兑换码" in text(clerk.get(f"/counter/voucher?code={guess}"))
    assert clerk.get("/counter/voucher?code=AAAA-AAAD").status_code == 429
    assert clerk.get("/v/AAAAAAAE").status_code == 429
    assert "操作太频繁" in text(clerk.get("/counter/voucher?code=AAAA-AAAF"))
    assert clerk.get("/counter").status_code == 200  # the counter itself is not a look-up
    assert len([r for r in caplog.records if r.fields["code"].startswith("AAAA-AAA")]) == 3
