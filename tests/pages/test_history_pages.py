"""The points history reads as deeds: the rule's name first and the memo second, in the order the deeds were done
(a paper book typed in late sits on its day, with a running balance that adds up), and awards on notice with their state."""
import re
from datetime import timedelta

from .test_console_imports import AWARDS, previewed, xlsx
from .test_volunteer_pages import text


def lines(html: str) -> list[tuple[str, int, int]]:
    """(words, points, balance) of each line of /me/entries' history, top to bottom."""
    history = html.split('data-testid="history"', 1)[-1]
    return [(re.sub(r"<[^>]+>", "", what).strip(), int(points), int(balance)) for what, points, balance in re.findall(
        r'<span class="what">(.*?)</span>\s*<span class="amount[^"]*">([+-]\d+)</span>\s*'
        r'<span class="when">[^<]*余额 (\d+)</span>', history, re.S)]


def test_a_paper_book_row_sits_on_its_deeds_day_with_a_running_balance_that_adds_up(
        console_pages, volunteer_pages, organiser, volunteer, rules, clock, session):
    member, phone = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "第二次"}, expect=201)
    clock.advance(hours=1)
    ten_days_ago = (clock.now() - timedelta(days=10)).date().isoformat()
    confirm = previewed(console_pages, AWARDS, xlsx([(member["phone"], "patrol_hours", ten_days_ago, 40, "纸质台账")]))
    assert console_pages.submit(confirm).status_code == 303
    page = lines(text(volunteer_pages.get("/me/entries")))
    assert page == [("参与治安巡逻 · 第二次", 50, 90), ("巡逻服务时间 · 纸质台账", 40, 40)]
    api = phone.get(f"/api/v1/members/{member['id']}/entries").json["items"]
    assert [(item["amount"], item["balance_after"]) for item in api] == [(50, 90), (40, 40)]
    assert api[0]["at"] > api[1]["at"]


def test_the_history_continues_page_by_page_in_deed_order(volunteer_pages, organiser, volunteer, rules, clock):
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "bonus", "name": "表彰奖励", "points": 1, "basis": "per_event"})
    for points in range(1, 26):
        organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "bonus", "points": points}, expect=201)
        clock.advance(minutes=1)
    first = text(volunteer_pages.get("/me/entries"))
    more = re.search(r'href="/me/entries\?before=(\d+)"', first).group(1)
    shown = lines(first) + lines(text(volunteer_pages.get(f"/me/entries?before={more}")))
    assert [points for _, points, _ in shown] == list(range(25, 0, -1))
    assert [balance for _, _, balance in shown] == [sum(range(1, n + 1)) for n in range(25, 0, -1)]


def test_an_award_on_public_notice_shows_in_the_history_with_its_state(volunteer_pages, organiser, volunteer, clock):
    member, _ = volunteer
    organiser.post("/api/v1/rules", {"code": "brave", "name": "见义勇为", "points": 200, "basis": "per_event",
                                     "notice_days": 7}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "brave"}, expect=201)
    html = text(volunteer_pages.get("/me/entries"))
    on_notice = html.split('data-testid="on-notice"', 1)[1].split("</ul>", 1)[0]
    assert "见义勇为 · 公示中" in on_notice and "+200" in on_notice
