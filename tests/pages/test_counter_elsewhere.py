"""An organiser at /counter is warned before fulfilling another partner's voucher, and the fulfilment is in that
partner's lists; who fulfilled it reads 店员 王芳 / 组织者 刘明, never a role code or a phone, with its receipt number."""
from io import BytesIO

import openpyxl

from .test_venue_pages import text, voucher_for


def test_an_organiser_is_warned_of_another_partners_voucher_and_its_partner_lists_the_fulfilment(
        pages, staff, volunteer, organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)              # the barber's haircut
    desk = pages().sign_in(staff("organiser", name="刘明"), "password1")
    path = f"/counter/voucher?code={voucher['voucher_code']}"
    page = text(desk.get(path))
    assert 'data-testid="elsewhere"' in page and "这张兑换券属于 老街理发店" in page and "确认核销" in page
    done = desk.client.post("/counter/fulfil", data={**desk.hidden(path), "code": voucher["voucher_code"]})
    assert f"partner_id={shop['barber']['id']}" in done.location
    after = text(desk.get(done.location))
    shown = voucher["voucher_code"][:4] + "-" + voucher["voucher_code"][4:]
    assert "核销成功" in after and "老街理发店" in after and shown in after.split("今日核销", 1)[1]
    clerk = pages().sign_in(staff("partner", name="王芳", partner_id=shop["barber"]["id"]), "password1")
    assert shown in text(clerk.get("/counter")).split("今日核销", 1)[1]
    sheet = openpyxl.load_workbook(BytesIO(clerk.get("/counter/settlement.xlsx").data)).active
    header, line = [cell.value for cell in sheet[2]], [cell.value for cell in sheet[3]]
    assert line[header.index("经办")] == "组织者 刘明"
    receipt_no = shop["barber_clerk"].get(f"/api/v1/vouchers/{voucher['voucher_code']}").json["receipt_no"]
    assert line[header.index("回执号")] == receipt_no


def test_a_clerk_is_not_warned_at_their_own_counter_and_the_volunteer_never_sees_their_phone(
        pages, staff, volunteer, organiser, shop):
    voucher = voucher_for(volunteer, organiser, shop)
    clerk_phone = staff("partner", name="王芳", partner_id=shop["barber"]["id"])
    clerk = pages().sign_in(clerk_phone, "password1")
    path = f"/counter/voucher?code={voucher['voucher_code']}"
    assert 'data-testid="elsewhere"' not in text(clerk.get(path))
    clerk.client.post("/counter/fulfil", data={**clerk.hidden(path), "code": voucher["voucher_code"]})
    member, phone = volunteer
    seen = phone.get(f"/api/v1/redemptions/{voucher['id']}").json
    assert seen["status"] == "fulfilled" and clerk_phone not in str(seen) and "王芳" in seen["fulfilled_by"]
    receipt = text(clerk.get(f"/counter/receipts/{voucher['id']}"))
    assert "店员 王芳" in receipt and clerk_phone not in receipt and "partner:" not in receipt
