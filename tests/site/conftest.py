"""The built site served on 127.0.0.1, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mineral_report.book.pdf import CHROMIUM, CHROMIUM_FLAGS, serve

from ..conftest import SITE


def site_pages() -> list[str]:
    """Every HTML page of the built book, relative to the site root."""
    if not (SITE / "index.html").is_file():
        raise RuntimeError(f"no built site at {SITE}: run `make book` first")
    skipped = {"genindex.html", "search.html"}
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*.html")
        if not p.relative_to(SITE).parts[0].startswith("_") and p.name not in skipped
    )


# A chart counts as drawn when Vega has put at least one mark element into its SVG.
DRAWN_MARKS = "svg.marks g[class*='mark-'] path, svg.marks g[class*='mark-'] text"
CHART_TIMEOUT_MS = 15_000


def wait_for_charts(page) -> None:
    """Until every chart on the page has drawn its first mark."""
    charts = page.locator(".report-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(DRAWN_MARKS).first.wait_for(state="attached", timeout=CHART_TIMEOUT_MS)


def chart_pages() -> list[str]:
    """The pages that hold at least one chart."""
    return [page for page in site_pages() if "report-figure" in (SITE / page).read_text(encoding="utf-8")]


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("Debian's chromium is not installed: run `make test` (as root) or apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
