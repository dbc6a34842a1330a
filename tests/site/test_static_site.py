"""Checks on the built HTML that need no browser: budgets, offline assets, links, chart extras."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from mineral_report.book.page_figures import built_chart_specs, is_geometry
from mineral_report.errata import working_note_phrases

from ..conftest import SITE
from .conftest import chart_pages, site_pages

# Budgets a reader's connection pays per page, stated here so a change that breaks them fails.
PAGE_BUDGET_BYTES = 1_500_000  # the page's own HTML with its inline chart data
MAP_GEOMETRY_BUDGET_BYTES = 200_000  # one map's inline geometry
_CSS_URL = re.compile(r"url\(\s*['\"]?(https?:)?//", re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in {"script", "img", "iframe"} and values.get("src"):
            self.assets.append((tag, values["src"] or ""))
        if tag == "link" and values.get("href"):
            self.assets.append((tag, values["href"] or ""))


class _TableCells(HTMLParser):
    """The text of every table cell on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"td", "th"}:
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"}:
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cells[-1] += data


def _parse(page: Path) -> _Collector:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8"))
    return collector


def _specs(page: Path) -> list[dict]:
    return built_chart_specs(page)


PAGES = site_pages()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_fits_its_budget(page_path: str) -> None:
    assert (SITE / page_path).stat().st_size <= PAGE_BUDGET_BYTES


@pytest.mark.parametrize("page_path", PAGES)
def test_map_geometry_fits_its_budget(page_path: str) -> None:
    for spec in _specs(SITE / page_path):
        for records in spec.get("datasets", {}).values():
            if is_geometry(records):
                assert len(json.dumps(records, separators=(",", ":"))) <= MAP_GEOMETRY_BUDGET_BYTES


@pytest.mark.parametrize("page_path", PAGES)
def test_no_external_scripts_styles_or_fonts(page_path: str) -> None:
    external = [(tag, url) for tag, url in _parse(SITE / page_path).assets if urlparse(url).netloc]
    assert external == []


def _reader_text(page: Path) -> str:
    """What a reader can read on a page, hidden parts included: no scripts, styles or code."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for element in soup.select("script, style, .cell_input"):
        element.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize("page_path", PAGES)
def test_no_page_shows_the_compilers_working_notes(page_path: str) -> None:
    text = _reader_text(SITE / page_path).lower()
    assert [phrase for phrase in working_note_phrases() if phrase in text] == []


SEARCH_SCRIPTS = ("searchindex.js", "searchtools.js", "language_data.js")


@pytest.mark.parametrize("page_path", PAGES)
def test_only_the_search_page_loads_the_search_index(page_path: str) -> None:
    """The search box opens the search page: no other page pays for the index."""
    scripts = [url for tag, url in _parse(SITE / page_path).assets if tag == "script"]
    assert [url for url in scripts if url.rsplit("/", 1)[-1] in SEARCH_SCRIPTS] == []
    searching = [url for tag, url in _parse(SITE / "search.html").assets if tag == "script"]
    assert {url.rsplit("/", 1)[-1] for url in searching} >= set(SEARCH_SCRIPTS)


@pytest.mark.parametrize("page_path", PAGES)
def test_a_page_without_design_components_loads_no_design_assets(page_path: str) -> None:
    page = SITE / page_path
    if 'class="sd-' in page.read_text(encoding="utf-8"):
        pytest.skip("the page uses sphinx-design components")
    assets = [url.rsplit("/", 1)[-1].split("?")[0] for _, url in _parse(page).assets]
    assert [name for name in assets if "sphinx-design" in name or "design-tabs" in name] == []


def test_stylesheets_load_nothing_from_outside() -> None:
    offenders = [str(css.relative_to(SITE)) for css in SITE.rglob("*.css") if _CSS_URL.search(css.read_text(errors="ignore"))]
    assert offenders == []


@pytest.mark.parametrize("page_path", PAGES)
def test_internal_links_and_anchors_resolve(page_path: str) -> None:
    page = SITE / page_path
    broken = []
    for href in _parse(page).links:
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or href.startswith(("mailto:", "javascript:")):
            continue
        target = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(href)
        elif parsed.fragment and target.suffix == ".html" and parsed.fragment not in _parse(target).ids:
            broken.append(href)
    assert broken == []


@pytest.mark.parametrize("page_path", chart_pages())
def test_every_chart_carries_source_description_data_and_code_link(page_path: str) -> None:
    text = (SITE / page_path).read_text(encoding="utf-8")
    figures = text.count('<figure class="report-figure">')
    assert text.count('class="chart-source">Source: ') == figures
    assert text.count('Download the data (CSV)') == figures
    assert text.count('Code cell that made this chart') == figures
    assert text.count('<summary>Data table for this chart</summary>') == figures
    assert all(spec.get("description") for spec in _specs(SITE / page_path))


@pytest.mark.parametrize("page_path", PAGES)
def test_no_table_cell_is_cut_short(page_path: str) -> None:
    cells = _TableCells()
    cells.feed((SITE / page_path).read_text(encoding="utf-8"))
    assert [cell for cell in cells.cells if cell.strip().endswith("...")] == []
