"""What to watch: a status past its re-check date is never stated as current."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import mineral_report as report
from mineral_report import watch
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all

VINTAGE = "2026-12-01"  # watch-items and watch-sources


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    return report.load("watch-items", VINTAGE)


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return report.load("watch-sources", VINTAGE)


def test_the_required_items_are_on_the_list(items) -> None:
    topics = " ".join(items["topic"])
    for word in (
        "October 2025",
        "gallium",
        "annual summit",
        "magnet scheme",
        "Giredmet",
        "Russian oil",
        "Rosatom",
    ):
        assert word in topics
    assert (items["recheck_by"] >= items["last_checked"]).all()


def test_on_the_build_date_every_status_is_current(items, sources) -> None:
    table = watch.watch_table(items, sources, date(2026, 12, 1))
    assert not table["stale"].any()
    assert table["status"].str.endswith("checked 1 December 2026)").all()
    assert (
        "(latest source 7 November 2025; checked 1 December 2026)"
        in table.set_index("item_id").at["W01", "status"]
    )


def test_after_its_recheck_date_a_status_says_it_was_not_rechecked(items, sources) -> None:
    table = watch.watch_table(items, sources, date(2027, 1, 1)).set_index("item_id")
    assert table.at["W01", "stale"] and not table.at["W05", "stale"]
    assert table.at["W01", "status"].startswith("Not re-checked since 1 December 2026.")
    assert "(checked" not in table.at["W01", "status"]


def test_a_measure_that_ended_after_the_last_search_is_stale() -> None:
    item = pd.Series(
        {
            "recheck_by": pd.Timestamp("2026-12-31"),
            "expires": pd.Timestamp("2026-11-10"),
            "last_checked": pd.Timestamp("2026-11-01"),
            "status": "Suspended.",
            "status_as_of": pd.NaT,
        }
    )
    assert watch.is_stale(item, date(2026, 11, 20))
    assert not watch.is_stale(item, date(2026, 11, 5))
    assert watch.status_text(item, date(2026, 11, 20)) == (
        "Not re-checked since 1 November 2026. Last recorded status, which may no longer hold: Suspended."
    )


def test_every_item_has_a_source_and_every_source_an_item(items, sources) -> None:
    with pytest.raises(ValueError, match="watch-items-2026-12-01: items without a source: W01"):
        watch.watch_table(items, sources[sources["item_id"] != "W01"], date(2026, 12, 1))
    stray = pd.concat([sources, sources.head(1).assign(item_id="W99")], ignore_index=True)
    stray.attrs = dict(sources.attrs)
    with pytest.raises(
        ValueError,
        match=f"watch-sources-2026-12-01: line {len(sources) + 2}, column item_id: 'W99'",
    ):
        watch.watch_table(items, stray, date(2026, 12, 1))


def test_the_landing_list_links_its_sources(items, sources) -> None:
    text = watch.watch_html(watch.watch_table(items, sources, date(2026, 12, 1)))
    assert text.count("<li>") == len(items)
    assert '<a href="https://pib.gov.in/PressReleasePage.aspx?PRID=2261399">' in text
    assert "China&#x27;s October 2025 export controls" in text  # text is escaped


def test_the_build_date_can_be_fixed(monkeypatch) -> None:
    monkeypatch.setenv(watch.TODAY_VARIABLE, "2027-01-05")
    assert watch.build_date() == date(2027, 1, 5)


def test_a_recheck_date_that_is_not_a_date_fails_validation(edit_csv, data_copy) -> None:
    path = "watch/2026-12-01/watch_items.csv"
    edit_csv(
        path,
        lambda lines: [
            line.replace(",2026-12-31,", ",end of year,", 1) if line.startswith("W01,") else line
            for line in lines
        ],
    )
    problems = [str(p) for p in validate_all(read_manifest(data_copy))]
    assert any(p.startswith(f"data/{path}, row 2, column 'recheck_by'") for p in problems), problems
