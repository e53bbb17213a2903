"""Pages through the test client: a browser-like client that keeps its cookie and fills forms' hidden fields."""
import re
from html import unescape

import pytest

HIDDEN = re.compile(r'<input type="hidden" name="(csrf_token|action_key|next|form_community_id)" value="([^"]*)"')


class PageClient:
    """One browser: a cookie jar, and forms sent with the hidden fields their page rendered."""

    def __init__(self, app):
        self.client = app.test_client()

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def hidden(self, page_path: str) -> dict:
        html = self.client.get(page_path).get_data(as_text=True)
        return {name: unescape(value) for name, value in HIDDEN.findall(html)}

    def submit(self, page_path: str, action: str | None = None, **fields):
        """Open `page_path`, then post its form (to `action`, default the page itself) with `fields`."""
        return self.client.post(action or page_path, data={**self.hidden(page_path), **fields})

    def sign_in(self, phone: str, password: str):
        response = self.submit("/login", phone=phone, password=password)
        assert response.status_code == 303, response.get_data(as_text=True)
        return self


@pytest.fixture
def pages(app):
    """A new, signed-out browser."""
    return lambda: PageClient(app)


@pytest.fixture
def volunteer_pages(pages, volunteer):
    member, _ = volunteer
    return pages().sign_in(member["phone"], "secret123")


@pytest.fixture
def console_pages(pages, staff):
    """The console of the community's organiser, signed in."""
    return pages().sign_in(staff("organiser", name="罗塘派出所 民警"), "password1")


@pytest.fixture
def police_pages(pages, staff):
    """The console of an organiser who reads tips (police: `sees_tips`)."""
    return pages().sign_in(staff("organiser", name="罗塘派出所 民警", sees_tips=True), "password1")


@pytest.fixture
def other_community(admin, app, clock):
    """A second community (B) with its own organiser token, for tenant isolation."""
    from .. import conftest
    made = admin.post("/api/v1/communities", {"name": "幸福里社区", "code": "xingfuli"}, expect=201).json
    from ..helpers import Client
    return made, Client(app, conftest._token(app, clock, role="organiser", name="幸福里 网格员",
                                             community_id=made["id"]))
