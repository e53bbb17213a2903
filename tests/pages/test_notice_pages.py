"""Issue 14 on the pages: the volunteer's home shows pending points and the next expiry; the public
notice board lists what is on notice without sign-in and without a tip's text."""
import re

from .test_venue_pages import text


def test_the_home_shows_pending_points_and_the_next_expiry(volunteer_pages, volunteer, organiser, community, rules):
    member, _ = volunteer
    organiser.patch(f"/api/v1/communities/{community['id']}", {"points_valid_months": 12})
    organiser.post("/api/v1/rules", {"code": "good_deed", "name": "见义勇为", "points": 100, "basis": "per_event",
                                     "notice_days": 7}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "good_deed"}, expect=201)
    home = text(volunteer_pages.get("/me"))
    assert re.search(r'data-testid="available">50<', home) and re.search(r'data-testid="pending">100<', home)
    assert "公示中" in home
    assert re.search(r"50 积分将于 \d{4}-\d{2}-\d{2} 过期", home)


def test_a_home_without_pending_or_expiring_points_says_nothing_of_them(volunteer_pages):
    home = text(volunteer_pages.get("/me"))
    assert 'data-testid="pending"' not in home and "过期" not in home and 'data-testid="available">0<' in home


def test_the_public_board_lists_notices_masked_and_never_a_tips_text(app, pages, volunteer, organiser, community,
                                                                     rules, clock):
    member, phone = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    claim = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "幸福里3栋502 新租户未登记"},
                       expect=201).json
    organiser.post(f"/api/v1/claims/{claim['id']}/approve", {}, expect=200)
    board = pages().get(f"/notice?community_id={community['id']}")  # signed out
    page = text(board)
    assert board.status_code == 200 and "陈*龙" in page and "服管委员会" in page and "提供有效出租房线索" in page
    assert "+50" in page and "公示期满" in page and "幸福里" not in page and "陈元龙" not in page
    clock.advance(days=8)
    assert "目前没有正在公示的积分" in text(pages().get(f"/notice?community_id={community['id']}"))
    assert pages().get("/notice?community_id=999").status_code == 404
    assert pages().get("/notice").status_code == 404
