"""Known USGS values, the concentration measures, and markers that must never become numbers."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.metrics import herfindahl_hirschman, top_n_share
from mineral_report.reserves import concentration_table, describe, revisions, russia_role, with_schema_defaults, with_shares


# The vintages of MCS 2024, 2025 and 2026 these tests check, whatever is pinned later.
SHIPPED = ("2024-release", "2025-chapters", "2026-release-v1.3")


def shipped_editions() -> pd.DataFrame:
    frames = [report.load("usgs-mcs-world", vintage=v).assign(vintage=v) for v in SHIPPED]
    frame = pd.concat(frames, ignore_index=True)
    frame.attrs["vintage"] = ", ".join(SHIPPED)
    return frame


@pytest.fixture(scope="module")
def usgs() -> pd.DataFrame:
    return shipped_editions()


def _figure(usgs: pd.DataFrame, edition: int, commodity: str, measure: str, iso3: str, year: int) -> pd.Series:
    rows = usgs[(usgs["edition"] == edition) & (usgs["commodity"] == commodity) & (usgs["measure"] == measure)
                & (usgs["country_iso3"] == iso3) & (usgs["year"] == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("edition", "iso3", "tonnes"),
    [(2024, "RUS", 10_000_000), (2025, "RUS", 3_800_000), (2025, "CHN", 44_000_000),
     (2026, "RUS", 3_800_000), (2024, "IND", 6_900_000)],
)
def test_rare_earth_reserves_match_usgs(usgs, edition: int, iso3: str, tonnes: int) -> None:
    row = _figure(usgs, edition, "rare-earths", "reserves", iso3, edition - 1)
    assert row["value"] == tonnes and row["unit"] == "t"


def test_india_rare_earth_reserves_are_not_available_in_mcs_2026(usgs) -> None:
    row = _figure(usgs, 2026, "rare-earths", "reserves", "IND", 2025)
    assert pd.isna(row["value"]) and row["marker"] == "NA"


def test_markers_never_carry_numbers(usgs) -> None:
    coded = usgs[usgs["marker"].isin(["W", "NA", "XX", "—", "incl. in world", "incl. elsewhere"])]
    assert len(coded) > 50
    assert coded["value"].isna().all()


def test_withheld_figures_are_missing_not_zero_in_shares(usgs) -> None:
    lithium = usgs[(usgs["edition"] == 2026) & (usgs["commodity"] == "lithium")
                   & (usgs["measure"] == "mine production") & (usgs["year"] == 2025)]
    shares = with_shares(lithium).set_index("country_iso3")["share"]
    assert pd.isna(shares["USA"])  # USGS: W
    assert shares["AUS"] == pytest.approx(92_000 / 290_000)


def test_rounded_world_totals_never_give_shares_over_one(usgs) -> None:
    gallium = usgs[(usgs["edition"] == 2026) & (usgs["commodity"] == "gallium")
                   & (usgs["measure"] == "refinery production") & (usgs["year"] == 2025)]
    shared = with_shares(gallium).set_index("country_iso3")
    world, china, russia = (shared.at[iso3, "value"] for iso3 in ("WLD", "CHN", "RUS"))
    assert china == world and russia > 0  # USGS's rounded total leaves no room for Russia
    countries = shared.drop(index=["WLD"], errors="ignore")["share"]
    assert countries.sum() == pytest.approx(1.0)
    assert herfindahl_hirschman(countries) <= 10_000 and top_n_share(countries) <= 1.0
    assert shared.at["CHN", "share"] == pytest.approx(900_000 / 909_000)  # China, Japan, Russia


def test_lower_bound_world_totals_keep_their_marker_and_usgs_revision() -> None:
    released = _figure(report.load("usgs-mcs-world", "2026-release"), 2026, "rare-earths", "reserves", "WLD", 2025)
    assert released["marker"] == ">" and released["value"] == 85_000_000
    revised = _figure(report.load("usgs-mcs-world", "2026-release-v1.3"), 2026, "rare-earths", "reserves", "WLD", 2025)
    assert revised["marker"] == ">" and revised["value"] == 75_000_000  # USGS version 1.3, 27 May 2026


def test_one_world_total_per_table(usgs) -> None:
    world = usgs[usgs["country_iso3"] == "WLD"]
    assert not world.duplicated(["edition", "commodity", "measure", "basis", "year"]).any()


def test_hhi_of_a_hand_worked_example() -> None:
    shares = pd.Series({"A": 0.5, "B": 0.3, "C": 0.2})
    assert herfindahl_hirschman(shares) == pytest.approx(2500 + 900 + 400)
    assert herfindahl_hirschman(pd.Series({"A": 1.0})) == pytest.approx(10_000)


def test_hhi_ignores_unknown_shares_rather_than_counting_zero() -> None:
    assert herfindahl_hirschman(pd.Series({"A": 0.6, "B": None})) == pytest.approx(3600)
    with pytest.raises(ValueError):
        herfindahl_hirschman(pd.Series({"A": None}, dtype=float))
    with pytest.raises(ValueError):
        herfindahl_hirschman(pd.Series({"A": -0.1}))


def test_top_three_share() -> None:
    assert top_n_share(pd.Series([0.4, 0.3, 0.2, 0.1])) == pytest.approx(0.9)


def test_concentration_table_known_values(usgs) -> None:
    table = concentration_table(usgs).set_index(["commodity", "kind"])
    ree = table.loc[("rare-earths", "supply")]
    assert (ree["edition"], ree["year"]) == (2026, 2025)
    assert ree["china_share"] == pytest.approx(270_000 / 390_000)
    assert ree["russia_figure"] == "2,600 t"
    palladium = table.loc[("palladium", "supply")]
    assert palladium["russia_role"] == "major supplier"
    assert table.loc[("rare-earths", "reserves"), "india_figure"] == "not available (NA)"


def test_russia_role_thresholds() -> None:
    assert russia_role(0.44) == "major supplier"
    assert russia_role(0.05) == "minor supplier"
    assert russia_role(0.001) == "marginal"
    assert russia_role(float("nan")) == "no published figure"


def test_revisions_show_russias_cut(usgs) -> None:
    russia = revisions(usgs, "rare-earths").query("country_iso3 == 'RUS'").set_index("edition")["value"]
    assert russia.to_dict() == {2024: 10_000_000, 2025: 3_800_000, 2026: 3_800_000}


def test_the_wider_commodity_set_is_in_the_concentration_table(usgs) -> None:
    table = concentration_table(usgs).set_index(["commodity", "kind"])
    for commodity in ("phosphate-rock", "potash", "iron-ore", "chromium", "manganese", "tin", "gold", "copper"):
        assert (commodity, "supply") in table.index and (commodity, "reserves") in table.index
    # MCS 2026 gives iron-ore reserves as crude ore and as iron content: one basis is compared
    iron = table.loc[("iron-ore", "reserves")]
    assert (iron["edition"], iron["unit"], iron["world"]) == (2026, "Mt", "87,000 Mt")


def test_older_vintages_get_the_new_columns_in_one_place() -> None:
    older = report.load("usgs-mcs-world", vintage="2025")  # the rare-earths-only MCS 2025 vintage
    filled = with_schema_defaults(older.drop(columns=["value_high", "is_rounded", "source_table"], errors="ignore"))
    world = filled[(filled["country_iso3"] == "WLD") & (filled["measure"] == "reserves")].iloc[0]
    assert world["is_rounded"] and world["source_table"] == "MCS 2025" and pd.isna(world["value_high"])


def test_ranges_and_upper_bounds_are_described_not_shared() -> None:
    rows = pd.DataFrame({
        "country_iso3": ["WLD", "AAA", "BBB", "CCC"], "value": [1000.0, 500.0, 300.0, 100.0],
        "value_high": [float("nan"), float("nan"), 400.0, float("nan")], "marker": [None, None, "range", "<"],
        "unit": ["t"] * 4,
    })  # fmt: skip
    shared = with_shares(rows).set_index("country_iso3")
    assert shared.at["AAA", "share"] == pytest.approx(0.5)
    assert pd.isna(shared.at["BBB", "share"]) and pd.isna(shared.at["CCC", "share"])
    assert describe(rows.iloc[2]) == "300–400 t" and describe(rows.iloc[3]) == "<100 t"


def test_share_charts_show_the_largest_country_when_it_is_none_of_the_three() -> None:
    from mineral_report.charts.reserves import LEADER, focus_share_chart

    usgs = report.load("usgs-mcs-world", vintage="2026-release-v1.3")
    table = concentration_table(usgs)
    nickel = table[(table["commodity"] == "nickel") & (table["kind"] == "supply")].iloc[0]
    assert nickel["leader"] == "Indonesia" and round(nickel["leader_share"], 2) == 0.67
    spec = focus_share_chart(table, "supply", usgs).to_dict()
    rows = next(iter(spec["datasets"].values()))
    nickel_rows = [r for r in rows if r["label"].startswith("Nickel")]
    assert {r["country"] for r in nickel_rows} == {"Russia", "China", LEADER}
    assert "largest: Indonesia" in nickel_rows[0]["label"].replace("\n", " ")


def test_the_chapter_says_what_usgs_revision_moved() -> None:
    """MCS 2026 version 1.3 (27 May 2026) cut Brazil's rare-earth reserves and the world total."""
    from mineral_report.reserves import publisher_revision_text

    usgs = report.load("usgs-mcs-world", vintage="2026-release-v1.3")
    text = publisher_revision_text(report.load("usgs-mcs-revisions", vintage="2026-12-01"), usgs, "rare-earths")
    assert "version 1.3 of 27 May 2026" in text
    assert "Brazil from 21,000,000 t to 11,000,000 t" in text
    assert "first published Russia held at most 4.5%" in text and "revised ones at most 5.0%" in text
    assert publisher_revision_text(report.load("usgs-mcs-revisions"), usgs, "nickel") == ""
