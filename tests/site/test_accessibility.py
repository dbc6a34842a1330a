"""axe-core in headless Chromium: no serious or critical accessibility violations on any page."""

from __future__ import annotations

import pytest

from ..conftest import REPO
from .conftest import site_pages, wait_for_charts

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page_path", site_pages())
def test_no_serious_or_critical_violations(browser, site_url: str, page_path: str, mode: str) -> None:
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make test`, which installs it with npm ci")
    page = browser.new_page()
    page.goto(f"{site_url}/{page_path}", wait_until="load")
    # What the theme's colour-mode button sets.
    page.evaluate(f"() => {{ document.documentElement.dataset.mode = '{mode}'; document.documentElement.dataset.theme = '{mode}'; }}")
    wait_for_charts(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    page.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == [], f"{page_path} ({mode}): " + "; ".join(blocking)
