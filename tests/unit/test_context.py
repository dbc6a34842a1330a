"""The claims ledger, the stockpile sizing, mining versus refining, and the filterable table."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.reserves import concentration_table
from mineral_report.supply_chain import china_mining_and_refining
from mineral_report.tables import report_table
from mineral_report.trade import stockpile_need

from .test_reserves import shipped_editions


def test_stockpile_is_two_twelfths_of_annual_imports() -> None:
    need = stockpile_need(report.load("india-mineral-trade-observations"), months=2).set_index("observation")
    assert need.at["OBS019", "2_months"] == pytest.approx(53_700 / 6)
    assert need.at["OBS001", "2_months"] == pytest.approx(2_270 / 6)
    assert need.at["OBS019", "period"] == "2024-25"


def test_mining_and_refining_come_from_their_own_sources() -> None:
    usgs = shipped_editions()
    shares = china_mining_and_refining(concentration_table(usgs), report.load("processing-shares"))
    ree = shares[shares["mineral"] == "Rare earths (REO)"].set_index("stage")
    assert ree.at["mining", "source"].startswith("USGS MCS")
    assert ree.at["refining", "source"] == "International Energy Agency"
    assert ree.at["mining", "share_percent"] == pytest.approx(270_000 / 390_000 * 100)
    assert ree.at["refining", "share_percent"] == 92


def test_filterable_table_is_deterministic_and_escapes_text() -> None:
    frame = pd.DataFrame({"verdict": ["consistent", "inconsistent"], "claim": ["a < b", "c & d"]})
    first = report_table(frame, "Claims", filters=["verdict"])._repr_html_()
    assert first == report_table(frame, "Claims", filters=["verdict"])._repr_html_()
    assert "a &lt; b" in first and "c &amp; d" in first
    assert first.count("<option") == 3  # "all" and the two verdicts
