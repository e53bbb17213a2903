"""Tenant isolation on every console page: community A's organiser given community B's ids gets
the 403/404 page, never B's data. The table is the app's own URL map: a console page that takes
an id this file does not know fails here until it is added."""
import re
import secrets

import pytest
from sqlalchemy import select

from api.identity.accounts import StaffAccount

from ..api.test_access_matrix import world  # noqa: F401  (community B with one of everything)
from .test_console_imports import ROSTER, ROSTER_HEADER, upload, xlsx

# What only community B's pages would show.
B_ONLY = ("张三", "13912345678", "夜巡", "出租房", "保利理发", "保利 民警")


@pytest.fixture
def b_ids(app, world, staff, pages):  # noqa: F811
    ids = dict(world["b"])
    phone = staff("organiser", name="保利 民警", community_id=ids["community_id"])
    b_console = pages().sign_in(phone, "password1")
    uploaded = upload(b_console, ROSTER, xlsx([("张三丰", "13912345679", "保利 民警 巡逻队")], header=ROSTER_HEADER))
    ids["token"] = uploaded.location.rsplit("/", 1)[1]  # B's roster, waiting for B's confirmation
    with app.extensions["benniu"].sessionmaker() as session:
        ids["staff_id"] = session.scalar(select(StaffAccount.id).where(StaffAccount.phone == phone))
    ids["account_id"] = ids["staff_id"]
    ids["code"] = ids["rule_code"] = "b_only"  # a rule of B's alone, below
    world["clients"]["admin"].post("/api/v1/rules", {"code": "b_only", "name": "保利 民警 专项", "points": 5,
                                                     "basis": "per_event", "community_id": ids["community_id"]},
                                   expect=201)
    return ids


def console_urls(app, ids):
    """Every console URL that names something, filled with B's ids: (method, url)."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("console.") or not rule.arguments:
            continue
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            if hasattr(converter, "items"):  # any(csv, xlsx)
                values[name] = sorted(converter.items)[0]
            else:
                assert name in ids, f"{rule.rule}: add B's {name} to this test's table"
                values[name] = ids[name]
        url = rule.rule
        for name, value in values.items():
            url = re.sub(rf"<[^>]*\b{name}>", str(value), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_every_console_page_refuses_another_communitys_ids(app, console_pages, b_ids):
    urls = list(console_urls(app, b_ids))
    assert len(urls) >= 10  # the console's pages of one activity, member, claim, reward, partner, account...
    leaks = []
    for method, url in urls:
        if method == "GET":
            response = console_pages.get(url)
        else:
            response = console_pages.submit("/console", url, action_key=secrets.token_urlsafe(18))
        body = response.get_data(as_text=True)
        if response.status_code not in (403, 404) or any(text in body for text in B_ONLY):
            leaks.append((method, url, response.status_code))
    assert leaks == []


def test_an_admin_working_in_community_b_opens_the_same_pages(app, pages, staff, b_ids):
    admin = pages().sign_in(staff("admin"), "password1")
    admin.get(f"/console?community_id={b_ids['community_id']}")  # rule codes are the community's own
    pages_of_b = {url for method, url in console_urls(app, b_ids) if method == "GET"
                  and b_ids["token"] not in url  # an upload waits for the person who uploaded it alone
                  and "/photos/" not in url}  # a tip's photo is for staff who see tips (test_tip_readers)
    assert len(pages_of_b) >= 10
    assert {url: admin.get(url).status_code for url in pages_of_b} == {url: 200 for url in pages_of_b}


def test_the_activity_lists_show_none_of_another_communitys_activities(console_pages, world, b_ids):  # noqa: F811
    b_activity = world["clients"]["admin"].get(f"/api/v1/activities/{b_ids['activity_id']}").json
    month = b_activity["starts_at"][:7]
    views = ["/console/activities", f"/console/activities?month={month}",
             f"/console/activities?month={month}&after={b_ids['activity_id']}"]
    shown = {url: console_pages.get(url) for url in views}
    assert {url: response.status_code for url, response in shown.items()} == {url: 200 for url in views}
    assert [url for url, response in shown.items() if b_activity["title"] in response.get_data(as_text=True)] == []
