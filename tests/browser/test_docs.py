"""/docs in a real browser that may reach nothing but this service: Swagger UI still renders."""
import os
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.skipif(bool(os.environ.get("BENNIU_TEST_DATABASE_URL")),
                                reason="browser tests run on SQLite only")


def test_docs_render_with_no_other_host_reachable(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    own, elsewhere = urlparse(live_server).netloc, []

    def only_this_service(route):
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_service)
    try:
        page.goto(live_server + "/docs")
        page.locator(".swagger-ui .info .title").get_by_text("Benniu").wait_for(timeout=15_000)
        page.get_by_text("/api/v1/awards").first.wait_for(timeout=15_000)
        assert page.locator(".swagger-ui .btn.authorize").count() == 1  # the bearer scheme is offered
    finally:
        context.close()
    assert elsewhere == []
