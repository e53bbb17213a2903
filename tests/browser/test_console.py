"""The organiser's console in a real browser at a desktop's size."""
from .test_counter import DESKTOP
from .test_pages import WAIT, sign_in


def test_today_at_a_glance_draws_its_chart_under_the_pages_csp(live_server, browser, staff, organiser, volunteer,
                                                              rules, shot):
    member, _ = volunteer
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol"}, expect=201)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, staff("organiser"), "password1", "/console")
    page.get_by_role("heading", name="今日概览").wait_for(timeout=WAIT)
    assert page.get_by_test_id("issued-month").inner_text() == "50"
    drawn = page.evaluate("""() => { const canvas = document.querySelector('canvas[data-chart]');
        return !!(window.Chart && window.Chart.getChart(canvas)); }""")
    shot(page, "today")
    context.close()
    assert drawn and errors == []
