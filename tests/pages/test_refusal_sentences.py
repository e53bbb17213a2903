"""Each refusal kind is said on the page with its numbers, and a volunteer's form says which field is wrong, beside it."""
import re

from .test_volunteer_pages import activity, give, text


def alert(response) -> str:
    """The page's one sentence (role=alert), or the field notes beside fields."""
    return " ".join(re.findall(r'role="alert">([^<]*)<', text(response)))


def test_asking_for_more_than_is_left_says_how_many_are_left(volunteer_pages, volunteer, organiser, shop):
    member, _ = volunteer
    give(organiser, member, 9000)
    more = volunteer_pages.submit(f"/shop/{shop['rice']['id']}", quantity="21")
    assert more.status_code == 409 and alert(more) == "这件奖品只剩 20 件了。"
    volunteer_pages.submit(f"/shop/{shop['umbrella']['id']}", quantity="1")
    assert alert(volunteer_pages.submit(f"/shop/{shop['umbrella']['id']}", quantity="1")) == "这件奖品已经兑完了。"


def test_a_second_haircut_this_month_says_once_a_month(volunteer_pages, volunteer, organiser, shop):
    member, _ = volunteer
    give(organiser, member, 1000)
    page = text(volunteer_pages.get(f"/shop/{shop['haircut']['id']}"))
    assert "每人每月限 1 次" in page and "每期" not in page
    assert re.search(r'data-testid="where">兑换地点：老街理发店', page)
    assert volunteer_pages.submit(f"/shop/{shop['haircut']['id']}", quantity="1").status_code == 303
    again = volunteer_pages.submit(f"/shop/{shop['haircut']['id']}", quantity="1")
    assert again.status_code == 409 and alert(again) == "每人每月限兑 1 次，本月已兑。"


def test_a_household_over_its_cap_hears_what_it_may_still_deduct(volunteer_pages, volunteer, organiser, shop,
                                                                 community):
    member, _ = volunteer
    give(organiser, member, 1000)
    capped = organiser.post("/api/v1/rewards", {
        "name": "减免物业费", "kind": "fee_deduction", "cost": 100, "fen_per_point": 100, "partner_id": shop["estate"]["id"],
        "community_id": community["id"], "household_cap_fen": 30000, "household_cap_period": "month"}, expect=201).json
    path = f"/shop/{capped['id']}"
    assert volunteer_pages.submit(path, household="3栋502", points="200").status_code == 303
    over = volunteer_pages.submit(path, household="3栋502", points="200")
    assert alert(over) == "这一户本月的物业费最多还能抵扣 100.00 元（上限 300.00 元）。"
    assert volunteer_pages.submit(path, household="3栋502", points="100").status_code == 303
    assert alert(volunteer_pages.submit(path, household="3栋502", points="100")) == "这一户本月的物业费抵扣已达上限 300.00 元。"


def test_a_full_activity_says_how_many_places_it_had(pages, enrol, organiser, community, clock, rules):
    made, link = activity(organiser, community, clock, capacity=1)
    for name in ("陈元龙", "王秀英"):
        member, _ = enrol(name=name)
        browser = pages().sign_in(member["phone"], "secret123")
        answer = browser.submit(link, "/scan", code=link)
    assert answer.status_code == 409 and alert(answer) == "本活动名额已满（1 人）。"


def test_an_award_over_the_daily_cap_says_the_cap_and_what_is_left(console_pages, volunteer, organiser, rules):
    member, _ = volunteer
    page = f"/console/members/{member['id']}"
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    over = console_pages.submit(page, f"{page}/award", rule_code="patrol", points="80")
    assert over.status_code == 409 and "今日积分上限 100 分，今天还能得 50 分。" in alert(over)
    console_pages.submit(page, f"{page}/award", rule_code="patrol")
    full = console_pages.submit(page, f"{page}/award", rule_code="patrol")
    assert "今日积分已达上限 100 分。" in alert(full)


def test_the_shop_form_says_which_field_is_wrong_beside_it(volunteer_pages, volunteer, organiser, shop):
    odd = text(volunteer_pages.submit(f"/shop/{shop['fee']['id']}", household="", points="x"))
    assert re.search(r'id="household"[^>]*aria-describedby="household-note"', odd)
    assert '<p class="field-error" id="household-note" role="alert">请填写户号' in odd
    assert '<p class="field-error" id="points-note" role="alert">请填写积分，须是 100 的整数倍。' in odd
    assert "填写的内容有误" not in odd
    give(organiser, volunteer[0], 1000)
    uneven = text(volunteer_pages.submit(f"/shop/{shop['fee']['id']}", household="3栋502", points="150"))
    assert 'id="points-note" role="alert">请填写积分，须是 100 的整数倍。' in uneven
    many = text(volunteer_pages.submit(f"/shop/{shop['rice']['id']}", quantity="0"))
    assert 'id="quantity-note" role="alert">数量请填写 1 到 100 之间的整数。' in many


def test_the_tip_and_scan_forms_say_which_field_is_wrong(volunteer_pages, rules):
    empty = text(volunteer_pages.submit("/me/claims/new", rule_code="rental_tip", description=" "))
    assert 'id="description-note" role="alert">请写清楚地点、时间和情况' in empty and "填写的内容有误" not in empty
    no_kind = text(volunteer_pages.submit("/me/claims/new", rule_code="", description="3栋有群租"))
    assert 'id="rule_code-note" role="alert">请选择线索的类型。' in no_kind
    scan = text(volunteer_pages.submit("/scan", code="not-a-code"))
    assert re.search(r'id="code"[^>]*aria-invalid="true"', scan) and 'id="code-note" role="alert">' in scan



def test_a_reward_says_its_partners_address_as_the_console_or_the_api_gives_it(volunteer_pages, organiser, shop,
                                                                              console_pages):
    partner_id = shop["haircut"]["partner_id"]

    def where() -> str:
        page = text(volunteer_pages.get(f"/shop/{shop['haircut']['id']}"))
        return " ".join(re.search(r'data-testid="where">(.*?)</p>', page, re.S).group(1).split())

    assert where() == "兑换地点：老街理发店"
    edit = f"/console/partners/{partner_id}/edit"
    saved = console_pages.submit(edit, name="老街理发店", kind="shop", address="老街 12 号")
    assert saved.status_code == 303, text(saved)
    assert where() == "兑换地点：老街理发店 · 老街 12 号"
    [barber] = [p for p in organiser.get("/api/v1/partners").json["items"] if p["id"] == partner_id]
    assert barber["address"] == "老街 12 号"
    assert organiser.patch(f"/api/v1/partners/{partner_id}", {"address": ""}).status_code == 200
    assert where() == "兑换地点：老街理发店"
