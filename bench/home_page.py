"""The volunteer's home page over the wire on first load (cold cache): HTML, CSS, JS and headers.

Starts `benniu serve` on a demo database, signs a demo volunteer in, then opens /me in a fresh
Chromium profile carrying only the session cookie, and adds up what Chromium received for every
request of that navigation (headers + bodies, as the network saw them). The budget is 60 KB.

    python -m bench.home_page
"""
import gzip
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

BUDGET = 60 * 1024
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(workdir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "BENNIU_INSTANCE_PATH": str(workdir), "BENNIU_RATELIMIT_ENABLED": "false",
           "BENNIU_DATABASE_URL": f"sqlite:///{workdir / 'home.db'}"}
    subprocess.run([BIN / "benniu", "init", "--demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([BIN / "benniu", "serve", "--port", str(port), "--workers", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def session_cookie(base: str, phone: str = "13800000001", password: str = "benniu2024") -> str:
    """Sign in through the login form (the demo volunteer unless told); the session cookie's value."""
    import re

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    opener.open(base + "/login", data=urlencode({"csrf_token": token, "phone": phone, "password": password}).encode())
    return next(cookie.value for cookie in jar if cookie.name == "benniu_session")


def measure(base: str, cookie: str) -> list[tuple[str, int]]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        context = browser.new_context(**PHONE)
        context.add_cookies([{"name": "benniu_session", "value": cookie, "url": base}])
        page = context.new_page()
        requests = []
        page.on("requestfinished", lambda request: requests.append(request))
        page.goto(base + "/me", wait_until="networkidle")
        assert page.get_by_test_id("available").is_visible()
        rows = []
        for request in requests:
            sizes = request.sizes()
            rows.append((request.url.removeprefix(base), sizes["responseHeadersSize"] + sizes["responseBodySize"]))
        browser.close()
    return rows


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="benniu-home-"))
    port = free_port()
    server = start_server(workdir, port)
    try:
        base = f"http://127.0.0.1:{port}"
        rows = measure(base, session_cookie(base))
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(size for _, size in rows)
    for url, size in rows:
        print(f"{size:>8,} B  {url}")
    print(f"{total:>8,} B  total on first load of /me ({total / 1024:.1f} KB; budget {BUDGET // 1024} KB)")
    decoder = (ROOT / "api" / "static" / "vendor" / "jsqr" / "jsQR.js").read_bytes()
    print(f"camera decoder (loaded only when the camera opens without BarcodeDetector): {len(decoder):,} B, "
          f"{len(gzip.compress(decoder)):,} B gzipped")
    if total > BUDGET:
        raise SystemExit("over budget")


if __name__ == "__main__":
    main()
