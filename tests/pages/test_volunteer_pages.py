"""The volunteer's pages through the test client: each task, its refusals in Chinese, one effect per action."""
import re
from datetime import timedelta

import pytest

from api.http.errors import CODE_BY_STATUS, STATUS_BY_CODE
from api.pages.refusals import SENTENCES


def text(response) -> str:
    return response.get_data(as_text=True)


def activity(organiser, community, clock, **extra):
    body = {"rule_code": "patrol", "title": "夜间治安巡逻", "community_id": community["id"],
            "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat(), **extra}
    made = organiser.post("/api/v1/activities", body, expect=201).json
    return made, made["checkin_url"].removeprefix("https://benniu.test")


def give(organiser, member, points):
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points}, expect=201)


def test_signed_out_visits_go_to_login_and_come_back_after_sign_in(pages, volunteer):
    member, _ = volunteer
    browser = pages()
    assert browser.get("/").location == "/login"
    sent = browser.get("/me/vouchers")
    assert sent.status_code == 302 and sent.location == "/login?next=/me/vouchers"
    back = browser.submit("/login?next=/me/vouchers", phone=member["phone"], password="secret123")
    assert back.status_code == 303 and back.location == "/me/vouchers"


def test_the_login_page_never_sends_anyone_to_another_host(pages, volunteer):
    member, _ = volunteer
    back = pages().submit("/login?next=//evil.example/x", phone=member["phone"], password="secret123")
    assert back.location == "/"


def test_a_wrong_password_says_so_in_the_same_words_as_a_wrong_phone(pages, volunteer):
    member, _ = volunteer
    wrong = pages().submit("/login", phone=member["phone"], password="nope")
    unknown = pages().submit("/login", phone="13199999999", password="nope")
    assert wrong.status_code == unknown.status_code == 401
    assert "手机号或密码错误" in text(wrong) and "手机号或密码错误" in text(unknown)


def test_each_role_is_sent_to_its_home(pages, volunteer, staff, shop):
    member, _ = volunteer
    assert pages().sign_in(member["phone"], "secret123").get("/").location == "/me"
    assert pages().sign_in(staff("organiser"), "password1").get("/").location == "/console"
    assert pages().sign_in(staff("admin"), "password1").get("/").location == "/console"
    clerk = pages().sign_in(staff("partner", partner_id=shop["barber"]["id"]), "password1")
    assert clerk.get("/").location == "/counter"
    assert "兑换码" in text(clerk.get("/counter"))


def test_another_roles_session_gets_the_403_page_on_volunteer_pages(pages, staff):
    organiser = pages().sign_in(staff("organiser"), "password1")
    for path in ("/me", "/me/entries", "/scan", "/shop", "/me/vouchers", "/me/card"):
        answer = organiser.get(path)
        assert answer.status_code == 403 and "没有权限" in text(answer)


def test_home_shows_available_and_held_points_and_every_link(volunteer_pages, volunteer, organiser, shop):
    member, phone = volunteer
    give(organiser, member, 500)
    phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201)
    html = text(volunteer_pages.get("/me"))
    assert re.search(r'data-testid="available">300<', html) and re.search(r'data-testid="held">200<', html)
    for label in ("扫码签到", "积分明细", "积分超市", "我的兑换", "提交线索", "我的会员卡", "排行榜", "退出"):
        assert label in html


def test_history_is_paged_with_load_more(volunteer_pages, volunteer, organiser):
    member, _ = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰", "points": 1, "basis": "per_event"})
    for number in range(25):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "memo": f"第{number}次"},
                       expect=201)
    first = text(volunteer_pages.get("/me/entries"))
    assert "第24次" in first and "第4次" not in first and "加载更多" in first
    more = re.search(r'href="(/me/entries\?before=\d+)">加载更多', first).group(1)
    second = text(volunteer_pages.get(more))
    assert "第4次" in second and "第0次" in second and "第24次" not in second and "加载更多" not in second


def test_typing_the_code_checks_in_once_however_often_the_form_is_sent(app, volunteer_pages, organiser, community,
                                                                      rules, clock, volunteer):
    made, path = activity(organiser, community, clock)
    form = volunteer_pages.hidden("/scan")
    first = volunteer_pages.client.post("/scan", data={**form, "code": path})
    again = volunteer_pages.client.post("/scan", data={**form, "code": path})  # a double tap: the same action
    assert first.status_code == again.status_code == 303 and first.location == again.location
    result = text(volunteer_pages.get(first.location))
    assert "签到成功" in result and "获得 50 积分" in result
    assert organiser.get(f"/api/v1/activities/{made['id']}/checkins").json["items"].__len__() == 1
    retry = volunteer_pages.submit("/scan", code=path)  # a new press is a new action: refused in Chinese
    assert retry.status_code == 409 and "您已经签到过本次活动" in text(retry)


def test_landing_on_a_scanned_code_offers_the_check_in_form_that_checks_in(volunteer_pages, organiser, community,
                                                                          rules, clock):
    made, path = activity(organiser, community, clock)
    page = text(volunteer_pages.get(path))
    assert "夜间治安巡逻" in page and 'data-auto="1"' in page
    code = path.removeprefix("/c/")
    answer = volunteer_pages.submit(path, "/scan", code=code)
    assert "签到成功" in text(volunteer_pages.get(answer.location))


def test_a_place_bound_activity_retried_with_the_location_is_a_new_action_not_a_conflict(
        volunteer_pages, organiser, community, rules, clock):
    made, path = activity(organiser, community, clock, location={"lat": 22.55, "lng": 114.05, "radius_m": 200})
    code = path.removeprefix("/c/")
    assert 'data-needs-place="1"' in text(volunteer_pages.get(path))
    denied = volunteer_pages.submit(path, "/scan", code=code)  # the phone gave no position
    assert denied.status_code == 422 and "请允许浏览器获取位置" in text(denied)
    far = volunteer_pages.submit(path, "/scan", code=code, lat="22.60", lng="114.05")
    assert far.status_code == 422 and "您不在活动地点范围内" in text(far)
    there = volunteer_pages.submit(path, "/scan", code=code, lat="22.5501", lng="114.0501")
    assert there.status_code == 303 and "签到成功" in text(volunteer_pages.get(there.location))


def test_a_forged_or_expired_code_gets_its_own_sentence(volunteer_pages, organiser, community, rules, clock):
    assert "这不是有效的签到码" in text(volunteer_pages.get("/c/not-a-code"))
    made, path = activity(organiser, community, clock)
    clock.advance(hours=3)
    assert "已过期" in text(volunteer_pages.get(path))


def test_an_hourly_activity_is_checked_out_from_the_result_and_from_home(volunteer_pages, organiser, community,
                                                                       rules, clock):
    made, path = activity(organiser, community, clock, rule_code="patrol_hours", title="巡逻服务")
    result = volunteer_pages.submit("/scan", code=path)
    assert "签到成功" in text(volunteer_pages.get(result.location)) and "确认签退" in text(volunteer_pages.get("/me"))
    clock.advance(hours=2)
    out = volunteer_pages.submit("/me", result.location + "/checkout")
    page = text(volunteer_pages.get(out.location))
    assert "签退成功" in page and "获得 40 积分" in page
    assert "确认签退" not in text(volunteer_pages.get("/me"))
    clock.advance(minutes=11)  # past the 10 minutes in which 撤销签退 is offered
    assert "签退" not in text(volunteer_pages.get("/me")).replace("退出", "")


def test_the_shop_lists_each_kind_with_cost_and_what_is_left(volunteer_pages, shop):
    html = text(volunteer_pages.get("/shop"))
    for words in ("物品", "物业费抵扣", "合作商家服务", "大米 5kg", "300 积分", "剩余 20", "免费理发", "不限量"):
        assert words in html


def test_redeeming_each_kind_once_per_press(volunteer_pages, volunteer, organiser, shop):
    member, phone = volunteer
    give(organiser, member, 2000)
    rice = f"/shop/{shop['rice']['id']}"
    form = volunteer_pages.hidden(rice)
    first = volunteer_pages.client.post(rice, data={**form, "quantity": "2"})
    second = volunteer_pages.client.post(rice, data={**form, "quantity": "2"})
    assert first.location == second.location and "/me/vouchers/" in first.location
    haircut = volunteer_pages.submit(f"/shop/{shop['haircut']['id']}", quantity="1")
    fee = volunteer_pages.submit(f"/shop/{shop['fee']['id']}", household="3栋2单元502", points="300")
    assert haircut.status_code == fee.status_code == 303
    fee_page = text(volunteer_pages.get(fee.location))
    assert "3栋2单元502" in fee_page and "300.00 元" in fee_page and 'data-testid="voucher-code"' in fee_page
    assert len(phone.get("/api/v1/redemptions").json["items"]) == 3
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 2000 - 600 - 200 - 300


def test_redeem_refusals_each_have_their_sentence(volunteer_pages, volunteer, organiser, shop):
    member, _ = volunteer
    poor = volunteer_pages.submit(f"/shop/{shop['rice']['id']}", quantity="1")
    assert poor.status_code == 409 and "您的可用积分不够" in text(poor)
    give(organiser, member, 1000)
    assert volunteer_pages.submit(f"/shop/{shop['umbrella']['id']}", quantity="1").status_code == 303
    gone = volunteer_pages.submit(f"/shop/{shop['umbrella']['id']}", quantity="1")
    assert "这件奖品已经兑完了" in text(gone)
    odd = volunteer_pages.submit(f"/shop/{shop['fee']['id']}", household="", points="x")
    assert odd.status_code == 422 and "请填写户号" in text(odd)


def test_a_voucher_shows_its_code_and_is_cancelled_once(volunteer_pages, volunteer, organiser, shop):
    member, phone = volunteer
    give(organiser, member, 500)
    made = volunteer_pages.submit(f"/shop/{shop['haircut']['id']}", quantity="1").location
    page = text(volunteer_pages.get(made))
    code = re.search(r'data-testid="voucher-code">([A-Z0-9-]+)<', page).group(1)
    assert "voucher.svg" in page and "取消兑换" in page
    assert volunteer_pages.get(f"/api/v1/redemptions/{made.rsplit('/', 1)[1]}/voucher.svg").status_code == 200
    form = volunteer_pages.hidden(made)
    for _ in range(2):
        assert volunteer_pages.client.post(made + "/cancel", data=form).status_code == 303
    after = text(volunteer_pages.get(made))
    assert "已取消" in after and "取消兑换" not in after and code in after
    assert phone.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 500
    assert "已取消" in text(volunteer_pages.get("/me/vouchers"))


def test_a_tip_is_submitted_once_and_listed_with_its_status(volunteer_pages, organiser, rules):
    form = text(volunteer_pages.get("/me/claims/new"))
    assert "提供有效出租房线索" in form and "参与治安巡逻" not in form  # only rules that need review
    page = volunteer_pages.hidden("/me/claims/new")
    body = {**page, "rule_code": "rental_tip", "description": "3栋502 新来的租户未登记"}
    assert volunteer_pages.client.post("/me/claims/new", data=body).location == "/me/claims"
    volunteer_pages.client.post("/me/claims/new", data=body)
    listed = text(volunteer_pages.get("/me/claims"))
    assert listed.count("3栋502 新来的租户未登记") == 1 and "待审核" in listed
    assert len(organiser.get("/api/v1/claims").json["items"]) == 1


def test_the_member_card_page_shows_my_card(volunteer_pages, volunteer):
    member, _ = volunteer
    html = text(volunteer_pages.get("/me/card"))
    assert f"/api/v1/members/{member['id']}/card.svg" in html
    assert volunteer_pages.get(f"/api/v1/members/{member['id']}/card.svg").status_code == 200


def test_every_refusal_of_the_contract_has_its_own_sentence():
    from tests.unit.test_error_table import CONTRACT, every_domain_error

    codes = set(CONTRACT) | set(STATUS_BY_CODE) | set(CODE_BY_STATUS.values())
    codes |= {error_class.code for error_class in every_domain_error()}
    assert codes <= set(SENTENCES), codes - set(SENTENCES)
    sentences = [str(sentence) for sentence in SENTENCES.values()]
    assert len(set(sentences)) == len(sentences)


def test_a_page_that_fails_shows_a_friendly_page_not_a_stack(app, volunteer_pages, monkeypatch):
    import api.pages.volunteer.home as volunteer

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(volunteer, "balance_now", broken)
    answer = volunteer_pages.get("/me")
    assert answer.status_code == 500 and "系统出了点问题" in text(answer) and "boom" not in text(answer)
    assert answer.mimetype == "text/html"


def test_pages_speak_english_when_asked_and_chinese_otherwise(app):
    client = app.test_client()
    assert "手机号" in client.get("/login").get_data(as_text=True)
    assert "Phone number" in client.get("/login?lang=en").get_data(as_text=True)
    assert "Phone number" in client.get("/login").get_data(as_text=True)  # the choice is remembered


@pytest.mark.parametrize("asked, said", [
    ("en-US,en;q=0.9", "Phone number"), ("de, en-GB;q=0.3", "Phone number"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "手机号"), ("zh-TW", "手机号"), ("en;q=0.5, zh-CN;q=0.9", "手机号"),
    ("fr", "手机号"), ("*", "手机号"), ("", "手机号")])
def test_the_browsers_accept_language_chooses_the_pages_language_chinese_by_default(app, asked, said):
    page = app.test_client().get("/login", headers={"Accept-Language": asked})
    assert said in page.get_data(as_text=True) and "Accept-Language" in page.headers["Vary"]


def test_a_language_chosen_on_the_page_outweighs_the_browsers(app):
    client = app.test_client()
    client.get("/login?lang=zh_CN")
    assert "手机号" in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_an_unknown_address_is_a_chinese_page_for_people_and_json_for_programs(app):
    client = app.test_client()
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html" and "找不到" in text(page)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.get_json()["code"] == "not_found"


def test_the_leaderboard_link_leads_to_a_page_not_an_error(volunteer_pages):
    assert volunteer_pages.get("/leaderboard").status_code == 200


def test_the_leaderboard_page_ranks_the_community_with_names_masked(pages, organiser, community, enrol):
    (me, _), (other, _) = enrol(name="陈元龙"), enrol(name="王秀英")
    give(organiser, other, 300)
    give(organiser, me, 100)
    board = text(pages().sign_in(me["phone"], "secret123").get("/leaderboard"))
    assert board.index("王*英") < board.index("陈*龙") and "300 分" in board and "王秀英" not in board
    organiser.patch(f"/api/v1/communities/{community['id']}", {"mask_names": False})
    browser = pages().sign_in(me["phone"], "secret123")
    assert "王秀英" in text(browser.get("/leaderboard?period=year"))
    assert "还没有人" in text(browser.get("/leaderboard?period=week&rank_by=minutes"))  # nobody served hours
