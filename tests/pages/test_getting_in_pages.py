"""Getting in through the pages: activation slips and /activate/<code>, /join/<code> and
/console/applications, and a temporary password that leads to /password before anything else."""
import re
from datetime import timedelta

from points.audit import audit_trail

from .test_console_people import text


def slips_of(page) -> list[tuple[str, str]]:
    """(name, code) of each printed slip."""
    html = text(page)
    return re.findall(r'class="slip-name">([^<]+)<.*?data-testid="activation-code">([^<]+)<', html, re.S)


def actions(app, **where) -> list[str]:
    with app.extensions["benniu"].sessionmaker() as session:
        return [entry.action for entry in audit_trail(session, **where)]


def test_printed_slips_are_grouped_by_team_shown_once_and_activate_a_member(app, pages, console_pages, enrol):
    for name, team in (("王一", "A队"), ("王二", "A队"), ("李三", "B队")):
        enrol(name=name, team=team, password=None)
    enrol(name="赵四", team="A队")  # has a password: no slip
    assert "打印激活码" in text(console_pages.get("/console/members"))
    printed = console_pages.submit("/console/members/activation")
    assert printed.status_code == 200 and printed.headers["Cache-Control"] == "no-store"
    sheets = re.findall(r'data-testid="sheet">\s*<h2>([^<]+)</h2>', text(printed))
    assert sheets == ["A队", "B队"]
    slips = dict(slips_of(printed))
    assert sorted(slips) == ["李三", "王一", "王二"]
    assert 'rel="stylesheet" href="/static/slips.css"' in text(printed)
    assert all(code not in console_pages.client.get_cookie("benniu_session").value for code in slips.values())
    assert "data-testid=\"slip\"" not in text(console_pages.get("/console/members"))

    phone = pages()
    assert phone.get(f"/activate/{slips['王一']}").status_code == 200
    mismatch = phone.submit(f"/activate/{slips['王一']}", password="wang-yi-2026", again="wang-yi-2027")
    assert mismatch.status_code == 422
    done = phone.submit(f"/activate/{slips['王一']}", password="wang-yi-2026", again="wang-yi-2026")
    assert (done.status_code, done.location) == (303, "/me")
    assert phone.get("/me").status_code == 200
    used = pages().submit(f"/activate/{slips['王一']}", password="other-pass-1", again="other-pass-1")
    assert used.status_code == 409 and "已经用过了" in text(used)
    unknown = pages().submit("/activate/NOSUCHCODE", password="other-pass-1", again="other-pass-1")
    assert unknown.status_code == 404 and "找不到这个激活码" in text(unknown)


def test_an_expired_slip_says_to_ask_for_a_new_one(pages, console_pages, enrol, clock):
    enrol(name="王一", team="A队", password=None)
    [(_, code)] = slips_of(console_pages.submit("/console/members/activation", team="A队"))
    clock.advance(days=30, seconds=1)
    expired = pages().submit(f"/activate/{code}", password="wang-yi-2026", again="wang-yi-2026")
    assert expired.status_code == 410 and "已过期" in text(expired)


def test_a_resident_applies_on_the_join_page_and_an_organiser_approves_in_the_console(app, pages, console_pages,
                                                                                      community):
    resident = pages()
    form = resident.get("/join/zhenyu")
    assert all(label in text(form) for label in ("姓名", "手机号", "队伍", "密码", "提交申请"))
    sent = resident.submit("/join/zhenyu", name="孙小美", phone="135 1234 5678", team="巡逻一队", password="sun-xiaomei")
    assert sent.status_code == 303 and "申请已提交" in text(resident.get(sent.location))
    assert resident.submit("/login", phone="13512345678", password="sun-xiaomei").status_code == 401
    review = text(console_pages.get("/console/applications"))
    assert "孙小美" in review and "通过" in review and "驳回" in review
    [application_id] = re.findall(r'/console/applications/(\d+)/approve', review)
    approved = console_pages.submit("/console/applications", f"/console/applications/{application_id}/approve")
    assert approved.status_code == 303
    assert pages().sign_in("13512345678", "sun-xiaomei").get("/me").status_code == 200
    assert actions(app, community_id=community["id"])[:2] == ["application_approved", "application_filed"]


def test_a_rejection_needs_a_reason_and_a_taken_phone_is_a_sentence(app, pages, console_pages, volunteer):
    member, _ = volunteer
    taken = pages().submit("/join/zhenyu", name="重复", phone=member["phone"], password="password-1")
    assert taken.status_code == 409 and "这个手机号已经登记过了" in text(taken)
    assert pages().submit("/join/zhenyu", name="", phone="12", password="x").status_code == 422
    assert pages().get("/join/nosuchcommunity").status_code == 404
    pages().submit("/join/zhenyu", name="周五", phone="13611112222", password="password-1")
    [application_id] = re.findall(r'/console/applications/(\d+)/reject', text(console_pages.get("/console/applications")))
    path = f"/console/applications/{application_id}/reject"
    assert console_pages.submit("/console/applications", path, reason="").status_code == 422
    assert console_pages.submit("/console/applications", path, reason="不是本社区居民").status_code == 303
    assert "已驳回：不是本社区居民" in text(console_pages.get("/console/applications"))
    assert pages().submit("/login", phone="13611112222", password="password-1").status_code == 401


def test_another_communitys_application_is_not_the_organisers(app, pages, console_pages, admin):
    other = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    pages().submit("/join/baoli", name="外人", phone="13611112222", password="password-1")
    assert "外人" not in text(console_pages.get("/console/applications"))
    with app.extensions["benniu"].sessionmaker() as session:
        from points.applications import find_applications
        [application] = find_applications(session, community_id=other["id"])
    refused = console_pages.submit("/console/applications", f"/console/applications/{application.id}/approve")
    assert refused.status_code in (403, 404)


def test_a_temporary_password_leads_to_password_before_any_page(pages, console_pages, volunteer):
    member, _ = volunteer
    path = f"/console/members/{member['id']}"
    console_pages.submit(path, f"{path}/password", password="temp-pass-1")
    phone = pages()
    signed_in = phone.submit("/login", phone=member["phone"], password="temp-pass-1", next="/me/claims")
    assert (signed_in.status_code, signed_in.location) == (303, "/password")
    for elsewhere in ("/me", "/me/claims", "/leaderboard", "/"):
        assert phone.get(elsewhere).location in ("/password", "/me"), elsewhere
    assert phone.get("/me").location == "/password"
    page = text(phone.get("/password"))
    assert "原密码" in page and "新密码" in page and "修改密码" in page and "临时密码" in page
    assert phone.submit("/password", current="temp-pass-1", new="mine-now-1").status_code == 303
    assert phone.get("/me").status_code == 200
    assert pages().sign_in(member["phone"], "mine-now-1").get("/me").status_code == 200


def test_the_slips_expiry_is_the_setting(app, console_pages, enrol, clock):
    app.config["ACTIVATION_DAYS"] = 3
    enrol(name="王一", team="A队", password=None)
    printed = text(console_pages.submit("/console/members/activation"))
    assert f"扫码设置密码，{(clock.now() + timedelta(days=3)).date().isoformat()} 前有效" in printed
