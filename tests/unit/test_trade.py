"""Known trade values, fiscal-year labels, and the HS concordance's rules."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.periods import FISCAL_YEAR, fiscal_year_of, fiscal_year_start
from mineral_report.trade import latest_final_year, mineral_evidence, partner_table


@pytest.fixture(scope="module")
def trade() -> pd.DataFrame:
    return report.load("india-trade-by-partner")


def test_imports_from_russia_known_values(trade) -> None:
    imports = partner_table(trade, "imports_usd_mn")
    assert imports.at["2024-25", "RUS"] == 63_811.44
    assert imports.at["2021-22", "RUS"] == 9_869.99
    assert latest_final_year(trade) == "2024-25"


def test_partner_table_is_chronological(trade) -> None:
    years = list(partner_table(trade, "imports_usd_mn").index)
    assert years == sorted(years, key=fiscal_year_start) and years[0] == "2009-10"


@pytest.mark.parametrize(("day", "label"), [(date(2023, 4, 1), "2023-24"), (date(2024, 3, 31), "2023-24"),
                                            (date(1999, 12, 1), "1999-00")])
def test_fiscal_year_of(day: date, label: str) -> None:
    assert fiscal_year_of(day) == label


@pytest.mark.parametrize("bad", ["2023", "2023-25", "2023/24", "FY24"])
def test_fiscal_year_labels_refuse_calendar_years(bad: str) -> None:
    with pytest.raises(ValueError):
        fiscal_year_start(bad)


def test_trade_files_use_fiscal_years_only() -> None:
    for dataset in ("india-trade-by-partner", "india-imports-by-hs-chapter"):
        labels = report.load(dataset)["fiscal_year"]
        assert labels.map(fiscal_year_start).notna().all()


def test_observation_periods_match_their_type() -> None:
    observations = report.load("india-mineral-trade-observations")
    fiscal = observations["period_type"] == "fiscal_year"
    assert observations.loc[fiscal, "period"].str.match(FISCAL_YEAR).all()
    assert observations.loc[fiscal, "period"].map(fiscal_year_start).notna().all()
    assert observations.loc[observations["period_type"] == "calendar_year", "period"].str.fullmatch(r"\d{4}").all()
    months = observations.loc[observations["period_type"] == "months", "period"]
    assert months.str.fullmatch(r"\d{4}-\d{2}( to \d{4}-\d{2})?").all()
    with pytest.raises(ValueError):  # a month such as 2022-04 is never taken for a fiscal year
        fiscal_year_start("2022-04")


def test_shared_hs_codes_state_their_reason() -> None:
    concordance = report.load("critical-mineral-hs-concordance")
    counts = concordance.groupby("hs_code")["mineral"].transform("nunique")
    shared = concordance[counts > 1]
    assert not shared.empty
    assert shared["shared_with"].notna().all() and shared["shared_reason"].notna().all()


def test_mineral_evidence_keeps_missing_cells_missing() -> None:
    observations = report.load("india-mineral-trade-observations")
    table = mineral_evidence(observations)
    assert table.at["permanent magnets", "imports, quantity"] == "53,700 t (2024-25): Permanent magnet imports"
    # calendar 2025 is newer than 2024-25, and the cell says which magnets it covers
    assert table.at["permanent magnets", "share from China"] == (
        "80 percent (2025): China share of metal permanent magnet imports"
    )
    assert pd.isna(table.at["permanent magnets", "share from Russia"])
    assert table.at["copper", "imports, value"] == "27,400 ₹ crore (2022-23): Copper ore and concentrate imports (value)"


def test_only_a_partners_share_of_indias_imports_fills_a_share_column() -> None:
    table = mineral_evidence(report.load("india-mineral-trade-observations"))
    # "Crude oil share of imports from Russia" (71%) and "India's share of Alrosa sales" (16%)
    # are percentages of something else.
    assert table.at["all goods", "share from Russia"] == "4 percent (2022-04 to 2022-05): Russia share of India's total imports"
    assert table.loc["diamonds"].isna().all()
