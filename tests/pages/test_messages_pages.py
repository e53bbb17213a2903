"""What volunteers hear back, as pages: the unread count on /me, the list, opening one reads it; the
certificate page's download; the public check; the console's levels."""
import io
import re

from pypdf import PdfReader


def unread(html: str) -> int:
    return int(re.search(r'data-testid="unread">(\d+)<', html).group(1))


def test_me_counts_unread_messages_and_opening_one_reads_it(organiser, volunteer, volunteer_pages, rules):
    member, _ = volunteer
    assert unread(volunteer_pages.get("/me").get_data(as_text=True)) == 0
    for points in (50, 30):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "points": points},
                       expect=201)
    home = volunteer_pages.get("/me").get_data(as_text=True)
    assert unread(home) == 2 and "消息" in home
    listed = volunteer_pages.get("/me/messages").get_data(as_text=True)
    assert "您因「参与治安巡逻」获得 30 积分。" in listed and "您因「参与治安巡逻」获得 50 积分。" in listed
    first = re.search(r'href="/me/messages/(\d+)"', listed).group(1)
    opened = volunteer_pages.get(f"/me/messages/{first}")
    assert opened.status_code == 200 and "积分到账" in opened.get_data(as_text=True)
    assert unread(volunteer_pages.get("/me").get_data(as_text=True)) == 1


def test_another_volunteers_message_is_not_found(organiser, enrol, pages, rules):
    (me, _), (other, other_phone) = enrol(), enrol(name="李四")
    organiser.post("/api/v1/awards", {"member_id": other["id"], "rule_code": "patrol"}, expect=201)
    [theirs] = other_phone.get("/api/v1/me/messages").json["items"]
    mine = pages().sign_in(me["phone"], "secret123")
    assert mine.get(f"/me/messages/{theirs['id']}").status_code == 404
    assert other_phone.get("/api/v1/me/messages/unread").json == {"count": 1}


def test_the_certificate_page_downloads_the_pdf_the_public_page_confirms(app, volunteer_pages):
    page = volunteer_pages.get("/me/certificate").get_data(as_text=True)
    assert "下载时长证明" in page
    pdf = volunteer_pages.get("/me/certificate.pdf?from=2026-01-01&to=2026-11-23")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    serial = re.search(r"BN2026-[A-Z0-9-]+", text).group(0)
    assert "0.0 小时" in text and "2026年1月1日" in text
    shown = app.test_client().get(f"/verify/{serial}").get_data(as_text=True)
    assert "此证明真实有效" in shown and "陈*龙" in shown


def test_organisers_set_levels_in_the_console_and_me_shows_them(organiser, volunteer, volunteer_pages,
                                                                 console_pages, rules):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    assert "data-testid=\"level\"" not in volunteer_pages.get("/me").get_data(as_text=True)  # 50 of 100
    assert "100 一星志愿者" in console_pages.get("/console/levels").get_data(as_text=True)
    refused = console_pages.submit("/console/levels", levels="一星")
    assert refused.status_code == 422 and "例如" in refused.get_data(as_text=True)
    saved = console_pages.submit("/console/levels", levels="50 新手志愿者\n200 骨干志愿者")
    assert saved.status_code == 303
    home = volunteer_pages.get("/me").get_data(as_text=True)
    assert "新手志愿者" in home and "再获得 150 积分成为骨干志愿者" in home
    assert "新手志愿者" in console_pages.get("/console/reports").get_data(as_text=True)
