"""The page security headers in real headless Chromium: pages still work under the CSP, framing is refused."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.mark.parametrize("path", ["/", "/network", "/profile", "/scale/certainty/A"])
def test_page_works_under_its_content_security_policy(watch, page_server, path):
    response = watch.page.goto(page_server.url + path)
    assert response is not None and response.status == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    watch.page.wait_for_load_state("load")
    assert watch.page.locator("main h1").count() == 1
    watch.assert_clean()  # a CSP violation is a console error


def test_api_docs_render_under_their_policy(watch, page_server):
    response = watch.page.goto(page_server.url + "/docs")
    assert response is not None and response.status == 200
    # Swagger UI is started by the page's one inline script, allowed by its hash
    watch.page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    watch.assert_clean()


def test_pages_refuse_to_be_framed(watch, page_server):
    page = watch.page
    # a page of another origin (about:blank with inline HTML) that frames the evidence map
    page.set_content(f'<iframe id="f" src="{page_server.url}/"></iframe>')
    page.wait_for_timeout(1500)
    frame = page.frame_locator("#f")
    assert frame.locator("main h1").count() == 0
    assert any("frame-ancestors" in message for message in watch.console_errors)
