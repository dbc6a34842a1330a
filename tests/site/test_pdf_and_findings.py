"""The downloadable PDF holds every page and chart; the landing page's numbers match the data."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader

import mineral_report as report
from mineral_report.book.page_figures import built_chart_specs
from mineral_report.book.pdf import PDF_NAME, book_order
from mineral_report.reserves import concentration_table, revisions
from mineral_report.trade import latest_final_year, partner_table

from ..conftest import REPO, SITE



@pytest.fixture(scope="module")
def pdf_text() -> tuple[int, str]:
    reader = PdfReader(SITE / PDF_NAME)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), _plain(text)


def _plain(text: str) -> str:
    """Undo typesetting (ligatures such as ﬁ, curly apostrophes) and collapse white space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("\u2019", "'"))


def _chart_titles() -> list[str]:
    titles = []
    for page in book_order(REPO / "_toc.yml"):
        for spec in built_chart_specs(SITE / page):
            title = spec["title"]
            titles.append(title["text"] if isinstance(title, dict) else title)
    return titles


def test_pdf_has_a_page_or_more_per_chapter(pdf_text) -> None:
    pages, _ = pdf_text
    assert pages >= len(book_order(REPO / "_toc.yml")) * 2


def test_pdf_holds_every_chart(pdf_text) -> None:
    _, text = pdf_text
    titles = _chart_titles()
    assert len(titles) >= 15
    # Chart titles are drawn as SVG text, so each appears in the PDF only if its chart was drawn.
    missing = [t for t in titles if _plain(t)[:40] not in text]
    assert missing == []


def test_landing_page_links_the_pdf() -> None:
    assert f'href="{PDF_NAME}"' in (SITE / "index.html").read_text(encoding="utf-8")


def _pasted(html: str) -> list[str]:
    return re.findall(r'<span class="pasted-text">([^<]*)</span>', html)


def test_key_findings_equal_the_chapters_values() -> None:
    values = _pasted((SITE / "index.html").read_text(encoding="utf-8"))
    trade = report.load("india-trade-by-partner")
    imports = partner_table(trade, "imports_usd_mn")
    latest = latest_final_year(trade)
    usgs = report.load_all_vintages("usgs-mcs-world")
    russia_ree = revisions(usgs, "rare-earths").query("country_iso3 == 'RUS'").set_index("edition")["value"]
    supply = concentration_table(usgs).query("kind == 'supply'").set_index("commodity")
    expected = [
        f"{imports.at['2021-22', 'RUS'] / 1000:.1f}",
        f"{imports.at[latest, 'RUS'] / 1000:.1f}",
        latest,
        f"{russia_ree[2024] / 1e6:.1f}",
        f"{russia_ree[2025] / 1e6:.1f}",
        f"{supply.at['rare-earths', 'china_share'] * 100:.0f}",
        f"{supply.at['palladium', 'russia_share'] * 100:.0f}",
    ]
    for value in expected:
        assert value in values, value
    assert values[:3] == expected[:3]
