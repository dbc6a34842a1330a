"""The book's one table helper: titles, numbers, dates, dashes, translations, no index."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.tables import report_table


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", html)]


def _headers(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).replace("&#x27;", "'") for h in re.findall(r"<th[^>]*>(.*?)</th>", html)]


def test_trade_table_reads_like_a_publication() -> None:
    trade = report.load("india-trade-by-partner", vintage="2026-11-22")
    russia = trade[trade["partner_iso3"] == "RUS"].set_index("fiscal_year")
    html = report_table(russia[["imports_usd_mn", "data_status"]].loc[["2021-22"]], "Imports")._repr_html_()
    assert _headers(html) == ["Fiscal year (April–March)", "India's imports (US$ million)", "Status of the figures"]
    assert _cells(html) == ["2021-22", "9,870.0", "final"]  # 9869.99 in the 2026-11-22 vintage


def test_missing_values_are_an_explained_dash_and_never_nan() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2021-10-15", None]), "size_value": [1172.7, float("nan")],
                          "note": ["NaT", "kept"]})
    html = report_table(frame, "Test")._repr_html_()
    assert not re.search(r"\bNaN\b|\bNaT\b|&lt;NA&gt;|<NA>", html)
    assert _cells(html)[:3] == ["15 Oct 2021", "1,172.7", "— no note"]
    assert "— undated." in html and "— no size published." in html
    assert ">0<" not in html  # no row-number index


def test_an_untitled_identifier_column_is_an_error() -> None:
    with pytest.raises(KeyError, match="outcome_text"):
        report_table(pd.DataFrame({"outcome_text": ["x"]}), "Test")._repr_html_()


def test_country_codes_become_names_and_month_dates_read_as_months() -> None:
    frame = pd.DataFrame({"country_iso3": ["RUS", "IND"], "date": ["2025-07", "2025-04-25"]})
    assert _cells(report_table(frame, "Test")._repr_html_()) == ["Russia", "Jul 2025", "India", "25 Apr 2025"]


def test_the_russian_claim_is_shown_in_english_with_the_original_in_a_note() -> None:
    claims = report.load("claims-ledger", vintage="2026-11-26")
    c16 = claims[claims["claim_id"] == "C16"][["claim_text"]]
    html = report_table(c16, "Claim")._repr_html_()
    assert _cells(html)[0].startswith("in 2024 trade turnover between the two countries grew by 12%")
    assert "translated from Russian; the original reads “в 2024 году" in html


def test_web_addresses_are_links_and_nothing_else_is() -> None:
    frame = pd.DataFrame({"url": ["https://pib.gov.in/PressReleasePage.aspx?PRID=2151596&lang=1", "javascript:alert(1)"]})
    page = report_table(frame, "Addresses", titles={"url": "Address"})._repr_html_()
    assert '<a href="https://pib.gov.in/PressReleasePage.aspx?PRID=2151596&amp;lang=1">' in page
    assert "<td>javascript:alert(1)</td>" in page and 'href="javascript' not in page
