"""What volunteers hear back, on a phone: the unread count, the messages, opening one; the certificate
page's download and the public check of its serial."""
import re
from datetime import timedelta

from pypdf import PdfReader

from .test_pages import WAIT, sign_in


def test_a_reviewed_tip_shows_as_an_unread_message_that_opening_reads(live_server, phone, organiser, rules,
                                                                       volunteer, shot):
    member, member_phone = volunteer
    tip = member_phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3栋502"}, expect=201).json
    organiser.post(f"/api/v1/claims/{tip['id']}/approve", {}, expect=200)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    sign_in(phone, live_server, member["phone"], "secret123")
    unread = phone.get_by_test_id("unread")
    unread.wait_for(timeout=WAIT)
    assert unread.inner_text() == "2"
    shot(phone, "1-home")
    phone.get_by_role("link", name=re.compile("^消息")).click()
    phone.get_by_text("您提交的「提供有效出租房线索」已审核通过，获得 50 积分。").wait_for(timeout=WAIT)
    shot(phone, "2-messages")
    phone.get_by_role("link", name=re.compile("线索审核通过")).click()
    phone.get_by_test_id("message").wait_for(timeout=WAIT)
    shot(phone, "3-opened")
    phone.goto(live_server + "/me")
    assert phone.get_by_test_id("unread").inner_text() == "1"


def test_the_certificate_downloads_and_its_serial_checks_out(live_server, phone, organiser, community, rules,
                                                             volunteer, clock, shot, tmp_path):
    member, member_phone = volunteer
    start = clock.now()
    shift = organiser.post("/api/v1/activities", {
        "rule_code": "patrol_hours", "title": "夜间巡逻", "community_id": community["id"],
        "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=4)).isoformat()}, expect=201).json
    checkin = member_phone.post("/api/v1/checkins", {"code": shift["checkin_url"]}, expect=201).json
    clock.advance(hours=3)
    member_phone.post(f"/api/v1/checkins/{checkin['id']}/checkout", {}, expect=200)
    sign_in(phone, live_server, member["phone"], "secret123")
    phone.get_by_role("link", name="时长证明").click()
    phone.get_by_label("开始日期").fill("2026-11-01")
    shot(phone, "1-certificate")
    with phone.expect_download(timeout=WAIT) as download:
        phone.get_by_role("button", name="下载时长证明").click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    text = PdfReader(saved).pages[0].extract_text()
    assert "3.0 小时" in text and "2026年11月1日" in text
    serial = re.search(r"BN2026-[A-Z0-9-]+", text).group(0)
    phone.goto(live_server + f"/verify/{serial}")
    phone.get_by_test_id("verified").wait_for(timeout=WAIT)
    assert phone.get_by_test_id("name").inner_text() == "陈*龙"
    shot(phone, "2-verified")
    phone.goto(live_server + f"/verify/{serial[:-1]}{'Z' if serial[-1] != 'Z' else 'Y'}")  # one letter changed
    phone.get_by_test_id("not-verified").wait_for(timeout=WAIT)
    shot(phone, "3-altered")
