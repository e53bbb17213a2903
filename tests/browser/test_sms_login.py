"""短信验证码登录 in a real browser at a phone's size, with the development provider: the code is read
from the server's log, as a developer would."""
import json
import re

import pytest

from ..api.test_logs import written  # noqa: F401  (fixture)
from ..api.test_sms_sign_in import make_app
from .conftest import PHONE
from .test_pages import WAIT


@pytest.fixture
def app(database_url, clock, tmp_path):
    """The app with the development SMS provider: codes go to the log."""
    app = make_app(database_url, clock, tmp_path / "sms")
    yield app
    app.extensions["benniu"].engine.dispose()


def test_a_volunteer_signs_in_with_a_texted_code(live_server, browser, volunteer, written, shot):  # noqa: F811
    member, _ = volunteer
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{live_server}/login")
    sms = page.get_by_test_id("sms-login")
    sms.get_by_label("手机号").fill(member["phone"])
    sms.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送").wait_for(timeout=WAIT)
    code = next(line["code"] for line in map(json.loads, written.getvalue().splitlines())
                if line.get("event") == "sms_code")
    page.get_by_test_id("sms-login").get_by_label("验证码", exact=True).fill(code)
    shot(page, "1-code-typed")
    page.get_by_test_id("sms-login").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/me$"), timeout=WAIT)
    shot(page, "2-signed-in")
    page.context.close()
