"""The downloadable PDF holds every page and chart; the landing page's numbers match the data."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader

import mineral_report as report
from mineral_report.book.page_figures import chart_specs
from mineral_report.book.pdf import PDF_NAME, book_order
from mineral_report.findings import import_mix, reserve_change
from mineral_report.magnets import magnet_unit_values, rare_earth_magnet_estimates
from mineral_report.reserves import concentration_table, revisions
from mineral_report.trade import latest_final_year, russia_share_of_imports

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
        for spec in chart_specs((SITE / page).read_text(encoding="utf-8")):
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


def test_summary_findings_equal_the_values_the_package_computes() -> None:
    values = _pasted((SITE / "index.html").read_text(encoding="utf-8"))
    trade = report.load("india-trade-by-partner")
    latest = latest_final_year(trade)
    mix = import_mix(trade, report.load("india-imports-by-hs-chapter"))
    observations = report.load("india-mineral-trade-observations")
    magnets = magnet_unit_values(observations, report.load("magnet-unit-value-basis")).iloc[0]
    use = rare_earth_magnet_estimates(observations).iloc[0]
    usgs = report.load_all_vintages("usgs-mcs-world")
    reserves = reserve_change(revisions(usgs, "rare-earths"), "RUS")
    supply = concentration_table(usgs).query("kind == 'supply'").set_index("commodity")
    expected = [
        mix["year"], mix["status"], f"{mix['total_bn']:.1f}", f"{mix['fuels_share']:.0f}",
        f"{russia_share_of_imports(trade)[latest] * 100:.1f}", latest,
        f"{magnets['tonnes']:,.0f}", magnets["period"], f"{magnets['usd_per_kg']:.2f}",
        f"{magnets['floor_usd_per_kg']:.0f}", f"{use['annual_t']:,.0f}", f"{use['2_months_t']:,.0f}",
    ]
    assert values[: len(expected)] == expected
    for value in (f"{reserves['first_mt']:.1f}", str(reserves["first_edition"]), f"{reserves['current_mt']:.1f}",
                  f"{supply.at['rare-earths', 'china_share'] * 100:.0f}", f"{supply.at['palladium', 'russia_share'] * 100:.0f}"):
        assert value in values, value


def test_the_landing_page_lists_every_watch_item_with_its_sources() -> None:
    html = (SITE / "index.html").read_text(encoding="utf-8")
    items = report.load("watch-items")
    assert html.count('<ul class="watch-list">') == 1
    for topic in items["topic"]:
        assert topic.replace("'", "&#x27;") in html, topic
    assert 'href="https://pib.gov.in/PressReleasePage.aspx?PRID=2261399"' in html
