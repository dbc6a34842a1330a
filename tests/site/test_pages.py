"""Every page of the built book, opened in headless Chromium with no network but localhost."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import site_pages

pytestmark = pytest.mark.browser

# A chart counts as drawn when Vega has put at least one mark element into its SVG.
DRAWN_MARKS = "svg.marks g[class*='mark-'] path, svg.marks g[class*='mark-'] text"
CHART_TIMEOUT_MS = 15_000


@pytest.mark.parametrize("page_path", site_pages())
def test_page_renders_offline_without_errors(browser, site_url: str, page_path: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)

    def only_localhost(route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_localhost)
    page.goto(f"{site_url}/{page_path}", wait_until="load")
    charts = page.locator(".report-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(DRAWN_MARKS).first.wait_for(state="attached", timeout=CHART_TIMEOUT_MS)
    page.close()
    assert outside == [], f"{page_path} tried to reach outside localhost"
    assert errors == [], f"{page_path} logged errors"


def test_the_methods_chapter_draws_a_chart(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/chapters/90-data-and-methods.html", wait_until="load")
    page.locator(".report-chart svg.marks").first.wait_for(timeout=CHART_TIMEOUT_MS)
    lines = page.locator(".report-chart g.mark-line path").count()
    page.close()
    assert lines >= 2, "expected one line per partner"
