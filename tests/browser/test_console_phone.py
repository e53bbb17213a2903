"""The organiser's console on a phone (community police and grid staff open it there as often as at a desk):
every page fits the screen's width, the menu stays a short strip, the controls are big enough for a thumb;
at a desk the same pages keep their menu on the left."""
import pytest

from .conftest import PHONE
from .test_counter import DESKTOP
from .test_pages import WAIT, no_sideways_scroll, patrol_for, sign_in

# Every element that reaches past the screen's right edge without a box that scrolls sideways around it
# (a page-level check alone would pass a page that hides what sticks out with overflow: hidden).
STICKING_OUT = """(() => {
  const width = document.documentElement.clientWidth;
  const scrolled = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.right > width + 1 || r.left < -1); })
    .filter((e) => !scrolled(e));
  return out.filter((e) => !out.some((inner) => inner !== e && e.contains(inner)))  // the innermost culprits
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${(e.textContent || '').trim().slice(0, 20)}`);
})()"""
# Buttons, button-like links, fields, the menu's links and the links in tables lower than 44 px (checkboxes go by
# their labels).
SMALL_CONTROLS = """[...document.querySelectorAll(
    'button, .button, summary, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
    + 'nav a, label.check, td a')]
  .filter((e) => e.offsetParent !== null && e.getClientRects().length)
  .map((e) => [(e.textContent || e.name || e.id).trim().slice(0, 20), Math.round(e.getBoundingClientRect().height)])
  .filter(([, height]) => height < 44)"""
# Text of the page's own content (tables, figures, hints) smaller than 16 px; what is visually hidden is left out.
SMALL_TEXT = """[...document.querySelectorAll('.console-body *')]
  .filter((e) => e.getClientRects().length && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .filter((e) => !e.closest('.visually-hidden'))
  .map((e) => [e.tagName.toLowerCase() + '.' + e.className, parseFloat(getComputedStyle(e).fontSize)])
  .filter(([, size]) => size < 16)"""

# Table cells whose text wraps at fewer than three characters a line (Chinese breaks between any two characters,
# so a table made to fit the screen stacks its columns a character a line rather than overflow).
SQUEEZED = """[...document.querySelectorAll('.console-body td, .console-body th')]
  .filter((c) => c.getClientRects().length && !c.querySelector('input, button, select, details'))
  .filter((c) => {
    const texts = document.createTreeWalker(c, NodeFilter.SHOW_TEXT), bottoms = new Set();
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      [...range.getClientRects()].filter((r) => r.width > 0).forEach((r) => bottoms.add(Math.round(r.bottom)));
    }
    const lines = bottoms.size;
    return lines > 1 && c.textContent.trim().replace(/\\s+/g, ' ').length / lines < 3;
  })
  .map((c) => c.textContent.trim().slice(0, 20))"""
# Whether the menu's link to this page (when the page has one) is on the screen.
CURRENT_SHOWN = """(() => {
  const here = document.querySelector('nav.console-nav [aria-current]');
  if (!here) return true;
  const r = here.getBoundingClientRect();
  return r.left >= 0 && r.right <= document.documentElement.clientWidth;
})()"""


def console_pages(organiser, volunteer, community, rules, shop, clock, staff):
    """Seed a little of everything (an award on notice, a tip waiting, a check-in, a voucher, a clerk) and
    name the console's pages to visit."""
    member, member_phone = volunteer
    organiser.put("/api/v1/rules/rental_tip", {"notice_days": 7})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "rental_tip"}, expect=201)
    award = organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours", "points": 300,
                                              "memo": "三月份巡逻服务时间补记，纸质积分簿第十二页"}, expect=201).json
    member_phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3栋502 新租户，未登记"},
                      expect=201)
    activity = patrol_for(organiser, community, clock, capacity=30)
    member_phone.post("/api/v1/checkins", {"code": activity["checkin_url"]}, expect=201)
    voucher = member_phone.post("/api/v1/redemptions", {"reward_id": shop["haircut"]["id"]}, expect=201).json
    staff("partner", name="老街理发店 店员", partner_id=shop["barber"]["id"])
    return ("/console", "/console/members", f"/console/members/{member['id']}", "/console/activities",
            "/console/activities/new", f"/console/activities/{activity['id']}", "/console/claims",
            "/console/reports", "/console/rewards", f"/console/rewards/{shop['fee']['id']}", "/console/partners",
            f"/console/partners/{shop['barber']['id']}", "/console/vouchers", "/console/audit", "/console/rules",
            "/console/rules/patrol", "/console/staff", "/console/awards/batch", "/console/applications",
            # and the pages one step further in
            f"/console/members/{member['id']}/entries/{award['transfer_id']}/reverse",
            f"/console/members/{member['id']}/card", "/console/members/import", "/console/members/activation",
            f"/console/activities/{activity['id']}/edit", f"/console/activities/{activity['id']}/offline",
            f"/console/activities?month={clock.now():%Y-%m}", "/console/rules/new", "/console/rules/patrol/edit",
            "/console/rules/patrol/retire", "/console/rewards/new?kind=goods", f"/console/vouchers/{voucher['id']}",
            f"/console/partners/{shop['barber']['id']}/edit", "/console/levels", "/console/tokens")


def phone_problems(page) -> dict:
    """What is wrong with the page open at the phones' size (nothing when it is fine)."""
    menus = page.locator("nav.console-nav")  # the offline check-in page and a member's card have none
    menu = menus.bounding_box() if menus.count() else {"height": 0}
    # A phone widens its layout to a page too wide for it, so innerWidth alone is no measure here.
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    found = {"page wider than the screen": max(widths) > PHONE["viewport"]["width"] and widths,
             "sticking out": page.evaluate(STICKING_OUT),
             "table columns squeezed": page.evaluate(SQUEEZED),
             "controls under 44 px": page.evaluate(SMALL_CONTROLS),
             "text under 16 px": page.evaluate(SMALL_TEXT),
             "menu taller than 1/5 of the screen": menu["height"] > PHONE["viewport"]["height"] / 5,
             "menu hides this page's section": not page.evaluate(CURRENT_SHOWN)}
    return {what: it for what, it in found.items() if it}


def walk(page, server, paths, shot) -> dict:
    """Open each page, keep a screenshot, and collect what is wrong, page by page."""
    problems = {}
    for n, path in enumerate(paths):
        page.goto(server + path)
        page.locator("h1").first.wait_for(timeout=WAIT)
        shot(page, f"{n:02d}-{path.strip('/').replace('/', '-').replace('?', '-')}")
        if found := phone_problems(page):
            problems[path] = found
    return problems


def test_every_console_page_fits_a_phone_with_a_short_menu_big_controls_and_readable_text(
        live_server, browser, staff, organiser, volunteer, community, rules, shop, clock, shot):
    paths = console_pages(organiser, volunteer, community, rules, shop, clock, staff)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, staff("organiser"), "password1", "/console")
        problems = walk(page, live_server, paths, shot)
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_an_admins_community_picker_fits_a_phone_too(live_server, browser, staff, admin, community, organiser,
                                                    rules, shot):
    admin.post("/api/v1/communities", {"name": "罗塘社区", "code": "luotang"})
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, staff("admin", name="市局 管理员"), "password1", "/console")
        problems = walk(page, live_server, ("/console", "/console/rules", "/console/staff"), shot)
        picker = page.get_by_label("社区", exact=True)
        picker.select_option(label="振宇社区")
        page.wait_for_url("**/console/staff?community_id=*")
        problems.update(walk(page, live_server, ("/console/staff?community_id=%d" % community["id"],), shot))
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())


@pytest.mark.parametrize("path", ["/console", "/console/members", "/console/reports"])
def test_at_a_desk_the_console_keeps_its_menu_on_the_left(live_server, browser, staff, organiser, volunteer,
                                                          community, rules, shot, path):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, live_server, staff("organiser"), "password1", path)
        page.locator("h1").first.wait_for(timeout=WAIT)
        no_sideways_scroll(page)
        menu, body = page.locator("nav.console-nav").bounding_box(), page.locator(".console-body").bounding_box()
        shot(page, path.strip("/").replace("/", "-"))
    finally:
        context.close()
    assert menu["x"] + menu["width"] <= body["x"]  # a column beside the page, not a strip above it
