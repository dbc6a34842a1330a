"""Every page of the built book, opened in headless Chromium with no network but localhost."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from mineral_report.book.pdf import SIDE_MARGIN_MM

from .conftest import CHART_TIMEOUT_MS, chart_pages, site_pages, wait_for_charts

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
# The PDF's printable width: A4 (210 mm) less the side margins the PDF build sets, at 96 px/in.
A4_PRINTABLE = {"width": round((210 - 2 * SIDE_MARGIN_MM) / 25.4 * 96), "height": 1123}


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
    wait_for_charts(page)
    page.close()
    assert outside == [], f"{page_path} tried to reach outside localhost"
    assert errors == [], f"{page_path} logged errors"


@pytest.mark.parametrize("page_path", chart_pages())
def test_charts_fit_the_text_column_on_a_desktop_screen(browser, site_url: str, page_path: str) -> None:
    """A chart wider than the column hides its edge (a legend, a label) behind a scroll bar."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site_url}/{page_path}", wait_until="load")
    wait_for_charts(page)
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('.report-chart')]"
        ".filter((chart) => chart.scrollWidth > chart.clientWidth).map((chart) => chart.id)"
    )
    page.close()
    assert too_wide == []


@pytest.mark.parametrize("page_path", site_pages())
def test_printed_tables_and_charts_fit_the_page(browser, site_url: str, page_path: str) -> None:
    """Paper cannot scroll: a table, chart or line of code wider than the printed page is cut off."""
    page = browser.new_page(viewport=A4_PRINTABLE)
    page.emulate_media(media="print")
    page.goto(f"{site_url}/{page_path}", wait_until="load")
    wait_for_charts(page)
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('article table, .report-chart svg.marks')]"
        ".filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map((element) => element.closest('.report-chart')?.id ?? element.closest('section')?.id ?? 'page')"
    )
    cut_code = page.evaluate(
        "() => [...document.querySelectorAll('article pre')]"
        ".filter((block) => block.scrollWidth > block.clientWidth + 1).map((block) => block.textContent.slice(0, 60))"
    )
    page.close()
    assert too_wide == []
    assert cut_code == []


def test_the_methods_chapter_draws_a_chart(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/chapters/90-data-and-methods.html", wait_until="load")
    page.locator(".report-chart svg.marks").first.wait_for(timeout=CHART_TIMEOUT_MS)
    lines = page.locator(".report-chart g.mark-line path").count()
    page.close()
    assert lines >= 2, "expected one line per partner"


def test_header_icons_come_from_the_theme_font_without_its_icon_script(browser, site_url: str) -> None:
    """The theme's 1.5 MB FontAwesome script is left out; its stylesheet's font draws the icons."""
    page = browser.new_page()
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    page.goto(f"{site_url}/chapters/03-trade-flows.html", wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    icon = page.locator(".article-header-buttons .fa-download").first
    glyph = icon.evaluate("e => getComputedStyle(e, '::before').content")
    family = icon.evaluate("e => getComputedStyle(e).fontFamily")
    font_ready = page.evaluate("() => document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    width = icon.bounding_box()["width"]
    page.close()
    assert not any("fontawesome" in url for url in scripts)
    assert glyph not in ("none", "normal", '""') and "Font Awesome" in family
    assert font_ready and width > 8
