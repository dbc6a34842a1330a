"""Comparing two vintages: exactly the rows added and removed and the values that changed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mineral_report.cli import main
from mineral_report.data.manifest import read_manifest
from mineral_report.refresh import RefreshError
from mineral_report.errata import REVISED_WORDING, errata, holds_working_notes
from mineral_report.refresh.diff import (
    as_markdown,
    as_text,
    consecutive_diffs,
    diff_vintages,
    revision_counts,
)
from mineral_report.refresh.vintage import NewVintage, csv_bytes, publish

DATASET = "india-trade-by-partner"
OLD = "2026-11-22"
NEW = "2099-01-01"
TRADE = f"dgcis-trade/{OLD}/india_trade_by_partner.csv"


def revise(data_dir: Path, change) -> None:
    """Publish a second vintage of the trade table with ``change`` applied to its rows."""
    text = (data_dir / TRADE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = change(list(reader))
    resource = read_manifest(data_dir).resolve(DATASET, OLD)
    new = NewVintage(
        dataset=DATASET,
        vintage=NEW,
        path=f"dgcis-trade/{NEW}/india_trade_by_partner.csv",
        content=csv_bytes(rows, reader.fieldnames or []),
        title=resource.title,
        description="",
        sources=resource.sources,
        licenses=resource.licenses,
        schema={},
    )
    publish(data_dir, new, pin=False)


def find(rows: list[dict[str, str]], year: str, partner: str) -> dict[str, str]:
    return next(r for r in rows if r["fiscal_year"] == year and r["partner_iso3"] == partner)


def one_of_each(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    find(rows, "2012-13", "CHN")["imports_usd_mn"] = "99999.5"
    find(rows, "2013-14", "CHN")["exports_usd_mn"] = str(float(find(rows, "2013-14", "CHN")["exports_usd_mn"]) * (1 + 1e-12))
    rows.remove(find(rows, "2009-10", "CHN"))
    rows.append({**rows[-1], "fiscal_year": "2030-31"})
    return rows


@pytest.fixture
def revised(data_copy: Path) -> Path:
    revise(data_copy, one_of_each)
    return data_copy


def test_added_removed_and_changed_rows_are_found(revised) -> None:
    found = diff_vintages(DATASET, OLD, NEW, data_dir=revised)

    assert found.key == ("fiscal_year", "partner_iso3")
    assert found.added[["fiscal_year"]].values.tolist() == [["2030-31"]]
    assert found.removed[["fiscal_year", "partner_iso3"]].values.tolist() == [["2009-10", "CHN"]]
    changed = found.changed.to_dict("records")
    assert len(changed) == 1  # the 1e-12 revision is within the tolerance
    assert changed[0]["fiscal_year"] == "2012-13"
    assert changed[0]["column"] == "imports_usd_mn"
    assert changed[0]["new"] == 99999.5


def test_a_zero_tolerance_reports_every_revision(revised) -> None:
    found = diff_vintages(DATASET, OLD, NEW, tolerance=0.0, data_dir=revised)
    assert sorted(found.changed["column"]) == ["exports_usd_mn", "imports_usd_mn"]


def test_text_and_markdown_reports(revised) -> None:
    found = diff_vintages(DATASET, OLD, NEW, data_dir=revised)
    text = as_text(found)
    assert "1 row(s) added, 1 removed, 1 value(s) changed" in text
    assert "fiscal_year=2012-13, partner_iso3=CHN: imports_usd_mn" in text and "→ 99,999.5" in text
    markdown = as_markdown(found)
    assert "### Changed values" in markdown
    assert "| fiscal_year | partner_iso3 | column | old | new |" in markdown
    assert "| 2012-13 | CHN | imports_usd_mn |" in markdown


def test_identical_vintages_differ_in_nothing(data_copy) -> None:
    revise(data_copy, lambda rows: rows)
    assert diff_vintages(DATASET, OLD, NEW, data_dir=data_copy).is_empty


def test_usgs_editions_are_matched_without_the_edition_wording(data_copy) -> None:
    found = diff_vintages("usgs-mcs-world", "2025", "2026", data_dir=data_copy)
    assert found.key == ("commodity", "measure", "country_iso3", "year", "basis")
    assert "basis" not in found.compared and "edition" not in found.compared
    assert "value" in found.compared


def test_a_basis_tells_rows_apart_only_where_usgs_gives_two(data_copy) -> None:
    found = diff_vintages("usgs-mcs-world", "2026-release", "2026-release-v1.3", data_dir=data_copy)
    assert found.added.empty and found.removed.empty  # iron ore's two bases matched, not re-added
    values = found.changed[found.changed["column"] == "value"]
    assert values[["country_iso3", "old", "new"]].values.tolist() == [
        ["BRA", 21_000_000, 11_000_000], ["WLD", 85_000_000, 75_000_000]]
    assert set(values["basis"]) == {""}  # one basis for rare-earth reserves: the key ignores its wording


def test_a_key_that_is_not_unique_is_refused(revised) -> None:
    with pytest.raises(RefreshError, match="do not identify the rows"):
        diff_vintages(DATASET, OLD, NEW, key=["partner_iso3"], data_dir=revised)


def test_the_command_line(revised, capsys) -> None:
    assert main(["--data-dir", str(revised), "diff", DATASET, OLD, NEW, "--markdown"]) == 0
    assert "### Added rows" in capsys.readouterr().out
    assert main(["--data-dir", str(revised), "diff", DATASET, OLD, "1999-01-01"]) == 1
    error = capsys.readouterr().err
    assert "has no vintage '1999-01-01'" in error and error.count("\n") == 1


def test_the_revision_history_separates_numbers_facts_and_citations(data_copy) -> None:
    history = consecutive_diffs(
        {"usgs-mcs-world": ["2026", "2024", "2025"], "organisations": ["2026-11-22", "2026-11-26"]},
        data_dir=data_copy,
    )
    assert [(d.dataset, d.old, d.new) for d in history] == [
        ("organisations", "2026-11-22", "2026-11-26"),
        ("usgs-mcs-world", "2024", "2025"),
        ("usgs-mcs-world", "2025", "2026"),
    ]
    counts = revision_counts(history)
    assert counts.loc[("organisations", "2026-11-22", "2026-11-26")].to_dict() == {
        "rows added": 0, "rows removed": 0, "values revised": 0, "other fields revised": 3, "citations revised": 6,
    }
    assert counts.loc[("usgs-mcs-world", "2025", "2026"), "values revised"] == 11


def test_the_errata_list_names_records_and_fields_as_readers_know_them(data_copy) -> None:
    corrections = errata(consecutive_diffs({"organisations": ["2026-11-22", "2026-11-26"]}, data_dir=data_copy))
    assert set(corrections["field"]) == {"US sanctions", "UK sanctions", "Ownership"}
    rosatom = corrections[corrections["record"] == "State Atomic Energy Corporation Rosatom"].iloc[0]
    assert "from 2023-04-12" in rosatom["before"] and "from 2023-02-24" in rosatom["after"]


def test_the_errata_list_prints_no_working_notes_and_no_empty_to_empty_change(data_copy) -> None:
    """The claims ledger's 2026-11-22 wording held a working note; events' empty end dates stayed empty."""
    diffs = consecutive_diffs({"claims-ledger": ["2026-11-22", "2026-11-26"],
                               "india-russia-events": ["2026-11-22", "2026-11-26"]}, data_dir=data_copy)
    corrections = errata(diffs)
    shown = " ".join(corrections[["record", "before", "after"]].to_numpy().ravel())
    assert not holds_working_notes(shown)
    assert (corrections["before"] == REVISED_WORDING).sum() >= 7
    assert "End date" not in set(corrections["field"])
    assert not corrections["record"].str.contains("00:00:00").any()


def test_watch_sources_are_matched_by_item_and_address() -> None:
    """The watch list re-checked on 2026-12-02 added three sources and changed none."""
    diff = consecutive_diffs({"watch-sources": ["2026-12-01", "2026-12-02"]})[0]
    assert diff.key == ("item_id", "url")
    assert sorted(diff.added["item_id"]) == ["W03", "W07", "W07"]
    assert diff.removed.empty and diff.changed.empty


def test_a_dataset_without_a_key_is_refused_with_its_name(data_copy) -> None:
    with pytest.raises(RefreshError, match="magnet-unit-value-basis has no primary key"):
        diff_vintages("magnet-unit-value-basis", "2026-12-01", "2026-12-01", data_dir=data_copy)


def test_working_notes_are_told_from_addresses_and_plain_text() -> None:
    assert holds_working_notes("edition=2025, commodity=rare-earths, measure=reserves")
    assert holds_working_notes("Treasury press release quoted in secondary sources, not read directly.")
    assert not holds_working_notes("https://chemindigest.com/?p=64824")
    assert not holds_working_notes("The PIB release itself could not be consulted.")
