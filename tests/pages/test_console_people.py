"""The console's people pages through the test client: the claims review queue, members (search, add,
a member's page and its acts), and staff accounts — each act audited, each id of another community refused."""
import re

import pytest

from points.audit import audit_trail
from points.notices import finalise_notices

B_SECRET = "B社区的秘密线索"


def text(response) -> str:
    return response.get_data(as_text=True)


def trail(app, **where) -> list:
    with app.extensions["benniu"].sessionmaker() as session:
        return [(entry.action, entry.why, entry.facts) for entry in audit_trail(session, **where)]


def balance(organiser, member) -> dict:
    return organiser.get(f"/api/v1/members/{member['id']}/balance").json


def history_table(response) -> str:
    html = text(response)
    start = html.index('data-testid="history"')
    return html[start:html.index("</table>", start)] + html[html.index("</table>", start):].split("<h2>")[0]


def temporary_password(response, browser) -> str:
    """The password made up for someone, shown on the answer itself: never kept in the cookie, never cached."""
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r'data-testid="temporary-password">([^<]+)<', text(response)).group(1)
    assert password not in cookie_of(browser)
    return password


def cookie_of(browser) -> str:
    """What the browser's session cookie carries, decoded: signed is not encrypted."""
    import zlib

    from itsdangerous import base64_decode
    raw = browser.client.get_cookie("benniu_session").value
    payload = base64_decode(raw.lstrip(".").split(".")[0])
    return (zlib.decompress(payload) if raw.startswith(".") else payload).decode()


@pytest.fixture
def tips(volunteer, enrol, rules):
    """Two tips of the volunteer (the older one first) and one of another member."""
    member, phone = volunteer
    first = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3栋502 新租户未登记"},
                       expect=201).json
    second = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "5栋101 群租"}, expect=201).json
    other, other_phone = enrol(name="李桂英", team="巡逻一队")
    third = other_phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "菜场门口纠纷已调解"},
                             expect=201).json
    return {"member": member, "first": first, "second": second, "third": third, "other": other}


@pytest.fixture
def b_side(other_community, admin, app, clock):
    """Community B's member (with a tip and an award), organiser account and clerk: ids to try from A."""
    b, b_organiser = other_community
    b_organiser.post("/api/v1/rules", {"code": "rental_tip", "name": "出租房线索", "points": 40,
                                       "basis": "per_event", "requires_review": True}, expect=201)
    b_organiser.post("/api/v1/rules", {"code": "patrol", "name": "巡逻", "points": 30, "basis": "per_event"},
                     expect=201)
    member = b_organiser.post("/api/v1/members", {"name": "赵秘密", "phone": "13611112222", "community_id": b["id"],
                                                  "team": "B队", "password": "secret123"}, expect=201).json
    award = b_organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201).json
    claim = b_organiser.post("/api/v1/claims", {"rule_code": "rental_tip", "description": B_SECRET,
                                                "member_id": member["id"]}, expect=201).json
    partner = b_organiser.post("/api/v1/partners", {"name": "B药店", "kind": "shop", "community_ids": [b["id"]]},
                               expect=201).json
    from api.identity.accounts import create_staff
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        b_staff = create_staff(session, role="organiser", name="B组织者", phone="13622223333", password="password1",
                               community_id=b["id"], now=clock.now())
        b_clerk = create_staff(session, role="partner", name="B店员", phone="13622224444", password="password1",
                               partner_id=partner["id"], now=clock.now())
        staff_ids = (b_staff.id, b_clerk.id)
    return {"community": b, "organiser": b_organiser, "member": member, "transfer_id": award["transfer_id"],
            "claim": claim, "partner": partner, "staff_ids": staff_ids}


# The review queue --------------------------------------------------------------------------

def test_the_queue_shows_pending_tips_oldest_first_with_the_member_and_their_recent_history(
        police_pages, organiser, tips):
    member = tips["member"]
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "夜间巡逻"},
                   expect=201)
    html = text(police_pages.get("/console/claims"))
    assert html.index("3栋502 新租户未登记") < html.index("5栋101 群租") < html.index("菜场门口纠纷已调解")
    assert f'href="/console/members/{member["id"]}"' in html and member["phone"] in html and "服管委员会" in html
    assert "夜间巡逻" in html  # the member's recent history beside their tip
    assert html.count(">通过</button>") == 3 and html.count(">驳回</button>") == 3


def test_the_queue_filters_by_status_and_by_rule(police_pages, organiser, tips, rules):
    organiser.post(f"/api/v1/claims/{tips['first']['id']}/reject", {"reason": "重复"}, expect=200)
    pending = text(police_pages.get("/console/claims"))
    assert "3栋502" not in pending and "5栋101 群租" in pending
    rejected = text(police_pages.get("/console/claims?status=rejected"))
    assert "3栋502" in rejected and "5栋101" not in rejected and ">驳回</button>" not in rejected
    everything = text(police_pages.get("/console/claims?status=all"))
    assert everything.index("5栋101") < everything.index("3栋502")  # pending first, then the reviewed
    assert "3栋502" not in text(police_pages.get("/console/claims?status=all&rule=patrol"))
    assert "3栋502" in text(police_pages.get("/console/claims?status=all&rule=rental_tip"))


def test_the_queue_pages_on_past_the_pending_into_the_reviewed(police_pages, organiser, volunteer, rules):
    from api.pages.console import claims as module
    member, phone = volunteer
    made = [phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": f"线索{n}号"}, expect=201).json
            for n in range(module.PAGE + 2)]
    organiser.post(f"/api/v1/claims/{made[0]['id']}/reject", {"reason": "无效"}, expect=200)
    first = text(police_pages.get("/console/claims?status=all"))
    assert "线索1号" in first and "线索0号<" not in first
    following = re.search(r'href="(/console/claims\?[^"]*after=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = text(police_pages.get(following))
    assert f"线索{module.PAGE + 1}号" in second and "线索0号" in second and "线索1号<" not in second


def test_approving_with_other_points_awards_them_once_and_is_audited(app, console_pages, organiser, tips):
    claim, member = tips["first"], tips["member"]
    fields = console_pages.hidden("/console/claims")
    approve = f"/console/claims/{claim['id']}/approve?status=pending&rule="
    first = console_pages.client.post(approve, data={**fields, "points": "80"})
    again = console_pages.client.post(approve, data={**fields, "points": "80"})  # a double click
    assert first.status_code == again.status_code == 303
    assert balance(organiser, member)["available"] == 80
    assert "获得 80 积分" in text(console_pages.get(first.location))
    assert [(action, facts["decision"], facts["points"]) for action, _, facts in
            trail(app, member_id=member["id"], action="claim_reviewed")] == [("claim_reviewed", "approved", 80)]
    late = console_pages.submit("/console/claims", approve)  # another organiser's older form
    assert late.status_code == 409 and "这条线索已经审核过了" in text(late)
    assert balance(organiser, member)["available"] == 80


def test_approving_without_points_pays_the_rules_points_and_bad_points_are_refused(console_pages, organiser, tips):
    claim, member = tips["first"], tips["member"]
    refused = console_pages.submit("/console/claims", f"/console/claims/{claim['id']}/approve", points="很多")
    assert refused.status_code == 422 and "正整数" in text(refused)
    assert console_pages.submit("/console/claims", f"/console/claims/{claim['id']}/approve").status_code == 303
    assert balance(organiser, member)["available"] == 50


def test_rejecting_needs_a_reason_moves_no_points_and_is_audited_with_it(app, console_pages, organiser, tips):
    claim, member = tips["first"], tips["member"]
    refused = console_pages.submit("/console/claims", f"/console/claims/{claim['id']}/reject", reason="  ")
    assert refused.status_code == 422 and "请填写原因" in text(refused)
    assert organiser.get(f"/api/v1/claims/{claim['id']}").json["status"] == "pending"
    done = console_pages.submit("/console/claims", f"/console/claims/{claim['id']}/reject", reason="地址不存在")
    assert done.status_code == 303
    assert balance(organiser, member)["available"] == 0
    assert [(action, why) for action, why, _ in trail(app, member_id=member["id"], action="claim_reviewed")] == [
        ("claim_reviewed", "地址不存在")]
    html = text(console_pages.get("/console/claims?status=rejected"))
    assert "地址不存在" in html and "这条线索已于" in html


# Members -------------------------------------------------------------------------------------

def test_members_are_found_by_name_phone_or_team_and_link_to_import(console_pages, enrol, b_side):
    enrol(name="陈元龙", team="服管委员会")
    li, _ = enrol(name="李桂英", team="巡逻一队")
    by_name = text(console_pages.get("/console/members?q=桂英"))
    assert "李桂英" in by_name and "陈元龙" not in by_name
    by_phone = text(console_pages.get(f"/console/members?q={li['phone'][-4:]}"))
    assert "李桂英" in by_phone and "陈元龙" not in by_phone
    by_team = text(console_pages.get("/console/members?team=服管委员会"))
    assert "陈元龙" in by_team and "李桂英" not in by_team
    everyone = text(console_pages.get("/console/members"))
    assert 'href="/console/members/import"' in everyone and ">导入<" in everyone
    assert "赵秘密" not in everyone and "B队" not in everyone


def test_adding_a_member_is_audited_and_a_made_up_password_is_shown_once_and_signs_in(app, pages, console_pages,
                                                                                    community):
    added = console_pages.submit("/console/members", name="王小明", phone="13512345678", team="巡逻二队")
    password = temporary_password(added, console_pages)
    assert "王小明" in text(added) and "巡逻二队" in text(added)
    [member_id] = [int(found) for found in re.findall(r'/console/members/(\d+)/password', text(added))]
    assert "temporary-password" not in text(console_pages.get(f"/console/members/{member_id}"))  # once
    assert [(action, facts["name"]) for action, _, facts in trail(app, member_id=member_id)] == [
        ("member_added", "王小明")]
    browser = pages().sign_in("13512345678", password)
    assert browser.get("/me").location == "/password"  # a temporary password is changed first
    assert browser.submit("/password", current=password, new="mine-now-1").status_code == 303
    assert browser.get("/me").status_code == 200


def test_a_phone_already_registered_is_a_sentence_not_a_second_member(console_pages, volunteer, staff):
    member, _ = volunteer
    for phone in (member["phone"], staff("organiser")):
        refused = console_pages.submit("/console/members", name="重名", phone=phone, password="password1")
        assert refused.status_code == 409 and "这个手机号已经登记过了" in text(refused)
    bad = console_pages.submit("/console/members", name="", phone="abc")
    assert bad.status_code == 422 and "请填写姓名" in text(bad)


def test_an_admin_picks_the_community_before_adding_a_member(pages, staff, community):
    admin_pages = pages().sign_in(staff("admin"), "password1")
    refused = admin_pages.submit("/console/members", name="王小明", phone="13512345678")
    assert refused.status_code == 422 and "请先在左侧选择社区" in text(refused)
    admin_pages.get(f"/console/members?community_id={community['id']}")
    assert admin_pages.submit("/console/members", name="王小明", phone="13512345678", password="password9"
                              ).status_code == 303


def test_a_members_page_shows_balance_history_claims_vouchers_and_card(console_pages, organiser, volunteer, rules,
                                                                       shop):
    member, phone = volunteer
    for _ in range(4):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 100},
                       expect=201)
    phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "楼道堆物"}, expect=201)
    phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)
    html = text(console_pages.get(f"/console/members/{member['id']}"))
    assert 'data-testid="available">100<' in html and 'data-testid="held">300<' in html
    assert "楼道堆物" in html and "大米 5kg" in html and "兑换冻结" in html
    assert f'href="/console/members/{member["id"]}/card"' in html
    card = text(console_pages.get(f"/console/members/{member['id']}/card"))
    assert f'/api/v1/members/{member["id"]}/card.svg' in card and "data-print" in card
    assert console_pages.get(f"/api/v1/members/{member['id']}/card.png").status_code == 200


def test_the_history_pages_by_keyset_newest_first(console_pages, organiser, volunteer, rules):
    from api.pages.console import members as module
    member, _ = volunteer
    for n in range(module.HISTORY_PAGE + 3):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "memo": f"第{n}次"},
                       expect=201)
    first = history_table(console_pages.get(f"/console/members/{member['id']}"))
    newest = f"第{module.HISTORY_PAGE + 2}次"
    assert newest in first and "第0次<" not in first and "加载更多" in first
    following = re.search(r'href="([^"]*before=\d+)"', first).group(1)
    second = history_table(console_pages.get(following))
    assert "第0次" in second and newest not in second and "加载更多" not in second


def test_awarding_points_from_a_members_page_is_audited_with_its_memo(app, console_pages, organiser, volunteer,
                                                                       rules):
    member, _ = volunteer
    path = f"/console/members/{member['id']}"
    done = console_pages.submit(path, f"{path}/award", rule_code="patrol", points="30", memo="协助寻找走失老人")
    assert done.status_code == 303 and balance(organiser, member)["available"] == 30
    assert [(action, why, facts.get("points")) for action, why, facts in trail(app, member_id=member["id"])] == [
        ("award", "协助寻找走失老人", 30), ("member_added", None, None)]
    assert "协助寻找走失老人" in text(console_pages.get(path))  # the audit trail on the page
    capped = console_pages.submit(path, f"{path}/award", rule_code="patrol", points="90")
    assert capped.status_code == 409 and "上限" in text(capped)


def test_reversing_an_earning_says_first_whether_it_was_spent_and_is_audited(app, console_pages, organiser,
                                                                             volunteer, rules, shop):
    member, phone = volunteer
    kept = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 100},
                          expect=201).json["transfer_id"]
    path = f"/console/members/{member['id']}"
    reverse = f"{path}/entries/{kept}/reverse"
    assert f'href="{reverse}"' in text(console_pages.get(path))
    assert "可以扣回" in text(console_pages.get(reverse))
    refused = console_pages.submit(reverse, reason="")
    assert refused.status_code == 422 and balance(organiser, member)["available"] == 100
    done = console_pages.submit(reverse, reason="重复录入")
    assert done.status_code == 303 and balance(organiser, member)["available"] == 0
    assert [(action, why) for action, why, _ in trail(app, member_id=member["id"])] == [
        ("reversal", "重复录入"), ("award", None), ("member_added", None)]
    assert "已撤销" in text(console_pages.get(path))
    assert "撤销过了" in text(console_pages.get(reverse))


def test_an_earning_on_public_notice_is_withdrawn_from_the_members_page(app, pages, console_pages, organiser,
                                                                        volunteer, community, rules, clock):
    member, _ = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    on_notice = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip"},
                               expect=201).json["transfer_id"]
    path = f"/console/members/{member['id']}"
    reverse = f"{path}/entries/{on_notice}/reverse"
    page = text(console_pages.get(path))
    listed = page[page.index('data-testid="on-notice"'):page.index('data-testid="history"')]
    assert "提供有效出租房线索" in listed and "+50" in listed and f'href="{reverse}"' in listed
    assert "正在公示" in text(console_pages.get(reverse))
    done = console_pages.submit(reverse, reason="邻居反映线索不实")
    assert done.status_code == 303
    assert balance(organiser, member)["pending"] == 0 and balance(organiser, member)["available"] == 0
    assert [(action, why) for action, why, _ in trail(app, member_id=member["id"])][0] == ("reversal", "邻居反映线索不实")
    page = text(console_pages.get(path))
    listed = page[page.index('data-testid="on-notice"'):page.index('data-testid="history"')]
    assert "已撤回" in listed and f'href="{reverse}"' not in listed
    assert "撤销过了" in text(console_pages.get(reverse))
    assert "目前没有正在公示的积分" in text(pages().get(f"/notice?community_id={community['id']}"))
    clock.advance(days=8)  # withdrawn, it never becomes final
    assert balance(organiser, member)["available"] == 0


def test_the_notice_table_pages_by_keyset_newest_first(console_pages, organiser, volunteer, rules):
    from api.pages.console import members as module
    member, _ = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    awards = [organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip"},
                             expect=201).json["transfer_id"] for _ in range(module.NOTICE_PAGE + 3)]
    path = f"/console/members/{member['id']}"

    def listed(page_path):
        page = text(console_pages.get(page_path))
        table = page[page.index('data-testid="on-notice"'):page.index('data-testid="history"')]
        return [award for award in awards if f'href="{path}/entries/{award}/reverse"' in table], table

    first, table = listed(path)
    assert first == awards[3:] and "更早的公示积分" in table
    second, table = listed(re.search(r'href="([^"]*notices_before=\d+)"', table).group(1))
    assert second == awards[:3] and "更早的公示积分" not in table


def test_paging_one_of_a_members_tables_keeps_the_others_place(console_pages, organiser, volunteer, rules):
    from api.pages.console import members as module
    member, _ = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    for code in ["rental_tip"] * (module.NOTICE_PAGE + 1) + ["patrol_hours"] * (module.HISTORY_PAGE + 1):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": code}, expect=201)
    path = f"/console/members/{member['id']}"
    page = text(console_pages.get(path))
    notices_before = re.search(r"notices_before=(\d+)", page).group(1)
    before = re.search(r"[?&;]before=(\d+)", page).group(1)

    def link(page, name) -> dict:
        query = re.search(rf'href="{path}\?([^"]*)">{name}<', page).group(1)
        return dict(pair.split("=") for pair in query.split("&amp;"))

    both = {"before": before, "notices_before": notices_before}
    assert link(text(console_pages.get(f"{path}?notices_before={notices_before}")), "加载更多") == both
    assert link(text(console_pages.get(f"{path}?before={before}")), "更早的公示积分") == both


def test_an_award_whose_notice_is_over_but_not_yet_final_is_reversed_from_the_same_row(console_pages, organiser,
                                                                                      volunteer, rules, clock):
    member, _ = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    award = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip"},
                           expect=201).json["transfer_id"]
    clock.advance(days=8)  # the window is over; the scheduled job has not run
    path = f"/console/members/{member['id']}"
    reverse = f"{path}/entries/{award}/reverse"
    page = text(console_pages.get(path))
    row = page[page.index('data-testid="on-notice"'):page.index('data-testid="history"')]
    assert "已期满" in row and f'href="{reverse}"' in row
    assert "可以扣回这 50 积分" in text(console_pages.get(reverse))
    assert console_pages.submit(reverse, reason="复核不属实").status_code == 303
    assert balance(organiser, member)["available"] == 0 and balance(organiser, member)["pending"] == 0


def test_an_award_made_final_after_its_notice_is_still_reversed_from_the_notice_table(app, console_pages, organiser,
                                                                                     volunteer, rules, clock):
    member, _ = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    award = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip"},
                           expect=201).json["transfer_id"]
    clock.advance(days=8)
    with app.extensions["benniu"].sessionmaker() as session:  # the scheduled job
        assert len(finalise_notices(session, now=clock.now())) == 1
        session.commit()
    path = f"/console/members/{member['id']}"
    reverse = f"{path}/entries/{award}/reverse"
    page = text(console_pages.get(path))
    listed = page[page.index('data-testid="on-notice"'):page.index('data-testid="history"')]
    assert "已生效" in listed and f'href="{reverse}"' in listed
    assert f'href="{reverse}"' not in page[page.index('data-testid="history"'):]  # the finalise row links nothing
    assert console_pages.submit(reverse, reason="复核不属实").status_code == 303
    assert balance(organiser, member)["available"] == 0
    page = text(console_pages.get(path))
    assert "已撤销" in page[page.index('data-testid="on-notice"'):page.index('data-testid="history"')]


def test_reversing_points_already_spent_is_refused_with_a_plain_sentence(console_pages, organiser, volunteer, rules,
                                                                         shop):
    member, phone = volunteer
    spent = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 300},
                           expect=201).json["transfer_id"]
    phone.post("/api/v1/redemptions", {"reward_id": shop["rice"]["id"]}, expect=201)
    path = f"/console/members/{member['id']}"
    assert "已被使用" in text(console_pages.get(path))
    reverse = f"{path}/entries/{spent}/reverse"
    assert "已被使用" in text(console_pages.get(reverse))
    refused = console_pages.submit(reverse, reason="录错了")
    assert refused.status_code == 409 and "不能撤销" in text(refused)
    assert balance(organiser, member)["held"] == 300


def test_only_this_members_earnings_are_reversed_on_their_page(console_pages, organiser, enrol, rules):
    first, _ = enrol()
    second, _ = enrol(name="李桂英")
    theirs = organiser.post("/api/v1/awards", {"member_id": second["id"], "rule_code": "patrol"},
                            expect=201).json["transfer_id"]
    path = f"/console/members/{first['id']}/entries/{theirs}/reverse"
    assert console_pages.get(path).status_code == 404
    assert console_pages.submit(f"/console/members/{first['id']}", path, reason="x").status_code == 404
    assert balance(organiser, second)["available"] == 50


def test_moving_a_member_to_another_team_is_audited(app, console_pages, volunteer):
    member, _ = volunteer
    path = f"/console/members/{member['id']}"
    assert console_pages.submit(path, f"{path}/team", team="巡逻三队").status_code == 303
    assert 'value="巡逻三队"' in text(console_pages.get(path))
    assert [(action, facts.get("team_before"), facts["team"]) for action, _, facts in trail(app, member_id=member["id"])
            ] == [("member_changed", "服管委员会", "巡逻三队"), ("member_added", None, "服管委员会")]


def test_resetting_a_volunteers_password_ends_their_sessions_and_is_audited(app, pages, console_pages, volunteer):
    member, _ = volunteer
    phone_browser = pages().sign_in(member["phone"], "secret123")
    path = f"/console/members/{member['id']}"
    made_up = console_pages.submit(path, f"{path}/password")
    password = temporary_password(made_up, console_pages)
    assert phone_browser.get("/me").location.startswith("/login")
    assert pages().sign_in(member["phone"], password).get("/me").location == "/password"
    too_short = console_pages.submit(path, f"{path}/password", password="123")
    assert too_short.status_code == 422
    assert console_pages.submit(path, f"{path}/password", password="typed-by-me").status_code == 303
    assert pages().sign_in(member["phone"], "typed-by-me").get("/me").location == "/password"
    assert [action for action, _, _ in trail(app, member_id=member["id"])] == [
        "password_reset", "password_reset", "member_added"]


# Staff ---------------------------------------------------------------------------------------

def test_an_organiser_sees_their_communitys_organisers_and_clerks_only(console_pages, staff, shop, b_side):
    staff("partner", name="理发店 小王", partner_id=shop["barber"]["id"])
    html = text(console_pages.get("/console/staff"))
    assert "罗塘派出所 民警" in html and "理发店 小王" in html and "老街理发店" in html
    assert "B组织者" not in html and "B店员" not in html and "B药店" not in html


def test_an_admin_sees_every_communitys_staff(pages, staff, b_side):
    staff("organiser", name="A组织者")
    html = text(pages().sign_in(staff("admin"), "password1").get("/console/staff"))
    assert "A组织者" in html and "B组织者" in html and "B店员" in html


def test_adding_an_organiser_and_a_clerk_is_audited_and_they_sign_in(app, pages, console_pages, community, shop):
    organiser_added = console_pages.submit("/console/staff", name="网格员 小刘", phone="13711110000", role="organiser",
                                           password="password9")
    assert organiser_added.status_code == 303
    clerk_added = console_pages.submit("/console/staff", name="理发店 小王", phone="13711110001", role="partner",
                                       partner_id=str(shop["barber"]["id"]))
    password = temporary_password(clerk_added, console_pages)
    assert pages().sign_in("13711110000", "password9").get("/console").location == "/password"
    assert pages().sign_in("13711110001", password).get("/counter").location == "/password"
    assert [(facts["name"], facts["role"]) for _, _, facts in trail(app, community_id=community["id"],
                                                                     action="staff_added")] == [
        ("理发店 小王", "partner"), ("网格员 小刘", "organiser")]
    duplicate = console_pages.submit("/console/staff", name="重复", phone="13711110000", role="organiser")
    assert duplicate.status_code == 409 and "这个手机号已经登记过了" in text(duplicate)


def test_an_organiser_cannot_add_an_admin_nor_staff_outside_their_community(app, admin, console_pages, community,
                                                                            shop, b_side):
    shared = admin.post("/api/v1/partners", {"name": "连锁超市", "kind": "shop",
                                             "community_ids": [community["id"], b_side["community"]["id"]]},
                        expect=201).json
    attempts = [({"role": "admin"}, 422),
                ({"role": "partner", "partner_id": str(b_side["partner"]["id"])}, 404),
                ({"role": "partner", "partner_id": str(shared["id"])}, 403)]
    for fields, status in attempts:
        refused = console_pages.submit("/console/staff", name="越权", phone="13799990000", **fields)
        assert refused.status_code == status
    refused = console_pages.submit("/console/staff", name="越权", phone="13799990000", role="organiser",
                                   form_community_id=str(b_side["community"]["id"]))  # a form altered to name B
    assert refused.status_code == 403
    assert trail(app, action="staff_added") == []
    with app.extensions["benniu"].sessionmaker() as session:
        from api.identity.accounts import phone_taken
        assert not phone_taken(session, "13799990000")


def test_the_policy_refuses_an_organiser_an_admin_account_or_another_communitys(app, community, b_side):
    from api.identity.access import staff_grant
    from api.identity.principal import Principal
    from points.errors import Forbidden, NotFound
    organiser = Principal(token_id=1, role="organiser", name="A", community_id=community["id"])
    b = b_side["community"]["id"]
    with app.extensions["benniu"].sessionmaker() as session:
        for role, community_id, partner_id, refusal in (("admin", None, None, Forbidden),
                                                        ("organiser", b, None, Forbidden),
                                                        ("partner", None, b_side["partner"]["id"], NotFound)):
            with pytest.raises(refusal):
                staff_grant(session, organiser, role=role, community_id=community_id, partner_id=partner_id)
        assert staff_grant(session, organiser, role="organiser", community_id=None, partner_id=None) == (
            community["id"], None)


def test_resetting_a_clerks_password_ends_their_session_and_is_audited(app, pages, console_pages, staff, shop,
                                                                       community):
    phone = staff("partner", name="理发店 小王", partner_id=shop["barber"]["id"])
    clerk = pages().sign_in(phone, "password1")
    staff_id = int(re.search(r'id="staff-(\d+)">\s*<td>理发店 小王<', text(console_pages.get("/console/staff"))).group(1))
    done = console_pages.submit("/console/staff", f"/console/staff/{staff_id}/password", password="new-pass-1")
    assert done.status_code == 303
    assert clerk.get("/counter").location.startswith("/login")
    reset_clerk = pages().sign_in(phone, "new-pass-1")
    assert reset_clerk.get("/counter").location == "/password"  # a password set by someone else is changed first
    assert reset_clerk.submit("/password", current="new-pass-1", new="clerks-own-1").status_code == 303
    assert reset_clerk.get("/counter").status_code == 200
    assert [facts["staff_id"] for _, _, facts in trail(app, community_id=community["id"],
                                                       action="password_reset")] == [staff_id]


def test_an_organiser_changes_their_own_password_with_the_current_one_never_by_a_reset(app, pages, staff):
    phone = staff("organiser", name="网格员 小刘")
    console = pages().sign_in(phone, "password1")
    own = re.search(r'id="staff-(\d+)">\s*<td>网格员 小刘<', text(console.get("/console/staff"))).group(1)
    row = text(console.get("/console/staff")).split(f'id="staff-{own}"')[1].split("</tr>")[0]
    assert 'href="/password"' in row and "/password\"" not in row.replace('href="/password"', "")
    refused = console.submit("/console/staff", f"/console/staff/{own}/password", password="no-current-1")
    assert refused.status_code == 403 and "凭原密码修改" in text(refused)
    assert pages().submit("/login", phone=phone, password="no-current-1").status_code == 401
    wrong = console.submit("/password", current="not-mine-1", new="mine-own-22")
    assert wrong.status_code == 401 and "原密码不对" in text(wrong)
    assert console.submit("/password", current="password1", new="mine-own-22").status_code == 303
    assert pages().sign_in(phone, "mine-own-22").get("/console").status_code == 200
    assert [action for action, _, _ in trail(app, action="password_changed")] == ["password_changed"]


def test_a_disabled_clerk_is_sent_to_login_at_once_and_their_token_stops(app, clock, pages, console_pages, staff,
                                                                         shop, community):
    from api.identity.accounts import StaffAccount
    from api.identity.tokens import issue_token
    from tests.helpers import Client
    phone = staff("partner", name="理发店 小王", partner_id=shop["barber"]["id"])
    clerk = pages().sign_in(phone, "password1")
    assert clerk.get("/counter").status_code == 200
    with app.extensions["benniu"].sessionmaker() as session, session.begin():
        account = session.query(StaffAccount).filter_by(phone=phone).one()
        staff_id = account.id
        plain, _ = issue_token(session, role="partner", name="小王", partner_id=account.partner_id, now=clock.now(),
                               staff_id=account.id)
    token = Client(app, plain)
    assert token.get("/api/v1/rewards").status_code == 200
    asked = console_pages.submit("/console/staff", f"/console/staff/{staff_id}/disable")  # no reason given
    assert asked.status_code == 422 and "停用账号时请填写原因" in text(asked)
    assert token.get("/api/v1/rewards").status_code == 200
    done = console_pages.submit("/console/staff", f"/console/staff/{staff_id}/disable", reason="调岗")
    assert done.status_code == 303
    assert clerk.get("/counter").location.startswith("/login")
    assert token.get("/api/v1/rewards").status_code == 401
    refused = pages().submit("/login", phone=phone, password="password1")
    assert refused.status_code == 403 and "您的账号已被停用" in text(refused)
    wrong = pages().submit("/login", phone=phone, password="not-the-one")
    assert wrong.status_code == 401 and "手机号或密码错误" in text(wrong)
    assert "已停用" in text(console_pages.get("/console/staff"))
    assert [facts["staff_id"] for _, _, facts in trail(app, community_id=community["id"],
                                                       action="staff_disabled")] == [staff_id]
    enabled = console_pages.submit("/console/staff", f"/console/staff/{staff_id}/enable", reason="回岗")
    assert enabled.status_code == 303
    assert pages().submit("/login", phone=phone, password="password1").status_code == 303
    assert [facts["staff_id"] for _, _, facts in trail(app, community_id=community["id"],
                                                       action="staff_enabled")] == [staff_id]
    assert "回岗" in text(console_pages.get("/console/staff")) and "调岗" in text(console_pages.get("/console/staff"))


def test_an_organiser_cannot_disable_their_own_account(console_pages, app):
    from api.identity.accounts import StaffAccount
    with app.extensions["benniu"].sessionmaker() as session:
        own = session.query(StaffAccount).filter_by(name="罗塘派出所 民警").one().id
    assert console_pages.submit("/console/staff", f"/console/staff/{own}/disable", reason="x").status_code == 403
    assert console_pages.get("/console").status_code == 200


# Who may open these pages, and tenant isolation -------------------------------------------------

@pytest.mark.parametrize("path", ["/console/claims", "/console/members", "/console/staff"])
def test_volunteers_and_clerks_get_the_403_page(path, pages, volunteer_pages, staff, shop):
    clerk = pages().sign_in(staff("partner", partner_id=shop["barber"]["id"]), "password1")
    for browser in (volunteer_pages, clerk):
        assert browser.get(path).status_code == 403
    assert pages().get(path).location.startswith("/login")


def test_another_communitys_ids_get_403_or_404_and_none_of_its_data(app, console_pages, volunteer, b_side):
    """Table-driven over every people URL with an id: community A's organiser given B's ids."""
    mine, _ = volunteer
    member, claim, transfer = b_side["member"]["id"], b_side["claim"]["id"], b_side["transfer_id"]
    b_staff, b_clerk = b_side["staff_ids"]
    gets = [f"/console/members/{member}", f"/console/members/{member}/card",
            f"/console/members/{member}/entries/{transfer}/reverse",
            f"/console/members/{mine['id']}/entries/{transfer}/reverse",
            f"/console/claims?after={claim}"]
    posts = [(f"/console/claims/{claim}/approve", {"points": "10"}), (f"/console/claims/{claim}/reject", {"reason": "x"}),
             (f"/console/members/{member}/award", {"rule_code": "patrol"}),
             (f"/console/members/{member}/team", {"team": "A队"}),
             (f"/console/members/{member}/password", {"password": "hijacked1"}),
             (f"/console/members/{member}/entries/{transfer}/reverse", {"reason": "x"}),
             (f"/console/members/{mine['id']}/entries/{transfer}/reverse", {"reason": "x"}),
             (f"/console/staff/{b_staff}/password", {"password": "hijacked1"}),
             (f"/console/staff/{b_clerk}/password", {"password": "hijacked1"}),
             (f"/console/staff/{b_staff}/disable", {"reason": "x"}), (f"/console/staff/{b_clerk}/disable", {}),
             (f"/console/staff/{b_staff}/enable", {}), (f"/console/staff/{b_clerk}/enable", {"reason": "x"})]
    answers = [(path, console_pages.get(path)) for path in gets]
    answers += [(path, console_pages.submit("/console/members", path, **fields)) for path, fields in posts]
    for path, response in answers:
        assert response.status_code in (403, 404), path
        body = text(response)
        assert "赵秘密" not in body and B_SECRET not in body and "B组织者" not in body and "B店员" not in body, path
    b_organiser = b_side["organiser"]
    assert b_organiser.get(f"/api/v1/claims/{claim}").json["status"] == "pending"
    assert b_organiser.get(f"/api/v1/members/{member}").json["team"] == "B队"
    assert b_organiser.get(f"/api/v1/members/{member}/balance").json["available"] == 30
    assert [action for action, _, _ in trail(app, community_id=b_side["community"]["id"])
            if not action.startswith("rule_")] == ["partner_signed", "claim_filed", "award", "member_added",
                                                   "community_founded"]  # B's own
    for phone in ("13611112222", "13622223333", "13622224444"):
        from .conftest import PageClient
        assert PageClient(app).submit("/login", phone=phone, password=(
            "secret123" if phone == "13611112222" else "password1")).status_code == 303


def test_the_staff_pages_trail_says_roles_and_who_in_words(console_pages):
    console_pages.submit("/console/staff", name="网格员小李", phone="13799990001", role="organiser",
                         password="password1")
    html = console_pages.get("/console/staff").get_data(as_text=True)
    trail_html = html[html.index('data-testid="audit-trail"'):]
    assert "网格员小李 组织者" in trail_html and "组织者 罗塘派出所 民警" in trail_html
    assert "organiser" not in trail_html
