"""Text that looks like markup, in every field that reaches a page, stays text.

A small book is built with the book's own extension: a chapter whose table and chart carry
``<!--``, ``<script``, ``</script>``, ``]]>`` and U+2028 in titles, descriptions, sources, data
and tooltips. The built page must keep all its headings, tables and charts, static and
interactive, show the payload as text, and log no error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mineral_report.book.pdf import serve

from ..conftest import REPO

pytestmark = pytest.mark.browser

PAYLOAD = "a</script><!--<script>alert(1)</script>]]>\u2028b & c > d"

CONFIG = """title: Hostile text
author: Tests
only_build_toc_files: true
execute:
  execute_notebooks: force
  allow_errors: false
launch_buttons:
  thebe: false
sphinx:
  extra_extensions:
    - mineral_report.book.sphinx
  config:
    suppress_warnings: ["mystnb.unknown_mime_type"]
"""

SETUP = """import altair as alt
import pandas as pd
from IPython.display import HTML, display
from mineral_report.charts.layout import Citation, finish
from mineral_report.notebook import setup
setup()
PAYLOAD = {payload}
frame = pd.DataFrame({{"label": [PAYLOAD, "plain " + PAYLOAD], "value": [1, 2]}})"""

TABLE = "display(HTML(frame.to_html(index=False)))"

CHART = """chart = alt.Chart(frame).mark_bar().encode(
    x="value:Q", y=alt.Y("label:N", title=PAYLOAD),
    tooltip=[alt.Tooltip("label:N", title=PAYLOAD), "value:Q"])
finish(chart, title=PAYLOAD, subtitle=PAYLOAD, description=PAYLOAD,
       source=Citation(source=PAYLOAD, licence=PAYLOAD))"""


def _cell(kind: str, source: str) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _notebook() -> dict:
    cells = [
        _cell("markdown", "# Hostile text\n\nA chapter whose data look like markup."),
        _cell("code", SETUP.format(payload=json.dumps(PAYLOAD))),
        _cell("markdown", "## The table"),
        _cell("code", TABLE),
        _cell("markdown", "## The chart"),
        _cell("code", CHART),
        _cell("markdown", "## After the chart\n\nThis section and its table must survive."),
        _cell("code", TABLE),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    book = tmp_path_factory.mktemp("hostile-book")
    (book / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: hostile\n", encoding="utf-8")
    (book / "index.md").write_text("# Hostile text book\n\nOne chapter.\n", encoding="utf-8")
    (book / "hostile.ipynb").write_text(json.dumps(_notebook()), encoding="utf-8")
    # The report's data name the minerals whose profiles a chart links to.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
           "MINERAL_REPORT_DATA": str(REPO / "data")}
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run([str(jupyter_book), "build", str(book), "-W", "-n", "--keep-going"],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return book / "_build" / "html"


def test_markup_in_data_stays_text_on_the_page(browser, hostile_site: Path) -> None:
    html = (hostile_site / "hostile.html").read_text(encoding="utf-8")
    assert "<!--<script>alert" not in html and "</script><!--" not in html
    assert "\u2028" not in html.split('<div class="report-chart"', 1)[1].split("</figure>", 1)[0]
    with serve(hostile_site) as url:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.goto(f"{url}/hostile.html", wait_until="load")
        chart = page.locator(".report-chart")
        chart.first.scroll_into_view_if_needed()
        page.locator(".report-chart .chart-variant.is-live").first.wait_for(state="attached", timeout=15_000)
        headings = page.locator("article h1, article h2").all_inner_texts()
        tables = page.locator("article table:not(.chart-table)").count()
        charts = chart.count()
        live_marks = page.locator(".report-chart .is-live svg.marks g[class*='mark-'] path").count()
        text = page.locator("article").inner_text()
        page.close()
    assert errors == []
    assert [h.strip() for h in headings] == ["Hostile text", "The table", "The chart", "After the chart"]
    assert tables == 2 and charts == 1 and live_marks >= 2
    assert "<!--<script>alert(1)</script>]]>" in text
