"""Every address the data cite has a publisher and a grade, and the references page reads well."""

from __future__ import annotations

import pandas as pd
import pytest

from mineral_report import DataValidationError
from mineral_report.data.manifest import read_manifest
from mineral_report.sources import (
    GRADES,
    grade_counts,
    graded,
    host_of,
    readable_label,
    reference_list,
    resting_on_mirrors,
)

from ..conftest import DATA

HOSTS = read_manifest(DATA).resolve("source-hosts").path  # the pinned register


@pytest.fixture(scope="module")
def cited() -> pd.DataFrame:
    return graded(read_manifest(DATA))


def test_every_cited_address_is_graded(cited: pd.DataFrame) -> None:
    assert cited["grade"].isin(GRADES).all()
    assert cited["publisher"].notna().all() and (cited["publisher"] != "").all()


def test_grades_follow_the_register(cited: pd.DataFrame) -> None:
    by_url = cited.drop_duplicates("url").set_index("url")["grade"]
    # Register vintage 2026-12-01: PIB is the government's own release; Interfax carries the
    # Russian natural resources ministry's statement; WikiZero copies Wikipedia.
    assert by_url[next(u for u in by_url.index if host_of(u) == "pib.gov.in")] == "primary"
    assert by_url["https://interfax.com/newsroom/top-stories/112396/"] == "official quoted by press"
    assert by_url["https://wikizero.com/m/ALROSA"] == "aggregator or mirror"


def test_an_official_quote_on_a_mirror_stays_a_mirror(cited: pd.DataFrame) -> None:
    # A copy of a minister's reply on an aggregator is still only a copy.
    daily8 = cited[cited["url"].map(host_of) == "daily8.com"]
    assert not daily8.empty and (daily8["grade"] == "aggregator or mirror").all()


def test_grade_counts_cover_every_publication_once(cited: pd.DataFrame) -> None:
    counts = grade_counts(cited)
    assert list(counts.index) == list(GRADES)
    assert counts.sum() == cited["url"].nunique()


def test_an_ungraded_host_stops_with_its_name(edit_csv, data_copy) -> None:
    edit_csv(HOSTS, lambda lines: [line for line in lines if not line.startswith("pib.gov.in,")])
    with pytest.raises(DataValidationError, match=r"no grade for host 'pib\.gov\.in'"):
        graded(read_manifest(data_copy))


def test_labels_read_as_words() -> None:
    assert host_of("https://www.Business-Standard.com:443/x") == "business-standard.com"
    assert (
        readable_label("https://www.wionews.com/india-news/india-russia-trade-soared-1755709397140")
        == "India russia trade soared"
    )
    assert readable_label("https://x.org/a", "Annual report [title from URL slug]") == "Annual report"
    assert readable_label("https://x.org/a", "A headline its publisher cut...") == "A headline its publisher cut"
    assert readable_label("https://tass.com/economy/2034455") == "Page on tass.com"


def test_references_list_strongest_sources_first(cited: pd.DataFrame) -> None:
    references = reference_list(cited, {})
    ranks = references["grade"].map({grade: rank for rank, grade in enumerate(GRADES)})
    assert ranks.is_monotonic_increasing
    assert references["url"].is_unique


def test_rows_resting_on_mirrors_alone(cited: pd.DataFrame) -> None:
    rows = pd.DataFrame({"urls": [
        "https://wikizero.com/m/ALROSA",
        "https://wikizero.com/m/ALROSA | https://interfax.com/newsroom/top-stories/112396/",
    ]})
    assert list(resting_on_mirrors(rows, ["urls"], cited).index) == [0]
