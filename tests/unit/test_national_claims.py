"""National reserve figures beside USGS, vintage 2026-12-01: who said what, and in what kind of source."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all

DATASET = "national-reserve-claims"
VINTAGE = "2026-12-01"
PATH = f"national-estimates/{VINTAGE}/reserve_claims.csv"


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return report.load(DATASET, VINTAGE).set_index("claim_id")


@pytest.mark.parametrize(
    ("claim_id", "value", "claimant", "date", "grade"),
    [
        ("RU-REE-09", 28_500_000, "Oleg Kazanov, head of Rosnedra", "2025-09-08", "official quoted by press"),
        ("RU-REE-04", 28_000_000, "Sergey Shoigu, Secretary of the Russian Security Council", "2025-10-24",
         "official quoted by press"),
        ("IN-REE-12", 7_230_000, "Department of Atomic Energy", "2025-07-23", "primary"),
        ("IN-REE-14", 1_290_000, "Department of Atomic Energy", "2025-07-23", "primary"),
        ("IN-REE-06", 7_230_000, "Ministry of Mines", "2026-01-28", "primary"),
        ("IN-REE-04", 8_520_000, "Dr Jitendra Singh", "2025-07-23", "press"),
    ],
)
def test_known_figures_with_their_speaker_and_grade(claims, claim_id: str, value: int, claimant: str, date: str,
                                                   grade: str) -> None:
    row = claims.loc[claim_id]
    assert row["value"] == value and row["unit"] == "t"
    assert row["claimant"].startswith(claimant)
    assert row["claim_date"] == date and row["source_grade"] == grade


def test_primary_figures_come_from_the_government_press_office(claims) -> None:
    primary = claims[claims["source_grade"] == "primary"]
    assert len(primary) == 7
    assert {urlparse(url).hostname for url in primary["url"]} <= {"pib.gov.in", "www.pib.gov.in"}
    assert (primary["source_type"] == "primary").all()
    assert (claims.loc[claims["source_grade"] != "primary", "source_type"] == "secondary").all()


def test_no_russian_figure_is_read_from_an_official_russian_publication(claims) -> None:
    russia = claims[claims["country_iso3"] == "RUS"]
    assert not (russia["source_grade"] == "primary").any()


def test_the_press_total_equals_the_two_figures_of_the_reply(claims) -> None:
    assert claims.at["IN-REE-04", "value"] == claims.at["IN-REE-12", "value"] + claims.at["IN-REE-14", "value"]


def test_every_claim_of_the_previous_vintage_is_kept(claims) -> None:
    previous = report.load(DATASET, "2026-11-26")
    assert set(previous["claim_id"]) <= set(claims.index)


def test_an_unknown_grade_is_named_by_file_row_and_column(edit_csv, data_copy) -> None:
    edit_csv(PATH, lambda lines: [lines[0], lines[1].replace(",official quoted by press,", ",hearsay,"), *lines[2:]])
    problems = [str(p) for p in validate_all(read_manifest(data_copy))]
    assert len(problems) == 1
    assert problems[0].startswith(f"data/{PATH}, row 2, column 'source_grade': 'hearsay' is not one of")
