"""The offline check-in page's door: its upload needs the session's CSRF token, its worker and manifest
come from the service itself, under a policy that runs no inline script."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from points.audit import AuditEntry
from points.checkins import Checkin

from ..browser.test_pages import patrol_for
from ..helpers import decode_qr

CSRF = re.compile(r'data-csrf="([^"]+)"')


def test_the_page_uploads_with_the_sessions_csrf_token_and_says_each_answer(console_pages, organiser, community,
                                                                          rules, clock, volunteer, session):
    patrol = patrol_for(organiser, community, clock)
    member, _ = volunteer
    card = decode_qr(organiser.get(f"/api/v1/members/{member['id']}/card.png").data)
    page = console_pages.get(f"/console/activities/{patrol['id']}/offline")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "待上传" in html and "上传" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and " style=" not in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    body = {"device": "手机1", "scans": [
        {"card": card, "at": clock.now().isoformat(), "nonce": "page-nonce-1"},
        {"card": card, "at": (clock.now() + timedelta(minutes=1)).isoformat(), "nonce": "page-nonce-2"}]}
    url = f"/console/activities/{patrol['id']}/offline"
    assert console_pages.client.post(url, json=body).status_code == 400  # no token: refused, nothing written
    assert session.scalar(select(func.count()).select_from(Checkin)) == 0
    token = CSRF.search(html).group(1)
    answered = console_pages.client.post(url, json=body, headers={"X-CSRFToken": token})
    assert answered.status_code == 200
    assert [(a["status"], a["said"]) for a in answered.json["results"]] == [
        ("accepted", None), ("duplicate", "重复：这位志愿者已经签到过本次活动。")]
    session.rollback()  # read afresh: the server wrote since
    assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    actor = session.scalars(select(AuditEntry).where(AuditEntry.action == "offline_checkins")).one().actor_name
    assert actor == "罗塘派出所 民警"
    bad = console_pages.client.post(url, json={"device": "x", "scans": []}, headers={"X-CSRFToken": token})
    assert (bad.status_code, bad.json["code"]) == (422, "validation_error")


def test_the_worker_and_the_manifest_are_served_by_the_service(console_pages, organiser, community, rules, clock):
    patrol = patrol_for(organiser, community, clock)
    worker = console_pages.get("/console/offline-sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert b"caches.match" in worker.data
    manifest = console_pages.get(f"/console/activities/{patrol['id']}/offline.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == f"/console/activities/{patrol['id']}/offline"
    assert manifest.json["display"] == "standalone"


def test_another_communitys_activity_and_a_volunteer_are_refused(console_pages, volunteer_pages, other_community,
                                                                   clock, rules):
    community_b, organiser_b = other_community
    organiser_b.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 50, "basis": "per_event"},
                     expect=201)
    theirs = patrol_for(organiser_b, community_b, clock)
    assert console_pages.get(f"/console/activities/{theirs['id']}/offline").status_code == 404
    assert volunteer_pages.get(f"/console/activities/{theirs['id']}/offline").status_code == 403
