"""A real HTTP server on loopback and a real browser (Debian's Chromium driven by Playwright), at a phone's size."""
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..conftest import POSTGRES_URL

CHROMIUM = os.environ.get("BENNIU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "browser"
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}

playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (make install does)")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; make install does as root)",
                allow_module_level=True)
if POSTGRES_URL:
    pytest.skip("browser tests run on SQLite only (the pages use the same services either way)",
                allow_module_level=True)


@pytest.fixture
def live_server(app):
    """The app on a threaded HTTP server on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def driver():
    with playwright.sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(driver):
    chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def phone(browser):
    """A phone-sized browser page with a fresh profile."""
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def shot(request):
    """Save a screenshot of a step under test-artefacts/browser/<test>-<step>.png (for people to look at)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^a-z0-9_]+", "-", request.node.name.removeprefix("test_"))[:60]

    def take(page, step: str) -> Path:
        path = ARTEFACTS / f"{test}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take
