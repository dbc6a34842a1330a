"""Current, previous and first edition, fiscal years, and the sentences that depend on them."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.editions import (
    Editions, latest_year_with, status_of, year_before_largest_rise,
)
from mineral_report.reserves import (
    change_in_words, concentration_table, coverage_gaps, headline_change, rare_earth_findings,
)
from mineral_report.trade import latest_observation, russia_share_of_imports

from .test_reserves import shipped_editions


def _newer(usgs: pd.DataFrame, russia_reserves: float) -> pd.DataFrame:
    """The shipped editions and one more: MCS 2026's rows as the next edition, with new Russian reserves."""
    newer = usgs[usgs["edition"] == 2026].assign(edition=2027, year=lambda f: f["year"] + 1)
    russia = (newer["commodity"] == "rare-earths") & (newer["measure"] == "reserves") & (newer["country_iso3"] == "RUS")
    newer.loc[russia, "value"] = russia_reserves
    return pd.concat([usgs, newer], ignore_index=True)


def test_editions_of_the_shipped_series() -> None:
    editions = Editions.of(shipped_editions())
    assert (editions.first, editions.previous, editions.current) == (2024, 2025, 2026)
    assert editions.listed() == "2024, 2025 and 2026"
    assert Editions.of(pd.DataFrame({"edition": [2026]})).previous is None


def test_rare_earth_sentences_of_the_shipped_editions() -> None:
    usgs = shipped_editions()
    found = rare_earth_findings(usgs, concentration_table(usgs))
    assert (found["edition_first"], found["edition_previous"], found["edition_current"]) == (2024, 2025, 2026)
    assert (found["ree_rus_res_first_mt"], found["ree_rus_res_current_mt"]) == (10.0, 3.8)
    assert found["ree_rus_res_later_text"] == "in MCS 2025 at 3.8 million tonnes, a figure MCS 2026 keeps"
    assert found["ree_rus_res_headline_text"] == "USGS cut its estimate of Russia's rare-earth reserves by more than half"
    assert found["ree_ind_res_current_text"] == "not available (NA)"
    assert found["ree_rus_res_share_text"] == "at most 5.0%"  # 3.8 Mt of more than 75 Mt (USGS's v1.3 revision)
    assert found["ree_world_res_bound_text"].startswith(" (USGS gives the world total only as a lower bound")


def test_a_newer_edition_that_revises_russia_changes_the_sentences() -> None:
    usgs = _newer(shipped_editions(), 6_000_000)
    found = rare_earth_findings(usgs, concentration_table(usgs))
    assert (found["edition_previous"], found["edition_current"]) == (2026, 2027)
    assert found["ree_rus_res_current_mt"] == 6.0
    assert found["ree_rus_res_later_text"] == "in MCS 2026 at 3.8 million tonnes, which MCS 2027 revises to 6.0 million tonnes"
    assert found["ree_rus_res_headline_text"] == "USGS cut its estimate of Russia's rare-earth reserves by 40%"


def test_a_world_total_that_is_no_bound_gives_an_exact_share() -> None:
    usgs = _newer(shipped_editions(), 4_600_000)
    world = (usgs["edition"] == 2027) & (usgs["commodity"] == "rare-earths") & (usgs["measure"] == "reserves") \
        & (usgs["country_iso3"] == "WLD")
    usgs.loc[world, "marker"] = pd.NA
    found = rare_earth_findings(usgs, concentration_table(usgs))
    table = concentration_table(usgs).set_index(["commodity", "kind"])
    share = table.loc[("rare-earths", "reserves"), "russia_share"]
    assert found["ree_rus_res_share_text"] == f"{share:.1%}" and found["ree_world_res_bound_text"] == ""


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [(10, 3.8, "cut by more than half"), (3.8, 3.8, "kept"), (3.8, 4.6, "raised by 21%"), (1, 2.5, "more than doubled"),
     (1, float("nan"), "not comparable")],
)
def test_change_in_words(before: float, after: float, words: str) -> None:
    assert change_in_words(before, after) == words


def test_headline_of_an_unchanged_figure() -> None:
    assert headline_change(3.8, 3.8, "Russia's reserves") == "USGS kept its estimate of Russia's reserves unchanged"


def test_gaps_are_computed_from_what_each_edition_carries() -> None:
    usgs = shipped_editions()
    gaps = coverage_gaps(usgs, concentration_table(usgs))
    assert gaps[0].startswith("MCS 2025 carries no figures for bauxite, alumina")
    assert ("The current edition, MCS 2026, lacks germanium refinery production and germanium reserves; for these"
            " the chapter uses MCS 2024.") in gaps
    assert "USGS withholds the mine production of lithium in United States (MCS 2026, 2025)." in gaps
    newer = _newer(usgs, 3_800_000)
    assert any(g.startswith("The current edition, MCS 2027, lacks") for g in coverage_gaps(newer, concentration_table(newer)))


def test_fiscal_years_from_the_trade_statistics() -> None:
    trade = report.load("india-trade-by-partner", vintage="2026-11-22")
    assert status_of(trade, "2025-26") == "provisional" and status_of(trade, "2024-25") == "final"
    assert year_before_largest_rise(russia_share_of_imports(trade)) == "2021-22"  # before 1.6% became 6.5%
    by_chapter = report.load("india-imports-by-hs-chapter", vintage="2026-11-22")
    assert latest_year_with(by_chapter, partner_iso3="RUS") == "2025-26"
    with pytest.raises(ValueError, match="no fiscal year holds rows with partner_iso3=ATA"):
        latest_year_with(by_chapter, partner_iso3="ATA")


def test_observations_are_found_by_what_they_are() -> None:
    observations = report.load("india-mineral-trade-observations", vintage="2026-11-22")
    magnets = latest_observation(observations, mineral="permanent magnets", partner_iso3="WLD", unit="t")
    assert (magnets["value"], magnets["period"]) == (53_700, "2024-25")  # the full year, not the later half-year
    ree = latest_observation(observations, mineral="rare earths", partner_iso3="WLD", unit="t", hs_codes="280530; 2846")
    assert (ree["value"], ree["period"]) == (2_270, "2023-24")
    with pytest.raises(LookupError, match="no import observation with mineral='unobtainium'"):
        latest_observation(observations, mineral="unobtainium")
