"""Service hours: the certificate PDF (text, serial, QR to /verify/<serial>) and the hours export."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ..helpers import decode_qr
from .test_errors import assert_error


def serve(organiser, community, phone, clock, *, title, hours, minutes_late=0):
    """The volunteer checks in to an hourly patrol and out `hours` later."""
    start = clock.now()
    shift = organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": title, "community_id": community["id"], "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat()}, expect=201).json
    clock.advance(minutes=minutes_late)
    checkin = phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    clock.advance(hours=hours)
    phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    clock.advance(days=1)


def test_a_certificate_states_the_hours_under_a_serial_its_qr_and_the_public_page_confirm(
        app, clock, organiser, community, volunteer, rules):
    member, phone = volunteer
    serve(organiser, community, phone, clock, title="夜间巡逻", hours=2, minutes_late=30)  # 2 h served, 40 points
    serve(organiser, community, phone, clock, title="周末巡逻", hours=3)
    response = phone.get(f"/api/v1/members/{member['id']}/certificate.pdf", **{"from": "2026-11-01",
                                                                             "to": "2026-11-30"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert [round(float(side)) for side in page.mediabox[2:]] == [595, 842]  # A4 in points
    text = page.extract_text()
    serial = next(word for word in text.replace("编号：", " ").split() if word.startswith("BN2026-"))
    for fact in ("志愿服务时长证明", "振宇社区", "陈元龙", "2026年11月1日", "2026年11月30日", "5.0 小时", "2 次",
                 "100 分"):  # 2 + 3 paid hours of 20 points
        assert fact in text, fact
    [image] = page.images  # the QR is the page's one image: read it back off the PDF and decode it
    link = decode_qr(image.data if image.name.endswith(".png") else _png(image.image))
    assert link == f"https://benniu.test/verify/{serial}"
    checked = app.test_client().get(link.removeprefix("https://benniu.test"))
    assert checked.status_code == 200
    shown = checked.get_data(as_text=True)
    assert serial in shown and "陈*龙" in shown and "陈元龙" not in shown and "5.0 小时" in shown
    again = phone.get(f"/api/v1/members/{member['id']}/certificate.pdf", **{"from": "2026-11-01", "to": "2026-11-30"})
    assert serial in PdfReader(io.BytesIO(again.data)).pages[0].extract_text()  # the same facts, the same serial


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_forged_or_altered_serial_is_said_to_be_so(app, phone_and_serial):
    phone, serial = phone_and_serial
    for wrong in (serial[:-1] + ("A" if serial[-1] != "A" else "B"), "BN2026-AAAA-BBBB-CCCC", "x" * 300):
        shown = app.test_client().get(f"/verify/{wrong}")
        assert shown.status_code == 404 and "证明不可信" in shown.get_data(as_text=True)


def test_a_certificate_is_the_volunteers_own_and_a_period_must_make_sense(organiser, enrol, phone_and_serial):
    phone, _ = phone_and_serial
    other, _ = enrol(name="李四")
    assert_error(phone.get(f"/api/v1/members/{other['id']}/certificate.pdf"), 404, "not_found")
    member_id = other["id"]
    assert organiser.get(f"/api/v1/members/{member_id}/certificate.pdf").status_code == 200
    for period in ({"from": "2026-12-01", "to": "2026-11-01"}, {"from": "0001-01-01"}, {"to": "9999-12-31"}):
        assert_error(organiser.get(f"/api/v1/members/{member_id}/certificate.pdf", **period), 422,
                     "validation_error")


def test_the_hours_export_has_a_row_per_volunteer_per_activity(clock, organiser, community, enrol, rules, app):
    (first, first_phone), (second, second_phone) = enrol(), enrol(name="李四")
    serve(organiser, community, first_phone, clock, title="夜间巡逻", hours=2)
    serve(organiser, community, second_phone, clock, title="周末巡逻", hours=1, minutes_late=30)
    response = organiser.get("/api/v1/exports/hours", community_id=community["id"], format="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    header = rows.index(("姓名", "手机号", "活动名称", "服务日期", "服务时长(小时)"))
    assert rows[header + 1:] == [("陈元龙", first["phone"], "夜间巡逻", "2026-11-23", 2),
                                 ("李四", second["phone"], "周末巡逻", "2026-11-24", 1)]


@pytest.fixture
def phone_and_serial(clock, organiser, community, volunteer, rules):
    member, phone = volunteer
    serve(organiser, community, phone, clock, title="夜间巡逻", hours=1)
    text = PdfReader(io.BytesIO(phone.get(f"/api/v1/members/{member['id']}/certificate.pdf").data)).pages[0]
    serial = next(word for word in text.extract_text().replace("编号：", " ").split() if word.startswith("BN"))
    return phone, serial
