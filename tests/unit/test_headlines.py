"""Each headline of the executive summary recomputed from the vintage it is built on."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import mineral_report as report
from mineral_report import companies, findings, magnets, sources, timeline
from mineral_report.reserves import revisions

from ..conftest import REPO

OBSERVATIONS = "2026-12-01"  # india-mineral-trade-observations
EVENTS = "2026-12-01"  # india-russia-events
BASIS = "2026-12-01"  # magnet-unit-value-basis


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    return report.load("india-mineral-trade-observations", OBSERVATIONS)


@pytest.fixture(scope="module")
def basis() -> pd.DataFrame:
    return report.load("magnet-unit-value-basis", BASIS)


def test_the_floor_follows_from_the_formula_of_a_neodymium_magnet() -> None:
    assert magnets.neodymium_mass_fraction() == pytest.approx(0.2668, abs=1e-4)
    assert magnets.oxide_per_kg_metal() == pytest.approx(1.1664, abs=1e-4)
    assert magnets.rare_earth_floor(55) == pytest.approx(17.12, abs=0.01)
    with pytest.raises(ValueError):
        magnets.rare_earth_floor(0)


def test_a_fiscal_year_takes_the_lower_of_its_two_calendar_prices(basis) -> None:
    assert magnets.oxide_price_for("2024-25", basis) == 55
    assert magnets.oxide_price_for("2023-24", basis) == 55
    with pytest.raises(ValueError, match="no NdPr oxide price for 2030-31"):
        magnets.oxide_price_for("2030-31", basis)


def test_the_53700_tonnes_of_2024_25_are_too_cheap_to_be_rare_earth_magnets(
    observations, basis
) -> None:
    table = magnets.magnet_unit_values(observations, basis)
    row = table.set_index("period").loc["2024-25"]
    assert len(table) == 1 and row["tonnes"] == 53_700
    assert row["inr_per_kg"] == pytest.approx(
        17_440_000_000 / 53_700_000
    )  # ₹1,744 crore / 53,700 t
    assert row["usd_per_kg"] == pytest.approx(324.767 / 83.40, rel=1e-4)
    assert row["label"] == magnets.FERRITE
    assert row["breakeven_inr_per_usd"] == pytest.approx(18.97, abs=0.01)


def test_a_costly_tonnage_is_consistent_with_rare_earth_magnets(basis) -> None:
    verdict = magnets.classify(500, 25, "usd_mn", "2024-25", basis)  # US$50/kg
    assert verdict.label == magnets.RARE_EARTH and verdict.inr_per_kg is None
    with pytest.raises(ValueError, match="not a value unit"):
        magnets.classify(500, 25, "t", "2024-25", basis)


def test_no_magnet_figure_without_a_code_in_its_article_carries_hs_850511(observations) -> None:
    magnets_rows = observations[observations["mineral"] == "permanent magnets"].set_index(
        "observation_id"
    )
    coded = magnets_rows[magnets_rows["hs_codes"].notna()]
    assert list(coded.index) == ["OBS028"]  # "made of metals": the wording of HS 8505.11


def test_the_stockpile_is_sized_on_published_rare_earth_magnet_use(observations) -> None:
    estimates = magnets.rare_earth_magnet_estimates(observations, months=2)
    first = estimates.iloc[0]
    assert first["measure"] == "use in India" and first["annual_t"] == 4_010
    assert first["2_months_t"] == pytest.approx(4_010 / 6)
    assert set(estimates["annual_t"]) == {4_010, 540, 460}


def test_sanctions_are_counted_over_russian_organisations_linked_to_india() -> None:
    linked = companies.linked_russian_organisations(
        report.load("organisations", "2026-11-26"),
        report.load("org-links", "2026-11-22"),
        report.load("sanctions-assessment", "2026-11-26"),
    )
    summary = companies.sanctions_among_linked(linked)
    assert summary["n_linked"] == 6
    assert summary["designated"] == ["PJSC Alrosa"]
    assert summary["needs_checks"] == [
        "MMC Norilsk Nickel (Nornickel)",
        "State Atomic Energy Corporation Rosatom",
    ]
    assert "Severstal" not in " ".join(linked["organisation"])  # no Indian link in the registry


def test_each_company_deal_counts_once_whatever_its_forum() -> None:
    deals = timeline.company_deals(report.load("india-russia-events", EVENTS))
    assert list(deals["deal"]) == [
        "Alrosa representative office in Mumbai",
        "Coal India's coking-coal memoranda with Russia's Far East agency",
        "Rusal stake in Pioneer Aluminium",
    ]
    assert deals.set_index("deal").at["Rusal stake in Pioneer Aluminium", "events"] == 2
    assert deals["delivered"].all()


def test_a_company_deal_without_a_name_is_refused() -> None:
    events = report.load("india-russia-events", EVENTS)
    broken = events.copy()
    broken.loc[broken["event_id"] == "2025-03-13-rusal-pioneer-aluminium", "deal"] = pd.NA
    with pytest.raises(ValueError, match="2025-03-13-rusal-pioneer-aluminium"):
        timeline.company_deals(broken)


def test_russia_is_named_as_a_supplier_where_the_official_answers_name_it(observations) -> None:
    named = findings.russia_as_supplier(observations, sources.grade_by_url()).set_index("good")
    assert named.at["rare earths", "place"] == 3  # after China and Japan
    assert named.at["lithium", "place"] == 2  # after Belgium, ahead of China
    assert named.at["niobium", "place"] == 2  # with Germany
    assert findings.ordinal(3) == "third"
    assert named.at["rare earths", "period"] == "2019-20 to 2023-24"
    assert findings.period_label("2025-04 to 2025-09", "months") == "2025-04 to 2025-09"


def test_each_good_the_summary_names_russia_a_supplier_of_rests_on_more_than_copies() -> None:
    """The landing page glues Russia's place for some goods: each must be carried by a source
    above aggregator or mirror (2026-12-02 adds a trade magazine's report for lithium)."""
    summary = (REPO / "index.md").read_text(encoding="utf-8")
    glued = re.findall(r"::rus_place_([a-z]+):", summary)
    goods = {"ree": "rare earths"}
    observations = report.load("india-mineral-trade-observations", CORROBORATED)
    named = findings.russia_as_supplier(observations, sources.grade_by_url()).set_index("good")
    assert glued, "the summary names no place of Russia's"
    for key in glued:
        assert named.at[goods.get(key, key), "strongest source"] != "aggregator or mirror", key
    assert named.at["niobium", "strongest source"] == "aggregator or mirror"  # so the summary leaves it out
    assert "niobium" not in summary


def test_two_sources_that_disagree_on_russias_place_are_refused(observations) -> None:
    broken = observations.copy()
    lithium = broken.index[(broken["mineral"] == "lithium") & (broken["unit"] == "rank")][0]
    extra = broken.loc[[lithium]].assign(value=5, observation_id="OBS999")
    with pytest.raises(ValueError, match="disagree on Russia's place for lithium"):
        findings.russia_as_supplier(pd.concat([broken, extra]), sources.grade_by_url())


def test_the_fuel_share_and_the_total_come_from_the_same_year() -> None:
    trade = report.load("india-trade-by-partner", "2026-11-22")
    mix = findings.import_mix(trade, report.load("india-imports-by-hs-chapter", "2026-11-22"))
    assert mix["year"] == "2025-26" and mix["status"] == "provisional"
    assert mix["total_bn"] == pytest.approx(55.36962)
    assert mix["fuels_share"] == pytest.approx(47_824.90 / 55_369.62 * 100)


def test_russia_rare_earth_reserves_first_and_current_edition() -> None:
    shipped = pd.concat(  # the MCS 2024-2026 vintages checked here, whatever is pinned later
        [report.load("usgs-mcs-world", vintage=v) for v in ("2024-release", "2025-chapters", "2026-release-v1.3")]
    )
    change = findings.reserve_change(revisions(shipped, "rare-earths"), "RUS")
    assert (change["first_edition"], change["first_mt"]) == (2024, 10.0)
    assert (change["current_edition"], change["current_mt"]) == (2026, 3.8)


def test_names_read_as_prose() -> None:
    assert findings.names_in_prose([]) == "none"
    assert findings.names_in_prose(["A"]) == "A"
    assert findings.names_in_prose(["A", "B", "C"]) == "A, B and C"


CORROBORATED = "2026-12-02"  # india-mineral-trade-observations: adds Mint's figure for 2024-25


def test_the_magnet_tonnage_of_the_headline_does_not_rest_on_an_aggregator_alone(basis) -> None:
    """The Indian Express figures are read in an aggregator's copy; each tonnage the headline
    uses must also be published, within 2%, by a source graded above aggregator or mirror."""
    observations = report.load("india-mineral-trade-observations", CORROBORATED)
    grades = sources.grade_by_url()
    used = magnets.magnet_unit_values(observations, basis)
    latest = used.sort_values("period").iloc[-1]
    tonnages = observations[(observations["mineral"] == "permanent magnets") & (observations["unit"] == "t")
                            & (observations["partner_iso3"] == "WLD") & (observations["period"] == latest["period"])]
    graded_tonnages = tonnages.assign(grade=tonnages["url"].map(grades))
    assert set(graded_tonnages.loc[graded_tonnages["value"] == latest["tonnes"], "grade"]) == {"aggregator or mirror"}
    close = graded_tonnages[(graded_tonnages["value"] - latest["tonnes"]).abs() <= 0.02 * latest["tonnes"]]
    assert (close["grade"] != "aggregator or mirror").any(), close[["publisher", "value", "grade"]]


def test_no_company_deal_the_summary_counts_rests_on_copies_alone() -> None:
    events = report.load("india-russia-events", "2026-12-02")
    deals = events[events["india_russia"] & (events["category"] == "company deal")]
    assert not deals.empty
    resting = sources.resting_on_mirrors(deals, ["source_urls"], sources.graded())
    assert resting["event_id"].tolist() == []
