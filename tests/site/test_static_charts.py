"""Charts are in the page as SVG: drawn with no script, sized to their container, readable in
dark mode; Vega loads only on chart pages and upgrades charts without moving them."""

from __future__ import annotations

import re

import pytest

from mineral_report.book.sphinx import BUNDLE_NAME, LOADER_NAME
from mineral_report.book.static_charts import NARROW_BREAK_PX

from ..conftest import SITE
from .conftest import chart_pages, site_pages

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
CHART_SCRIPTS = (BUNDLE_NAME, LOADER_NAME, "chart-specs/")

# For every chart: the shown variant, how many marks its SVG holds, its width and its container's.
_SHOWN = """() => [...document.querySelectorAll('.report-chart')].map((chart) => {
  const shown = [...chart.querySelectorAll('.chart-variant')].filter((v) => v.offsetParent !== null);
  const svg = shown.length === 1 ? shown[0].querySelector('svg.marks') : null;
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {
    id: chart.id,
    variants: shown.map((v) => v.className),
    marks: svg ? svg.querySelectorAll("g[class*='mark-'] path, g[class*='mark-'] text").length : 0,
    width: box.width, height: box.height, container: chart.clientWidth,
    title: svg ? (svg.querySelector('title')?.textContent ?? '') : '',
    described: svg ? (svg.querySelector('desc')?.textContent ?? '').length > 0 : false,
  };
})"""


def _open(browser, url: str, viewport: dict, javascript: bool = True, mode: str = "light"):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, color_scheme=mode)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    return context, page, requests


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
@pytest.mark.parametrize("page_path", chart_pages())
def test_every_chart_shows_its_svg_without_javascript(browser, site_url: str, page_path: str, viewport: dict) -> None:
    context, page, requests = _open(browser, f"{site_url}/{page_path}", viewport, javascript=False)
    charts = page.evaluate(_SHOWN)
    context.close()
    assert charts, f"{page_path} has no chart"
    for chart in charts:
        assert len(chart["variants"]) == 1, chart
        assert chart["marks"] > 0, chart
        assert chart["title"] and chart["described"], chart
        # Never wider than its container (a pixel of rounding allowed).
        assert 0 < chart["width"] <= chart["container"] + 1, chart
        narrow = chart["container"] < NARROW_BREAK_PX
        assert ("chart-wide" not in chart["variants"][0]) if narrow else ("chart-narrow" not in chart["variants"][0])
    assert not any(name in url for url in requests for name in CHART_SCRIPTS)


def test_on_a_phone_charts_keep_their_text_at_a_readable_size(browser, site_url: str) -> None:
    """The narrow variant is drawn for the phone: its text is not shrunk below 9 px."""
    for page_path in chart_pages():
        context, page, _ = _open(browser, f"{site_url}/{page_path}", PHONE, javascript=False)
        smallest = page.evaluate(
            "() => Math.min(...[...document.querySelectorAll('.report-chart .chart-variant')]"
            ".filter((v) => v.offsetParent !== null).flatMap((v) => [...v.querySelectorAll('svg text')])"
            ".filter((t) => t.textContent.trim()).map((t) => t.getBoundingClientRect().height))"
        )
        context.close()
        assert smallest >= 9, f"{page_path}: text {smallest:.1f} px high"


@pytest.mark.parametrize("page_path", [p for p in site_pages() if p not in chart_pages()])
def test_chart_free_pages_request_no_chart_script(browser, site_url: str, page_path: str) -> None:
    context, page, requests = _open(browser, f"{site_url}/{page_path}", DESKTOP)
    page.wait_for_timeout(500)
    context.close()
    assert [url for url in requests if any(name in url for name in CHART_SCRIPTS)] == []


@pytest.mark.parametrize("from_disk", [False, True], ids=["served", "opened-from-disk"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_charts_turn_interactive_in_place(browser, site_url: str, viewport: dict, from_disk: bool) -> None:
    """The first chart of the trade chapter is swapped for Vega's version at the same size,
    also on a page a reader opened from a downloaded copy of the site (file://)."""
    root = SITE.resolve().as_uri() if from_disk else site_url
    url = f"{root}/chapters/03-trade-flows.html"
    # The static chart is measured with scripts off: from disk, the upgrade can come before any
    # measurement with scripts on could.
    static_context, static_page, _ = _open(browser, url, viewport, javascript=False)
    before = static_page.evaluate(_SHOWN)[0]
    static_context.close()
    context, page, requests = _open(browser, url, viewport)
    # Charts turn interactive as they come into view.
    page.locator(".report-chart").first.scroll_into_view_if_needed()
    page.locator(".report-chart .chart-variant.is-live").first.wait_for(state="attached", timeout=15_000)
    after = page.evaluate(_SHOWN)[0]
    live = page.locator(".report-chart").first.locator(".is-live .vega-embed svg.marks").count()
    context.close()
    assert live == 1
    assert any(BUNDLE_NAME in url for url in requests)
    assert after["variants"] == [f"{name} is-live" for name in before["variants"]] and after["marks"] > 0
    assert abs(after["height"] - before["height"]) <= 0.03 * before["height"], (before, after)
    assert abs(after["width"] - before["width"]) <= 0.03 * before["width"], (before, after)


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("javascript", [False, True], ids=["static", "interactive"])
def test_dark_mode_draws_chart_text_light_on_the_dark_page(browser, site_url: str, javascript: bool) -> None:
    context, page, _ = _open(browser, f"{site_url}/chapters/02-reserves-production.html", DESKTOP, javascript, "dark")
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; document.documentElement.dataset.mode = 'dark'; }")
    if javascript:
        page.locator(".report-chart").first.scroll_into_view_if_needed()
        page.locator(".report-chart .chart-variant.is-live").first.wait_for(state="attached", timeout=15_000)
    colours = page.evaluate(
        "() => { const chart = document.querySelector('.report-chart');"
        " const svg = [...chart.querySelectorAll('.chart-variant')].find((v) => v.offsetParent !== null).querySelector('svg');"
        " const texts = [...svg.querySelectorAll('.role-axis-label text, .role-title-text text, .role-legend-label text')];"
        " let panel = chart; let background = 'rgba(0, 0, 0, 0)';"
        " while (panel && background === 'rgba(0, 0, 0, 0)') { background = getComputedStyle(panel).backgroundColor; panel = panel.parentElement; }"
        " return {background, fills: texts.map((t) => getComputedStyle(t).fill)}; }"
    )
    context.close()
    background = _luminance(colours["background"])
    assert background < 0.05, colours["background"]
    assert colours["fills"]
    for fill in colours["fills"]:
        contrast = (_luminance(fill) + 0.05) / (background + 0.05)
        assert contrast >= 4.5, f"chart text {fill} on {colours['background']}: {contrast:.1f}:1"


@pytest.mark.parametrize("page_path", chart_pages())
def test_csv_downloads_are_named_after_chapter_and_chart(page_path: str) -> None:
    text = (SITE / page_path).read_text(encoding="utf-8")
    names = re.findall(r'href="[^"]*_static/chart-data/([^"/]+\.csv)"', text)
    chapter = page_path.rsplit("/", 1)[-1].removesuffix(".html")
    assert len(names) >= text.count('<figure class="report-figure">')
    assert len(set(names)) == len(names)
    # "<chapter>--<words of the chart title>.csv", never a hash.
    assert all(re.fullmatch(rf"{re.escape(chapter)}--[a-z0-9]+(-[a-z0-9]+)*\.csv", name) for name in names), names
