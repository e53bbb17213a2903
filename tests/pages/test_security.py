"""What the pages refuse: scripts in data, forms without their CSRF token, other people's things,
sessions after sign-out or idleness; and the headers every page carries."""
import re
from datetime import timedelta

import pytest

from api.pages import SECURITY_HEADERS

PAYLOADS = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_names_titles_and_memos_come_back_escaped_on_every_page(app, pages, organiser, community, rules, clock,
                                                                 staff, payload):
    member = organiser.post("/api/v1/members", {"name": "志愿者" + payload, "phone": "13911112222",
                                                "community_id": community["id"], "team": payload,
                                                "password": "secret123"}).json
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰" + payload, "points": 1, "basis": "per_event",
                                     "requires_review": True})
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "gift", "points": 900,
                                      "memo": payload}, expect=201)
    reward = organiser.post("/api/v1/rewards", {"community_id": community["id"], "name": "奖品" + payload,
                                                "kind": "goods", "cost": 10}).json
    made = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "巡逻" + payload, "community_id": community["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()}).json
    browser = pages().sign_in("13911112222", "secret123")
    checkin = browser.submit("/scan", code=made["checkin_url"]).location
    voucher = browser.submit(f"/shop/{reward['id']}", quantity="1").location
    browser.submit("/me/claims/new", rule_code="bonus", description=payload)
    seen = ["/me", "/me/entries", "/shop", f"/shop/{reward['id']}", "/me/vouchers", voucher, "/me/claims",
            "/me/claims/new", "/me/card", checkin, made["checkin_url"].removeprefix("https://benniu.test")]
    for path in seen:
        html = text(browser.get(path))
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert ("&lt;script&gt;" in text(browser.get("/me/entries"))
            or "&#34;&gt;&lt;img" in text(browser.get("/me/entries")))
    at_counter = pages().sign_in(staff("organiser"), "password1")
    for path in (f"/v/{voucher.rsplit('/', 1)[1]}", voucher.replace("/me/vouchers/", "/v/"),
                 f"/activities/{made['id']}/screen"):
        html = text(at_counter.get(path))
        assert "<script>alert" not in html and "<img src=x" not in html, path
    code = re.search(r'data-testid="voucher-code">([A-Z0-9-]+)<', text(browser.get(voucher))).group(1)
    counter = text(at_counter.get(f"/v/{code}"))
    assert "奖品" in counter and "<script>alert" not in counter and "<img src=x" not in counter


def test_a_form_sent_without_its_csrf_token_is_refused_and_does_nothing(volunteer_pages, volunteer, organiser,
                                                                        shop):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "gift", "points": 900}, expect=201)
    form = volunteer_pages.hidden(f"/shop/{shop['rice']['id']}")
    del form["csrf_token"]
    answer = volunteer_pages.client.post(f"/shop/{shop['rice']['id']}", data={**form, "quantity": "1"})
    assert answer.status_code == 400 and "页面已过期" in text(answer)
    assert phone.get("/api/v1/redemptions").json["items"] == []
    forged = volunteer_pages.client.post("/logout")
    assert forged.status_code == 400 and volunteer_pages.get("/me").status_code == 200


def test_the_sign_in_form_needs_its_csrf_token_too(pages, volunteer):
    member, _ = volunteer
    answer = pages().client.post("/login", data={"phone": member["phone"], "password": "secret123"})
    assert answer.status_code == 400


def test_a_volunteer_cannot_open_another_members_voucher_history_or_card(app, pages, enrol, organiser, shop):
    mine, _ = enrol(name="甲")
    theirs, their_phone = enrol(name="乙")
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": theirs["id"], "rule_code": "gift", "points": 900}, expect=201)
    their_voucher = their_phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201).json
    browser = pages().sign_in(mine["phone"], "secret123")
    page = browser.get(f"/me/vouchers/{their_voucher['id']}")
    assert page.status_code == 403 and "没有权限" in text(page) and their_voucher["voucher_display"] not in text(page)
    cancel = browser.submit("/me", f"/me/vouchers/{their_voucher['id']}/cancel")
    assert cancel.status_code == 403
    assert their_phone.get(f"/api/v1/redemptions/{their_voucher['id']}").json["status"] == "reserved"
    for path in (f"/api/v1/members/{theirs['id']}/entries", f"/api/v1/members/{theirs['id']}/card.svg",
                 f"/api/v1/redemptions/{their_voucher['id']}/voucher.svg"):
        assert browser.get(path).status_code == 404, path
    assert "900" not in text(browser.get("/me/entries"))


def test_a_session_cannot_post_to_the_json_api(volunteer_pages, shop):
    answer = volunteer_pages.client.post("/api/v1/redemptions", json={"reward_id": shop["rice"]["id"]})
    assert answer.status_code == 401


def test_every_page_carries_the_csp_and_the_other_headers(app, pages, volunteer_pages, volunteer, organiser,
                                                          community, rules, clock):
    made = organiser.post("/api/v1/activities", {
        "rule_code": "patrol", "title": "巡逻", "community_id": community["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()}).json
    signed_out = pages()
    answers = [signed_out.get("/login"), signed_out.client.post("/login", data={}), volunteer_pages.get("/me/vouchers/999")]
    answers += [volunteer_pages.get(path) for path in (
        "/me", "/me/entries", "/scan", "/shop", "/me/vouchers", "/me/claims", "/me/claims/new", "/me/card",
        made["checkin_url"].removeprefix("https://benniu.test"), "/c/forged")]
    for answer in answers:
        assert answer.mimetype == "text/html"
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, (answer.request.path, name)
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_pages_hold_no_inline_script_or_style(volunteer_pages, pages):
    for path in ("/me", "/scan", "/shop", "/me/card", "/me/claims/new"):
        html = text(volunteer_pages.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html, path
    assert "<script src" in text(pages().get("/login"))


def test_the_session_cookie_is_httponly_lax_and_secure_behind_https(pages, volunteer):
    member, _ = volunteer
    answer = pages().submit("/login", phone=member["phone"], password="secret123")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie  # PUBLIC_URL is https here


def test_signing_out_closes_the_pages_and_the_old_cookie_is_refused_by_the_server(pages, volunteer):
    member, _ = volunteer
    browser = pages().sign_in(member["phone"], "secret123")
    stolen = browser.client.get_cookie("benniu_session").value
    assert browser.submit("/me", "/logout").location == "/login"
    assert browser.get("/me").location == "/login?next=/me"
    thief = pages()
    thief.client.set_cookie("benniu_session", stolen)
    assert thief.get("/me").status_code == 302


def test_a_password_change_ends_the_sessions_at_once(app, pages, volunteer, clock):
    from api.identity.accounts import sign_in
    from api.identity.credentials import change_password

    member, _ = volunteer
    browser = pages().sign_in(member["phone"], "secret123")
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        change_password(session, sign_in(session, phone=member["phone"], password="secret123"),
                        password="another-one", now=clock.now())
    assert browser.get("/me").status_code == 302


def test_a_disabled_clerk_is_signed_out_at_once(app, pages, staff, shop, clock):
    from sqlalchemy import select

    from api.identity.accounts import StaffAccount
    from api.identity.credentials import disable_account

    phone = staff("partner", partner_id=shop["barber"]["id"])
    clerk = pages().sign_in(phone, "password1")
    assert clerk.get("/counter").status_code == 200
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        disable_account(session, session.scalar(select(StaffAccount).where(StaffAccount.phone == phone)),
                      now=clock.now())
    assert clerk.get("/counter").status_code == 302


def test_an_idle_session_ends(monkeypatch, volunteer_pages, app):
    from itsdangerous import TimestampSigner

    assert volunteer_pages.get("/me").status_code == 200
    idle = app.config["SESSION_IDLE_MINUTES"] * 60 + 5
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + idle)
    assert volunteer_pages.get("/me").status_code == 302


def test_a_session_expires_at_the_latest_after_its_hours(volunteer_pages, app, clock):
    clock.advance(hours=app.config["SESSION_HOURS"] + 1)
    assert volunteer_pages.get("/me").status_code == 302


def test_login_rate_limiting_is_said_as_such(database_url, clock, tmp_path, volunteer):
    from api import create_app

    member, _ = volunteer
    limited = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": True,
                          "LOGIN_RATE_LIMIT": "2 per minute", "PUBLIC_URL": "https://benniu.test"},
                         clock=clock, instance_path=tmp_path / "limited")
    from .conftest import PageClient

    browser = PageClient(limited)
    for _ in range(2):
        assert "手机号或密码错误" in text(browser.submit("/login", phone=member["phone"], password="wrong"))
    refused = browser.submit("/login", phone=member["phone"], password="secret123")
    limited.extensions["benniu"].engine.dispose()
    assert refused.status_code == 429
    assert "登录尝试次数太多" in text(refused) and "手机号或密码错误" not in text(refused)


def test_changing_my_password_signs_out_my_other_browsers_but_not_this_one(pages, volunteer):
    member, _ = volunteer
    here = pages().sign_in(member["phone"], "secret123")
    elsewhere = pages().sign_in(member["phone"], "secret123")
    wrong = here.submit("/password", current="not-it", new="a-new-password", again="a-new-password")
    assert wrong.status_code == 401 and "原密码不对" in text(wrong)
    short = here.submit("/password", current="secret123", new="short", again="short")
    assert short.status_code == 422 and "至少 8 位" in text(short)
    done = here.submit("/password", current="secret123", new="a-new-password", again="a-new-password")
    assert done.status_code == 303
    assert "密码已修改" in text(here.get("/me"))
    assert elsewhere.get("/me").status_code == 302
    assert pages().submit("/login", phone=member["phone"], password="secret123").status_code == 401
    pages().sign_in(member["phone"], "a-new-password")


def test_an_organiser_revoking_a_volunteers_browser_session_signs_that_browser_out(volunteer_pages, organiser,
                                                                                 volunteer):
    member, _ = volunteer
    sessions = [item for item in organiser.get("/api/v1/tokens").json["items"] if item["kind"] == "session"]
    assert [item["member_id"] for item in sessions] == [member["id"]]
    assert organiser.delete(f"/api/v1/tokens/{sessions[0]['id']}").status_code == 204
    assert volunteer_pages.get("/me").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example",
                                    "https://evil.example", "/ /evil.example"])
def test_signing_in_never_goes_to_another_host(pages, volunteer, target):
    member, _ = volunteer
    browser = pages()
    answer = browser.client.post("/login", data={**browser.hidden("/login"), "next": target,
                                                 "phone": member["phone"], "password": "secret123"})
    assert answer.status_code == 303 and answer.location == "/"


def test_a_password_sent_in_a_form_is_not_recoverable_from_the_idempotency_records(app, console_pages, volunteer):
    import hashlib

    from sqlalchemy import select

    from api.http.idempotency import IdempotencyRecord
    member, _ = volunteer
    page, action = f"/console/members/{member['id']}", f"/console/members/{member['id']}/password"
    form = {name: value for name, value in console_pages.hidden(page).items() if name != "next"}
    answer = console_pages.client.post(action, data={**form, "password": "Summer2026!"})
    assert answer.status_code == 303
    with app.extensions["benniu"].sessionmaker() as session:
        stored = set(session.scalars(select(IdempotencyRecord.fingerprint)))
    sent = sorted((name, value) for name, value in {**form, "password": "Summer2026!"}.items() if name != "csrf_token")
    raw = action + "\n" + "\n".join(f"{name}={value}" for name, value in sent)
    assert stored and hashlib.sha256(raw.encode()).hexdigest() not in stored  # a guessable hash of the password


def test_the_docs_page_cannot_be_framed_or_sniffed(app):
    docs = app.test_client().get("/docs")
    assert docs.status_code == 200 and docs.mimetype == "text/html"
    assert docs.headers["X-Frame-Options"] == "DENY" and docs.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in docs.headers["Content-Security-Policy"]


def test_downloads_and_images_are_never_sniffed_framed_or_run(organiser, volunteer, app):
    member, _ = volunteer
    for path, query in (("/api/v1/exports/members", {}), ("/api/v1/exports/members", {"format": "csv"}),
                        (f"/api/v1/members/{member['id']}/card.png", {}),
                        (f"/api/v1/members/{member['id']}/card.svg", {}), ("/openapi.json", {})):
        answer = organiser.get(path, **query)
        assert answer.status_code == 200 and answer.get_data(), path  # read whole: exports stream
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
        assert answer.headers["X-Frame-Options"] == "DENY", path
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy, path
