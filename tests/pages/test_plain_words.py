"""Nothing English where people look: a walk through every page each kind of person can reach (following the pages'
own links from a lived-in community) and every download finds no English word, no role code (`organiser:`) and no
whole phone of a staff member; and the walk rendered every template."""
import csv
import io
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import openpyxl
from flask import template_rendered

from api.acts.exports import SHEETS

from .test_volunteer_pages import activity

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
# Words people use as they are in Chinese offices.
ALLOWED = {"Excel", "CSV", "WPS", "PDF", "QR", "Wi", "Fi", "kg", "xlsx", "csv"}
ENGLISH = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
ROLE_CODES = re.compile(r"\b(organiser|partner|admin|volunteer|system):")
SKIPPED = ("/static/", "/logout", "/api/", "/openapi", "/docs")
DOWNLOADS = (".xlsx", ".csv")
# Where organisers manage staff and sign-ins: a clerk's phone is how they are told apart there.
STAFF_PAGES = ("/console/staff", "/console/partners", "/console/tokens")
# Templates a signed-in walk cannot reach by following links, each checked by the test named beside it.
UNREACHED = {
    "volunteer/checkin.html": "test_venue_pages (the page a scanned poster opens)",
    "venue/screen.html": "test_venue_pages (the venue's screen, opened from its own link)",
    "console/activation_slips.html": "test_getting_in_pages (the slips a form's POST prints)",
    "site/activate.html": "test_getting_in_pages (the page a printed slip's code opens)",
    "console/activity_cancel.html": "test_correction_pages (a cancellation refused, said on its own page)",
    "site/verify.html": "test_messages_pages (the page a certificate's QR opens)",
}


def words_in(text: str) -> list[str]:
    """English words and role codes a person would read in `text`."""
    found = [word for word in ENGLISH.findall(text) if len(word) > 1 and word not in ALLOWED]
    return found + ROLE_CODES.findall(text)


def visible(html: str) -> str:
    """What a page shows: its text, titles and placeholders, without markup, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    shown = re.findall(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"', html)
    return unescape(" ".join([re.sub(r"<[^>]+>", " ", html), *shown]))


def lived_in(app, clock, organiser, community, rules, shop, volunteer, staff, pages):
    """A community with a bit of everything: check-ins, awards, one on notice, a reviewed tip, vouchers fulfilled
    by a clerk and by an organiser; returns the people's browsers."""
    member, phone = volunteer
    organiser.post("/api/v1/rules", {"code": "brave", "name": "见义勇为", "points": 100, "basis": "per_event",
                                     "notice_days": 7}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "brave"}, expect=201)
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol", "memo": "第二次"}, expect=201)
    organiser.post("/api/v1/rules", {"code": "gift", "name": "赠送", "points": 1, "basis": "per_event"})
    organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "gift", "points": 2000}, expect=201)
    made, link = activity(organiser, community, clock)
    checkin = phone.post("/api/v1/checkins", {"code": made["checkin_url"]}, expect=201).json
    tip = phone.post("/api/v1/claims", {"rule_code": "rental_tip", "description": "3栋有群租"}, expect=201).json
    organiser.post(f"/api/v1/claims/{tip['id']}/approve", {}, expect=200)
    clerk_phone = staff("partner", name="王芳", partner_id=shop["barber"]["id"])
    clerk = pages().sign_in(clerk_phone, "password1")
    desk = pages().sign_in(staff("organiser", name="刘明"), "password1")
    for browser, reward in ((clerk, "haircut"), (desk, "rice")):
        voucher = phone.post("/api/v1/redemptions", {"reward_id": shop[reward]["id"]}, expect=201).json
        path = f"/counter/voucher?code={voucher['voucher_code']}"
        browser.client.post("/counter/fulfil", data={**browser.hidden(path), "code": voucher["voucher_code"]})
    phone.post("/api/v1/redemptions", {"reward_id": shop["fee"]["id"], "points": 100, "household": "3栋502"},
               expect=201)
    admin = pages().sign_in(staff("admin", name="市局 管理员"), "password1")
    return {"volunteer": pages().sign_in(member["phone"], "secret123"), "organiser": desk, "clerk": clerk,
            "admin": admin, "public": pages()}, clerk_phone, checkin["id"]


def walk(browser, starts, limit=400):
    """Every page reachable from `starts` by the pages' own links: {path: html}, and the downloads linked."""
    seen, pages, downloads, queue = set(), {}, set(), list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        answer = browser.get(path)
        if answer.status_code in (301, 302, 303):
            queue.append(answer.location)
            continue
        if answer.mimetype != "text/html":
            continue
        html = answer.get_data(as_text=True)
        pages[path] = html
        for link in re.findall(r'href="(/[^"#]*)"', html):
            link = unescape(link)
            if link.startswith(SKIPPED) or "lang=" in link or "month=" in link:  # months run on without end
                continue
            if urlsplit(link).path.endswith(DOWNLOADS):
                downloads.add(link)
            else:
                queue.append(link)
    return pages, downloads


def by_word(problems: dict) -> str:
    """Each offending word once, with how many places show it and the first of them."""
    places: dict[str, list[str]] = {}
    for place, words in problems.items():
        for word in words:
            places.setdefault(word, []).append(place)
    return "\n".join(f"{word!r}: {len(where)} places, e.g. {sorted(where)[:12]}" for word, where in sorted(places.items()))


def cells_of(answer) -> list[str]:
    """The download's name (without its .xlsx or .csv), sheet titles and every text cell."""
    name = unquote(answer.headers.get("Content-Disposition", ""))
    name = name.split("filename*=UTF-8''", 1)[-1] if "filename*=" in name else name
    name = re.sub(r"\.(xlsx|csv)$", "", name)
    if answer.mimetype == "text/csv":
        return [name, *(cell for row in csv.reader(io.StringIO(answer.get_data(as_text=True))) for cell in row)]
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    return [name, *book.sheetnames, *(str(cell) for sheet in book.worksheets
                                      for row in sheet.iter_rows(values_only=True) for cell in row
                                      if isinstance(cell, str))]


def allowed_here(who: str, path: str, codes: set[str]) -> set[str]:
    """What a page may show besides Chinese: the rules' codes where a rule's 代码 is shown (the rules pages, and
    the batch-award page that says which codes a sheet may use); staff's phones where staff are managed."""
    words = {part for code in codes for part in code.split("_")} if path.startswith(
        ("/console/rules", "/console/awards/batch")) else set()
    return words


def test_no_page_and_no_download_shows_english_a_role_code_or_a_clerks_phone(
        app, clock, organiser, community, rules, shop, volunteer, staff, pages):
    browsers, clerk_phone, checkin_id = lived_in(app, clock, organiser, community, rules, shop, volunteer, staff, pages)
    codes = {rule["code"] for rule in organiser.get("/api/v1/rules").json["items"]}
    rendered = set()

    def seen(sender, template, context, **extra):
        rendered.add(template.name)
    template_rendered.connect(seen, app, weak=False)
    month = f"{clock.now():%Y-%m}"
    starts = {"volunteer": ["/me", "/shop", "/me/vouchers", "/me/claims", "/me/claims/new", "/scan", "/password",
                            f"/me/checkins/{checkin_id}"],
              "organiser": ["/console", "/console/members", "/console/claims?status=all", "/console/vouchers",
                            f"/console/activities?month={month}", "/counter", f"/counter/settlement?month={month}"],
              "clerk": ["/counter", "/counter/settlement"],
              "admin": ["/console", "/console/staff", "/console/partners"],
              "public": ["/login", f"/notice/{community['id']}", f"/join/{community['code']}", "/nowhere"]}
    problems, downloads = {}, {}
    for who, browser in browsers.items():
        found, linked = walk(browser, starts[who])
        downloads.update({link: (browser.get, link, {}) for link in linked})
        for path, html in found.items():
            text = visible(html)
            phone_shown = clerk_phone in text and not path.startswith(STAFF_PAGES)
            bad = [word for word in words_in(text) if word not in allowed_here(who, path, codes)] + (
                [clerk_phone] if phone_shown else [])
            if bad:
                at = text.find(bad[0])
                problems[f"{who} {path} «{' '.join(text[max(at - 30, 0):at + 30].split())}»"] = sorted(set(bad))
    exports = [f"/api/v1/exports/{what}" for what in SHEETS]
    for path in exports:
        for kind in ("xlsx", "csv"):
            downloads[f"{path}?format={kind}"] = (organiser.get, path, {"format": kind})
    assert len(downloads) >= len(exports) * 2 + 4  # the console's and the counter's downloads were found too
    for path, (get, address, query) in downloads.items():
        answer = get(address, **query)
        assert answer.status_code == 200, path
        bad = [word for cell in cells_of(answer) for word in words_in(cell)] + (
            [clerk_phone] if any(clerk_phone in cell for cell in cells_of(answer)) else [])
        if bad:
            problems[f"download {path}"] = sorted(set(bad))
    assert problems == {}, by_word(problems)
    templates = {str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")}
    pages_templates = {name for name in templates if not Path(name).name.startswith("_") and not name.endswith(
        "base.html")}
    missed = sorted(pages_templates - rendered - set(UNREACHED))
    assert missed == [], missed
