"""Every page read as a reader reads it: on a phone and a desktop, in light and dark mode.

No code on the page, no raw missing-value token, no column name as a header, no chart wider
than its column, no label cut short with an ellipsis (chart text included), and no table cut
off at the edge without a cue that it scrolls.
"""

from __future__ import annotations

import pytest

from .conftest import site_pages, wait_for_charts

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1366}
MODES = ("light", "dark")

# Each check returns what a reader would wrongly see, so a failure names it.
READING_CHECKS = """() => {
  const main = document.querySelector('main') || document.body;
  const seen = (e) => e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const missing = /\\b(NaN|NaT)\\b|<NA>/;
  const chartText = [...main.querySelectorAll('.report-chart svg text')].map((t) => t.textContent);
  return {
    code: [...main.querySelectorAll('.cell_input')].filter(seen).map((e) => e.textContent.trim().slice(0, 60)),
    missing: (main.innerText.match(new RegExp(missing.source, 'g')) || []).concat(chartText.filter((t) => missing.test(t))),
    snake_case_headers: [...main.querySelectorAll('th')].filter(seen).map((t) => t.textContent.trim())
      .filter((t) => /^[A-Za-z0-9]+(_[A-Za-z0-9]+)+$/.test(t)),
    wide_charts: [...main.querySelectorAll('.report-chart')].filter((chart) => {
      const drawn = chart.querySelector('svg, canvas');
      if (!drawn) return false;
      const box = drawn.getBoundingClientRect();
      return box.width > chart.parentElement.getBoundingClientRect().width + 1 || box.right > window.innerWidth + 1;
    }).map((chart) => chart.id),
    ellipsis_labels: chartText.filter((t) => /(…|\\.\\.\\.)\\s*$/.test(t)),
    cut_tables: [...main.querySelectorAll('table')].filter(seen).filter((table) => {
      const box = table.closest('.report-table-scroll, .chart-table-scroll');
      const width = table.getBoundingClientRect().width;
      if (!box) return table.getBoundingClientRect().right > window.innerWidth + 1 || width > main.clientWidth + 1;
      return width > box.clientWidth + 1 && box.getAttribute('data-scroll-cue') !== 'shown';
    }).map((table) => table.querySelector('caption')?.textContent ?? table.querySelector('th')?.textContent ?? ''),
  };
}"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
@pytest.mark.parametrize("page_path", site_pages())
def test_page_reads_like_a_publication(browser, site_url: str, page_path: str, width: int, mode: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
    page = context.new_page()
    page.goto(f"{site_url}/{page_path}", wait_until="load")
    wait_for_charts(page)
    # Charts settle their size once drawn and once fonts are in: measure after that.
    page.evaluate("() => document.fonts.ready.then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))")
    theme = page.evaluate("() => document.documentElement.dataset.theme")
    found = page.evaluate(READING_CHECKS)
    context.close()
    assert theme == mode
    assert {check: items for check, items in found.items() if items} == {}


def test_a_wide_table_on_a_phone_says_it_scrolls(browser, site_url: str) -> None:
    """The data inventory is wider than a phone: it scrolls inside its box, with the cue shown."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{site_url}/chapters/90-data-and-methods.html", wait_until="load")
    box = page.locator(".report-table-scroll").first
    cue = box.evaluate("b => [b.getAttribute('data-scroll-cue'), getComputedStyle(b, '::before').content]")
    fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
    assert cue == ["shown", '"Scroll sideways to see every column →"']
    assert fits, "the page itself must not scroll sideways"


def test_every_page_says_who_wrote_it_and_how_to_cite_it(browser, site_url: str) -> None:
    page = browser.new_page()
    missing = []
    for page_path in site_pages():
        page.goto(f"{site_url}/{page_path}", wait_until="load")
        text = page.locator(".report-citation").first.inner_text() if page.locator(".report-citation").count() else ""
        if "Written by The India–Russia Critical Minerals Report contributors" not in text or "Cite as:" not in text:
            missing.append(page_path)
    page.close()
    assert missing == []
