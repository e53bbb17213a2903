"""The console's rules and activities through the test client: define, change (a new version) and
retire rules; plan an activity, print its poster, check members in by card and out; and never
another community's rule or activity."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from points.ledger import Transfer
from points.rules import Rule

from ..helpers import decode_qr


def text(response) -> str:
    return response.get_data(as_text=True)


def form_of(client, path: str) -> dict:
    """The hidden fields of the form on `path` that posts to `action` (each form has its own action key)."""
    return client.hidden(path)


def posted(client, page: str, action: str, **fields):
    """Open `page`, then send the form whose action is `action` with its own hidden fields and `fields`."""
    html = text(client.get(page))
    start = html.index(f'action="{action}"')
    hidden = dict(re.findall(r'<input type="hidden" name="(csrf_token|action_key)" value="([^"]*)"', html[start:])[:2])
    return client.client.post(action, data={**hidden, **fields})


def local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def activity_form(clock, **fields) -> dict:
    start = clock.now()
    return {"title": "夜间治安巡逻", "rule_code": "patrol", "starts_at": local(start),
            "ends_at": local(start + timedelta(hours=2)), "radius_m": "200",
            "checkin_methods": ["printed", "live", "card"], **fields}


def plan(console_pages, clock, **fields) -> int:
    response = console_pages.submit("/console/activities/new", **activity_form(clock, **fields))
    assert response.status_code == 303, text(response)
    return int(response.location.rsplit("/", 1)[-1])


def member_code(organiser, member) -> str:
    return decode_qr(organiser.get(f"/api/v1/members/{member['id']}/card.png").data)


# Rules ------------------------------------------------------------------------------------

def test_the_rules_page_lists_each_live_rule_with_its_version_and_terms(console_pages, rules):
    html = text(console_pages.get("/console/rules"))
    assert "参与治安巡逻" in html and "第 1 版" in html and "新建规则" in html
    row = html[html.index("巡逻服务时间"):]
    assert "每小时" in row[:400] and ">20<" in row[:400]


def test_an_organiser_defines_a_rule_and_the_api_serves_it(console_pages, organiser, rules):
    response = console_pages.submit("/console/rules/new", code="leaflets", name="发放反诈传单", points="30",
                                    basis="per_event", daily_cap="60", requires_review="1", notice_days="0")
    assert response.status_code == 303
    page = text(console_pages.get(response.location))
    assert "发放反诈传单" in page and "已新建规则" in page
    made = {rule["code"]: rule for rule in organiser.get("/api/v1/rules").json["items"]}["leaflets"]
    assert (made["points"], made["daily_cap"], made["requires_review"], made["version"]) == (30, 60, True, 1)


@pytest.mark.parametrize(("fields", "said"), [
    ({"code": "Bad Code"}, "代码用小写英文字母开头"),
    ({"points": "0"}, "积分请填 1 到 1000000"),
    ({"points": "五十"}, "积分请填 1 到 1000000"),
    ({"daily_cap": "-3"}, "每日上限请填"),
    ({"name": ""}, "请填写名称"),
    ({"basis": "per_year"}, "请选择计分方式"),
])
def test_a_bad_rule_gets_a_sentence_beside_its_field_and_nothing_is_made(console_pages, organiser, fields, said):
    good = {"code": "leaflets", "name": "发放反诈传单", "points": "30", "basis": "per_event"}
    response = console_pages.submit("/console/rules/new", **{**good, **fields})
    assert response.status_code == 422 and said in text(response) and 'class="field-problem"' in text(response)
    assert organiser.get("/api/v1/rules").json["items"] == []


def test_a_rule_code_already_taken_is_said_in_a_sentence(console_pages, rules):
    response = console_pages.submit("/console/rules/new", code="patrol", name="再来一条巡逻", points="10",
                                    basis="per_event")
    assert response.status_code == 409 and "这个代码已经有规则了" in text(response)


def test_saving_a_rule_twice_from_one_form_defines_it_once(console_pages, organiser):
    form = {**console_pages.hidden("/console/rules/new"), "code": "leaflets", "name": "发放反诈传单",
            "points": "30", "basis": "per_event"}
    first = console_pages.client.post("/console/rules/new", data=form)
    again = console_pages.client.post("/console/rules/new", data=form)
    assert first.status_code == again.status_code == 303 and first.location == again.location
    assert [rule["code"] for rule in organiser.get("/api/v1/rules").json["items"]] == ["leaflets"]


def test_editing_a_rule_saves_a_new_version_and_earlier_entries_keep_theirs(console_pages, organiser, rules,
                                                                             volunteer, session):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    edit = text(console_pages.get("/console/rules/patrol/edit"))
    assert "已经获得的积分不变" in edit and "第 2 版" in edit and 'value="50"' in edit
    response = console_pages.submit("/console/rules/patrol/edit", name="参与治安巡逻", points="80",
                                    basis="per_event", daily_cap="", notice_days="0")
    assert response.status_code == 303
    history = text(console_pages.get(response.location))
    assert "第 2 版" in history and "第 1 版" in history and "已保存为第 2 版" in history
    current = {rule["code"]: rule for rule in organiser.get("/api/v1/rules").json["items"]}["patrol"]
    assert (current["version"], current["points"], current["daily_cap"]) == (2, 80, None)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    earned = [entry["amount"] for entry in organiser.get(f"/api/v1/members/{member['id']}/entries").json["items"]]
    assert earned == [80, 50]  # newest first: the first award kept version 1's 50
    versions = dict(session.execute(select(Transfer.amount, Rule.version).join(Rule, Rule.id == Transfer.rule_id)).all())
    assert versions == {50: 1, 80: 2}


def test_saving_a_rule_unchanged_says_so_and_writes_no_version(console_pages, organiser, rules):
    response = console_pages.submit("/console/rules/patrol/edit", name="参与治安巡逻", points="50",
                                    basis="per_event", daily_cap="100", notice_days="0")
    assert response.status_code == 422 and "没有改动" in text(response)
    assert {rule["code"]: rule for rule in organiser.get("/api/v1/rules").json["items"]}["patrol"]["version"] == 1


def test_retiring_a_rule_asks_first_then_it_is_gone_from_the_list_but_its_history_stays(console_pages, organiser,
                                                                                        rules, clock):
    activity_id = plan(console_pages, clock)
    confirm = text(console_pages.get("/console/rules/patrol/retire"))
    assert "确定要停用" in confirm and "确认停用" in confirm
    assert "patrol" in [rule["code"] for rule in organiser.get("/api/v1/rules").json["items"]]  # asking changed nothing
    response = console_pages.submit("/console/rules/patrol/retire")
    assert response.status_code == 303
    listing = text(console_pages.get("/console/rules"))
    assert "已停用规则" in listing and "已停用的规则（1）" in listing
    assert "patrol" not in [rule["code"] for rule in organiser.get("/api/v1/rules").json["items"]]
    assert "已于" in text(console_pages.get("/console/rules/patrol"))
    assert console_pages.get("/console/rules/patrol/edit").status_code == 404
    assert "规则已停用：不能再签到" in text(console_pages.get(f"/console/activities/{activity_id}"))


# Activities -------------------------------------------------------------------------------

def test_an_organiser_plans_an_activity_with_a_place_and_capacity(console_pages, organiser, rules, clock):
    form = text(console_pages.get("/console/activities/new"))
    for label in ("标题", "积分规则", "开始时间", "结束时间", "使用当前位置", "创建"):
        assert label in form
    activity_id = plan(console_pages, clock, lat="22.5431", lng="114.0579", radius_m="300", capacity="40",
                       checkin_methods=["printed", "card"])
    made = organiser.get(f"/api/v1/activities/{activity_id}").json
    assert made["location"] == {"lat": 22.5431, "lng": 114.0579, "radius_m": 300}
    assert (made["capacity"], made["checkin_methods"], made["rule_code"]) == (40, ["printed", "card"], "patrol")
    assert made["starts_at"] == clock.now().replace(second=0, microsecond=0).isoformat()
    assert "夜间治安巡逻" in text(console_pages.get("/console/activities"))


@pytest.mark.parametrize(("fields", "said"), [
    ({"title": ""}, "请填写标题"),
    ({"starts_at": "not a time"}, "请填写开始时间"),
    ({"ends_at": ""}, "请填写结束时间"),
    ({"lat": "22.5", "lng": ""}, "不限地点请把纬度和经度都留空"),
    ({"lat": "99", "lng": "114"}, "纬度在 -90 到 90"),
    ({"capacity": "0"}, "人数上限请填"),
    ({"checkin_methods": []}, "请至少选一种签到方式"),
    ({"rule_code": "no_such_rule"}, "积分规则已停用或不存在"),
])
def test_bad_activity_input_gets_a_chinese_sentence_never_a_500(console_pages, organiser, rules, clock, fields, said):
    response = console_pages.submit("/console/activities/new", **activity_form(clock, **fields))
    assert 400 <= response.status_code < 500 and said in text(response)
    assert organiser.get("/api/v1/activities").json["items"] == []


def test_an_activity_that_ends_before_it_starts_is_refused_beside_the_end_time(console_pages, organiser, rules,
                                                                               clock):
    response = console_pages.submit("/console/activities/new", **activity_form(
        clock, ends_at=local(clock.now() - timedelta(hours=1))))
    assert response.status_code == 422 and 'id="ends_at-problem"' in text(response)
    assert organiser.get("/api/v1/activities").json["items"] == []


def test_an_activity_whose_check_in_is_already_over_is_saved_and_says_so_on_its_page(console_pages, organiser,
                                                                                   rules, clock):
    yesterday = clock.now() - timedelta(days=1)
    made = console_pages.submit("/console/activities/new", **activity_form(
        clock, starts_at=local(yesterday), ends_at=local(yesterday + timedelta(hours=2))))
    page = text(console_pages.get(made.location))
    assert made.status_code == 303 and 'data-testid="check-in-over"' in page and "签到已结束" in page
    assert "可以打印二维码" not in page
    assert offers_check_in(page, made.location.rsplit("/", 1)[1]) == []
    current = plan(console_pages, clock)
    page = text(console_pages.get(f"/console/activities/{current}"))
    assert 'data-testid="check-in-over"' not in page
    assert offers_check_in(page, current) == ["poster", "screen", "card"]
    clock.advance(hours=3)  # its two hours and the grace after them are over
    page = text(console_pages.get(f"/console/activities/{current}"))
    assert 'data-testid="check-in-over"' in page and offers_check_in(page, current) == []


def offers_check_in(page: str, activity_id) -> list[str]:
    """Which of the ways in that only an open check-in can use an activity's page offers."""
    ways = {"poster": f'href="/console/activities/{activity_id}/poster"',
            "screen": f'href="/activities/{activity_id}/screen"',
            "card": f'action="/console/activities/{activity_id}/checkins"'}
    return [way for way, link in ways.items() if link in page]


def test_the_list_shows_recent_and_coming_activities_and_older_ones_month_by_month(console_pages, rules, clock):
    moment = clock.now()
    for title, start in [("三个月前的巡逻", moment - timedelta(days=90)), ("上周的巡逻", moment - timedelta(days=7)),
                         ("明天的巡逻", moment + timedelta(days=1))]:
        plan(console_pages, clock, title=title, starts_at=local(start), ends_at=local(start + timedelta(hours=2)))
    listed = text(console_pages.get("/console/activities"))
    assert "上周的巡逻" in listed and "明天的巡逻" in listed and "三个月前的巡逻" not in listed
    assert "活动太多" not in listed
    month = (moment - timedelta(days=90)).strftime("%Y-%m")
    page = text(console_pages.get(f"/console/activities?month={month}"))
    assert "三个月前的巡逻" in page and "上周的巡逻" not in page and "明天的巡逻" not in page
    following = re.search(r'href="/console/activities\?month=([0-9-]+)">下个月<', page).group(1)
    assert following > month and "三个月前的巡逻" not in text(console_pages.get(f"/console/activities?month={following}"))
    for bad in ("2026-13", "1999-12", "soon"):
        assert console_pages.get(f"/console/activities?month={bad}").status_code == 404


def test_long_lists_keep_the_soonest_to_come_and_the_latest_ended_and_a_month_pages_on(console_pages, rules, clock,
                                                                                         monkeypatch):
    from api.pages.console import activities as module
    monkeypatch.setattr(module, "LISTED_AT_MOST", 2)
    moment = clock.now()
    for days in (5, -20, 1, -10, 9, -30):  # planned out of order
        start = moment + timedelta(days=days)
        plan(console_pages, clock, title=f"第{days}天的巡逻", starts_at=local(start),
             ends_at=local(start + timedelta(hours=2)))
    listed = text(console_pages.get("/console/activities"))
    coming, past = listed[listed.index('data-testid="coming"'):], listed[listed.index('data-testid="past"'):]
    assert coming.index("第1天") < coming.index("第5天") and "第9天" not in coming and "最早开始的 2 个" in listed
    assert past.index("第-10天") < past.index("第-20天") and "第-30天" not in past and "最近结束的 2 个" in listed
    month = (moment + timedelta(days=120)).replace(day=1, hour=9)  # a month with these three alone
    for day, title in [(2, "第三场"), (0, "第一场"), (1, "第二场")]:
        start = month + timedelta(days=day)
        plan(console_pages, clock, title=title, starts_at=local(start), ends_at=local(start + timedelta(hours=1)))
    page = text(console_pages.get(f"/console/activities?month={month.strftime('%Y-%m')}"))
    assert page.index("第一场") < page.index("第二场") and "第三场" not in page
    following = text(console_pages.get(re.search(r'href="([^"]*after=\d+)"', page).group(1).replace("&amp;", "&")))
    assert "第三场" in following and "第一场" not in following and "after=" not in following


def test_a_month_is_the_services_local_month_and_its_neighbours_cross_the_year(console_pages, rules, clock):
    first = clock.now().replace(year=2026, month=12, day=1, hour=0, minute=30)  # 16:30 on 30 November in UTC
    plan(console_pages, clock, title="十二月第一场", starts_at=local(first), ends_at=local(first + timedelta(hours=1)))
    december = text(console_pages.get("/console/activities?month=2026-12"))
    assert "十二月第一场" in december and "十二月第一场" not in text(console_pages.get("/console/activities?month=2026-11"))
    assert 'href="/console/activities?month=2027-01">下个月<' in december
    assert 'href="/console/activities?month=2025-12">上个月<' in text(console_pages.get("/console/activities?month=2026-01"))
    last = text(console_pages.get("/console/activities?month=2200-12"))
    assert "上个月" in last and "下个月" not in last


def test_a_card_refused_because_check_in_ended_meanwhile_is_said_beside_the_code(console_pages, organiser, rules,
                                                                                clock, volunteer):
    member, _ = volunteer
    path = f"/console/activities/{plan(console_pages, clock)}"
    form = {**form_of(console_pages, path), "member_code": member_code(organiser, member)}
    clock.advance(hours=3)  # the page was open while its window and grace ran out
    refused = console_pages.client.post(f"{path}/checkins", data=form)
    page = text(refused)
    assert refused.status_code == 409 and 'data-testid="check-in-over"' in page
    assert "不在活动的签到时间内" in page and f'value="{form["member_code"]}"' in page


def test_the_poster_carries_the_activitys_printed_checkin_code(console_pages, organiser, rules, clock):
    activity_id = plan(console_pages, clock)
    page = text(console_pages.get(f"/console/activities/{activity_id}"))
    assert "打印二维码" in page and f'href="/activities/{activity_id}/screen"' in page and "签到大屏" in page
    poster = text(console_pages.get(f"/console/activities/{activity_id}/poster"))
    assert "夜间治安巡逻" in poster and "扫描二维码签到" in poster and "data-print" in poster
    assert f"{clock.now():%Y-%m-%d} 20:00 – 22:00" in poster
    image = re.search(r'<img class="poster-qr" src="([^"]+)"', poster).group(1)
    png = console_pages.get(image)
    assert png.mimetype == "image/png"
    assert decode_qr(png.data) == organiser.get(f"/api/v1/activities/{activity_id}").json["checkin_url"]


def test_the_screen_opens_on_the_organisers_console_session(console_pages, rules, clock):
    activity_id = plan(console_pages, clock)
    screen = console_pages.get(f"/activities/{activity_id}/screen")
    assert screen.status_code == 200 and f"/api/v1/activities/{activity_id}/live.svg" in text(screen)
    live = console_pages.get(f"/api/v1/activities/{activity_id}/live.svg")
    assert live.status_code == 200 and live.mimetype == "image/svg+xml"


def test_a_card_checkin_lists_the_member_with_method_time_and_points(console_pages, organiser, rules, clock,
                                                                     volunteer):
    member, phone = volunteer
    activity_id = plan(console_pages, clock)
    path = f"/console/activities/{activity_id}"
    action = f"{path}/checkins"
    form = {**form_of(console_pages, path), "member_code": member_code(organiser, member)}
    first = console_pages.client.post(action, data=form)
    again = console_pages.client.post(action, data=form)  # a double press: the first answer, once
    assert first.status_code == again.status_code == 303
    page = text(console_pages.get(path))
    assert "签到成功：陈元龙" in page
    row = page[page.index('data-testid="checkins"'):]
    assert "陈元龙" in row and "会员卡" in row and "已计分" in row and ">50<" in row
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 50
    refused = posted(console_pages, path, action, member_code=member_code(organiser, member))
    assert refused.status_code == 409 and "这位志愿者已经签到过本次活动" in text(refused)
    bad = posted(console_pages, path, action, member_code="m1.0.forged")
    assert bad.status_code == 422 and "这不是有效的会员卡代码" in text(bad)


def test_an_organiser_checks_out_one_volunteer_then_everyone_still_in(console_pages, organiser, rules, clock, enrol):
    activity_id = plan(console_pages, clock, rule_code="patrol_hours")
    path = f"/console/activities/{activity_id}"
    people = [enrol(name=name) for name in ("陈元龙", "李秀英", "王建国")]
    for member, _ in people:
        posted(console_pages, path, f"{path}/checkins", member_code=member_code(organiser, member))
    clock.advance(hours=1, minutes=30)
    checkins = organiser.get(f"/api/v1/activities/{activity_id}/checkins").json["items"]
    first = checkins[0]["id"]
    one = posted(console_pages, path, f"{path}/checkins/{first}/checkout")
    assert one.status_code == 303
    assert "已签退：陈元龙，90 分钟，20 积分" in text(console_pages.get(path))
    page = text(console_pages.get(path))
    assert "全部签退（2 人）" in page
    everyone = posted(console_pages, path, f"{path}/checkout")
    assert everyone.status_code == 303
    page = text(console_pages.get(path))
    assert "已为 2 人签退" in page and "全部签退" not in page and "未签退" not in page
    assert [one["status"] for one in organiser.get(f"/api/v1/activities/{activity_id}/checkins").json["items"]] \
        == ["awarded"] * 3
    assert [organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] for member, _ in people] \
        == [20, 20, 20]


def test_a_checkin_closed_already_is_said_not_closed_twice(console_pages, organiser, rules, clock, volunteer):
    member, phone = volunteer
    activity_id = plan(console_pages, clock, rule_code="patrol_hours")
    path = f"/console/activities/{activity_id}"
    posted(console_pages, path, f"{path}/checkins", member_code=member_code(organiser, member))
    checkin_id = organiser.get(f"/api/v1/activities/{activity_id}/checkins").json["items"][0]["id"]
    stale = form_of(console_pages, path)  # the page with its 签退 button, left open
    clock.advance(hours=2)
    phone.post(f"/api/v1/checkins/{checkin_id}/checkout", {}, expect=200)  # the volunteer checked out meanwhile
    html = text(console_pages.get(path))
    assert f"{checkin_id}/checkout" not in html
    answer = console_pages.client.post(f"{path}/checkins/{checkin_id}/checkout",
                                       data={**stale, "action_key": "k" * 20})
    assert answer.status_code == 409 and "这条签到已经签退过了" in text(answer)
    assert organiser.get(f"/api/v1/members/{member['id']}/balance").json["available"] == 40


# Another community's rules and activities -------------------------------------------------

def test_another_communitys_activity_and_rule_answer_404_and_show_nothing_of_them(console_pages, other_community,
                                                                                  rules, clock, enrol):
    b, b_organiser = other_community
    b_organiser.post("/api/v1/rules", {"code": "b_watch", "name": "幸福里夜巡", "points": 70, "basis": "per_hour"},
                     expect=201)
    b_activity = b_organiser.post("/api/v1/activities", {
        "rule_code": "b_watch", "title": "幸福里夜巡", "community_id": b["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()},
        expect=201).json["id"]
    a_activity = plan(console_pages, clock)
    for path in (f"/console/activities/{b_activity}", f"/console/activities/{b_activity}/poster",
                 f"/console/activities/{b_activity}/qr.png", f"/activities/{b_activity}/screen",
                 "/console/rules/b_watch", "/console/rules/b_watch/edit", "/console/rules/b_watch/retire"):
        answer = console_pages.get(path)
        assert answer.status_code == 404 and "幸福里" not in text(answer), path
    assert console_pages.get(f"/console/rules/b_watch?community_id={b['id']}").status_code == 403
    assert console_pages.get(f"/console/activities?community_id={b['id']}").status_code == 403
    assert "幸福里" not in text(console_pages.get("/console/activities"))
    assert "幸福里" not in text(console_pages.get("/console/rules"))
    hidden = form_of(console_pages, f"/console/activities/{a_activity}")
    for action in (f"/console/activities/{b_activity}/checkins", f"/console/activities/{b_activity}/checkout",
                   "/console/rules/b_watch/edit", "/console/rules/b_watch/retire"):
        answer = console_pages.client.post(action, data={**hidden, "member_code": "x", "name": "改名",
                                                         "points": "1", "basis": "per_event"})
        assert answer.status_code == 404 and "幸福里" not in text(answer), action
    assert b_organiser.get("/api/v1/rules").json["items"][0]["version"] == 1


def test_another_communitys_checkin_cannot_be_closed_from_an_activity_of_ours(console_pages, other_community,
                                                                               rules, clock, app):
    from ..conftest import _token
    from ..helpers import Client
    b, b_organiser = other_community
    b_organiser.post("/api/v1/rules", {"code": "b_watch", "name": "幸福里夜巡", "points": 70, "basis": "per_hour"},
                     expect=201)
    b_activity = b_organiser.post("/api/v1/activities", {
        "rule_code": "b_watch", "title": "幸福里夜巡", "community_id": b["id"],
        "starts_at": clock.now().isoformat(), "ends_at": (clock.now() + timedelta(hours=2)).isoformat()},
        expect=201).json
    b_member = b_organiser.post("/api/v1/members", {"name": "幸福里 张三", "phone": "13911112222",
                                                    "community_id": b["id"]}, expect=201).json
    b_phone = Client(app, _token(app, clock, role="volunteer", name="张三", member_id=b_member["id"]))
    b_checkin = b_phone.post("/api/v1/checkins", {"code": b_activity["checkin_url"]}, expect=201).json["id"]
    a_activity = plan(console_pages, clock, rule_code="patrol_hours")
    path = f"/console/activities/{a_activity}"
    answer = console_pages.client.post(f"{path}/checkins/{b_checkin}/checkout", data=form_of(console_pages, path))
    assert answer.status_code == 404 and "幸福里" not in text(answer)
    assert b_phone.get(f"/api/v1/checkins/{b_checkin}").json["status"] == "open"


def test_the_rules_and_activities_pages_are_not_for_volunteers(volunteer_pages, pages, rules):
    for path in ("/console/rules", "/console/rules/new", "/console/activities", "/console/activities/new"):
        assert volunteer_pages.get(path).status_code == 403
        assert pages().get(path).location.startswith("/login?next=")


def test_an_admin_picks_the_community_before_defining_a_rule_or_planning_an_activity(pages, staff, community,
                                                                                     organiser, rules, clock):
    desk = pages().sign_in(staff("admin"), "password1")
    assert "请先在左侧选择要操作的社区" in text(desk.get("/console/rules/new"))
    assert "请先在左侧选择要操作的社区" in text(desk.get("/console/activities/new"))
    assert "振宇社区" in text(desk.get("/console/rules"))  # every community's rules, each named
    assert "请先在左侧选择" not in text(desk.get(f"/console/rules/new?community_id={community['id']}"))
    response = desk.submit("/console/rules/new", code="leaflets", name="发放反诈传单", points="30",
                           basis="per_event")  # the form posts without the query: the pick is remembered
    assert response.status_code == 303 and f"community_id={community['id']}" in response.location
    assert "leaflets" in [rule["code"] for rule in organiser.get("/api/v1/rules").json["items"]]
    activity = desk.submit("/console/activities/new", **activity_form(clock))  # the pick is remembered
    assert activity.status_code == 303
    assert organiser.get("/api/v1/activities").json["items"][0]["title"] == "夜间治安巡逻"
