"""Known values of the MCS 2025 vintage typed from the chapter world tables (vintage 2025-chapters)."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.data import DataValidationError
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all

USGS = "usgs-mcs-world"
VINTAGE = "2025-chapters"
PATH = "usgs-mcs/2025-chapters/world_production_reserves.csv"


@pytest.fixture(scope="module")
def mcs2025() -> pd.DataFrame:
    return report.load(USGS, VINTAGE)


def _row(frame: pd.DataFrame, commodity: str, measure: str, iso3: str, year: int) -> pd.Series:
    rows = frame[(frame["commodity"] == commodity) & (frame["measure"] == measure)
                 & (frame["country_iso3"] == iso3) & (frame["year"] == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_every_row_is_edition_2025_and_names_its_chapter_table(mcs2025) -> None:
    assert set(mcs2025["edition"]) == {2025}
    assert mcs2025["source_table"].str.match(r"MCS 2025, .+, World .+ \(p\. \d+\)$").all()
    assert len(mcs2025) == 864
    assert mcs2025["commodity"].nunique() == 21


def test_rare_earth_rows_equal_the_rare_earths_only_2025_vintage(mcs2025) -> None:
    columns = ["measure", "country", "country_iso3", "year", "value", "unit", "marker", "is_estimate"]
    earlier = report.load(USGS, "2025")[columns]
    typed = mcs2025.loc[mcs2025["commodity"] == "rare-earths", columns]
    key = ["measure", "country_iso3", "year"]
    pd.testing.assert_frame_equal(
        typed.sort_values(key).reset_index(drop=True), earlier.sort_values(key).reset_index(drop=True)
    )


@pytest.mark.parametrize(
    ("commodity", "measure", "iso3", "year", "value", "unit"),
    [
        ("nickel", "mine production", "IDN", 2024, 2_200_000, "t"),
        ("cobalt", "mine production", "COD", 2024, 220_000, "t"),
        ("palladium", "mine production", "RUS", 2023, 87_000, "kg"),
        ("platinum", "mine production", "ZAF", 2024, 120_000, "kg"),
        ("platinum-group-metals", "reserves", "RUS", 2024, 16_000_000, "kg"),
        ("copper", "mine production", "CHL", 2024, 5_300, "kt"),
        ("copper", "refinery production", "CHN", 2024, 12_000, "kt"),
        ("aluminum", "capacity", "CHN", 2024, 44_700, "kt"),
        ("titanium-sponge", "refinery production", "RUS", 2024, 20_000, "t"),
        ("gallium", "refinery production", "CHN", 2024, 750_000, "kg"),
        ("vanadium", "reserves", "AUS", 2024, 8_500, "kt"),
        ("antimony", "mine production", "TJK", 2023, 17_000, "t"),
        ("iron-ore", "reserves", "AUS", 2024, 27_000, "Mt"),
        ("potash", "mine production", "CAN", 2024, 15_000, "kt"),
        ("chromium", "reserves", "KAZ", 2024, 320_000, "kt"),
        ("manganese", "mine production", "ZAF", 2024, 7_400, "kt"),
        ("tin", "reserves", "CHN", 2024, 1_000_000, "t"),
        ("gold", "reserves", "RUS", 2024, 12_000, "t"),
    ],
)
def test_known_values(mcs2025, commodity: str, measure: str, iso3: str, year: int, value: int, unit: str) -> None:
    row = _row(mcs2025, commodity, measure, iso3, year)
    assert row["value"] == value and row["unit"] == unit


def test_estimates_follow_the_column_the_figure_and_the_country_name(mcs2025) -> None:
    # Nickel: 2024 column is "2024e"; China's 2023 figure carries its own "e"; Canada's does not.
    assert _row(mcs2025, "nickel", "mine production", "CAN", 2024)["is_estimate"]
    assert _row(mcs2025, "nickel", "mine production", "CHN", 2023)["is_estimate"]
    assert not _row(mcs2025, "nickel", "mine production", "CAN", 2023)["is_estimate"]
    # Cobalt: the whole production heading is "Mine productione".
    assert _row(mcs2025, "cobalt", "mine production", "RUS", 2023)["is_estimate"]
    # PGM: "Russiae" marks Russia's production, not its reserves.
    assert _row(mcs2025, "platinum", "mine production", "RUS", 2023)["is_estimate"]
    assert not _row(mcs2025, "platinum-group-metals", "reserves", "RUS", 2024)["is_estimate"]
    assert not mcs2025.loc[mcs2025["measure"] == "reserves", "is_estimate"].any()


@pytest.mark.parametrize(
    ("commodity", "measure", "iso3", "year", "marker"),
    [
        ("lithium", "mine production", "USA", 2024, "W"),
        ("tungsten", "reserves", "BOL", 2024, "NA"),
        ("graphite", "reserves", "USA", 2024, "incl. in world"),
        ("potash", "reserves", "ISR", 2024, "Large"),
        ("manganese", "reserves", "OTH", 2024, "Small"),
        ("copper", "mine production", "JPN", 2024, "—"),
    ],
)
def test_markers_stand_instead_of_numbers(mcs2025, commodity: str, measure: str, iso3: str, year: int,
                                          marker: str) -> None:
    row = _row(mcs2025, commodity, measure, iso3, year)
    assert row["marker"] == marker and pd.isna(row["value"])


def test_lower_bounds_keep_their_value_and_marker(mcs2025) -> None:
    world = _row(mcs2025, "nickel", "reserves", "WLD", 2024)
    assert world["marker"] == ">" and world["value"] == 130_000_000
    other = _row(mcs2025, "nickel", "reserves", "OTH", 2024)
    assert other["marker"] == ">" and other["value"] == 9_100_000


def test_world_totals_are_rounded_and_single_per_table(mcs2025) -> None:
    world = mcs2025[mcs2025["country_iso3"] == "WLD"]
    assert world["is_rounded"].all()
    assert not mcs2025.loc[mcs2025["country_iso3"] != "WLD", "is_rounded"].any()
    assert not world.duplicated(["commodity", "measure", "year"]).any()
    assert "Other" in set(mcs2025.loc[mcs2025["country_iso3"] == "OTH", "country"])  # rare earths print "Other"


def test_an_unknown_marker_is_named_by_file_row_and_column(edit_csv, data_copy) -> None:
    def corrupt(lines: list[str]) -> list[str]:
        index = next(i for i, line in enumerate(lines) if ",manganese,reserves," in line and ",OTH," in line)
        lines[index] = lines[index].replace(",Small,", ",Tiny,")
        return lines

    edit_csv(PATH, corrupt)
    problems = [str(p) for p in validate_all(read_manifest(data_copy))]
    assert len(problems) == 1
    assert problems[0].startswith(f"data/{PATH}, row ")
    assert "column 'marker': 'Tiny' is not one of" in problems[0]
    with pytest.raises(DataValidationError):
        report.load(USGS, VINTAGE, data_dir=data_copy)
