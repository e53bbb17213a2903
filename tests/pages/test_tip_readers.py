"""Who reads tips in the console: the queue shows a tip's text and photos to police (`sees_tips`) only,
each photo opened is audited, and `sees_tips` is given by an admin or an organiser who has it."""
import io

from sqlalchemy import select

from api.identity.accounts import StaffAccount
from points.audit import AuditEntry

from ..api.test_tip_photos import jpeg_with_gps


def tip_with_photo(volunteer):
    _, phone = volunteer
    response = phone.app.test_client().post("/api/v1/claims", headers=phone.headers(),
                                            content_type="multipart/form-data", data={
                                                "rule_code": "rental_tip", "description": "6栋出租屋 门锁被撬",
                                                "photo": [(io.BytesIO(jpeg_with_gps(800, 600)), "lock.jpg")]})
    assert response.status_code == 201
    return response.json


def test_an_organiser_without_sees_tips_sees_the_tip_but_not_its_text_or_photos(console_pages, volunteer, rules):
    claim = tip_with_photo(volunteer)
    html = console_pages.get("/console/claims").get_data(as_text=True)
    assert f'id="claim-{claim["id"]}"' in html and "提供有效出租房线索" in html and "陈元龙" in html
    assert "6栋出租屋" not in html and 'data-testid="tip-hidden"' in html and "/photos/" not in html
    assert ">通过</button>" in html  # still reviewable
    assert console_pages.get(f"/console/claims/{claim['id']}/photos/1").status_code == 403


def test_police_read_the_text_and_open_the_photo_and_the_trail_says_who(police_pages, volunteer, rules, session):
    claim = tip_with_photo(volunteer)
    html = police_pages.get("/console/claims").get_data(as_text=True)
    assert "6栋出租屋 门锁被撬" in html and f'/console/claims/{claim["id"]}/photos/1' in html
    photo = police_pages.get(f"/console/claims/{claim['id']}/photos/1")
    assert (photo.status_code, photo.mimetype) == (200, "image/jpeg")
    [row] = session.scalars(select(AuditEntry).where(AuditEntry.action == "tip_photo_opened")).all()
    assert (row.actor_name, row.facts["claim_id"]) == ("罗塘派出所 民警", claim["id"])
    assert "查看线索照片" in police_pages.get("/console/audit").get_data(as_text=True)


def test_sees_tips_is_given_by_an_admin_or_by_an_organiser_who_has_it(pages, staff, session):
    plain = staff("organiser", name="网格员小王")
    other = staff("organiser", name="网格员小李")
    ids = {account.phone: account.id for account in session.scalars(select(StaffAccount))}
    grant = f"/console/staff/{ids[other]}/tips"
    without = pages().sign_in(plain, "password1")
    assert "允许查看线索" not in without.get("/console/staff").get_data(as_text=True)
    refused = without.submit("/console/staff", grant, sees_tips="1")
    assert refused.status_code == 403
    admin = pages().sign_in(staff("admin", name="区管理员"), "password1")
    assert admin.submit("/console/staff", f"/console/staff/{ids[plain]}/tips", sees_tips="1").status_code == 303
    assert without.submit("/console/staff", grant, sees_tips="1").status_code == 303  # now it has it
    session.rollback()
    assert {a.name: a.sees_tips for a in session.scalars(select(StaffAccount))} == {
        "网格员小王": True, "网格员小李": True, "区管理员": False}
    changed = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff_changed")).all()
    assert [(row.actor_name, row.subject_name, row.facts["sees_tips"]) for row in changed] == [
        ("区管理员", "网格员小王", True), ("网格员小王", "网格员小李", True)]
