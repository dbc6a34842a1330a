"""The edition series pin: the book reads exactly the pinned editions, and the last is current."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from mineral_report import load, load_series
from mineral_report.data.manifest import pin_vintage, read_manifest
from mineral_report.data.validate import validate_all

from ..conftest import DATA

USGS = "usgs-mcs-world"
SERIES = [str(v) for v in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["pinned"][USGS]]
CURRENT = read_manifest(DATA).resolve(USGS)  # the last pinned edition
NEXT = (CURRENT.edition or 0) + 1


def _russia_reserves(frame) -> float:
    rows = frame[
        (frame["commodity"] == "rare-earths") & (frame["measure"] == "reserves") & (frame["country_iso3"] == "RUS")
    ]
    return float(rows["value"].iloc[-1])


def _manifest(data_dir: Path) -> dict:
    return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))


def _write_manifest(data_dir: Path, raw: dict) -> None:
    (data_dir / "datapackage.json").write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _add_edition(data_dir: Path, edition: int, vintage: str, russia_reserves: int, corrects: str | None = None) -> None:
    """A new USGS vintage: the current edition's file renumbered, with Russia's reserves replaced."""
    with (data_dir / CURRENT.path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["edition"] = str(edition)
        if (row["commodity"], row["measure"], row["country_iso3"]) == ("rare-earths", "reserves", "RUS"):
            row["value"] = str(russia_reserves)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    relative = f"usgs-mcs/{vintage}/world_production_reserves.csv"
    (data_dir / relative).parent.mkdir(parents=True)
    content = buffer.getvalue().encode("utf-8")
    (data_dir / relative).write_bytes(content)
    raw = _manifest(data_dir)
    template = next(r for r in raw["resources"] if r["name"] == CURRENT.name)
    entry = {
        **template,
        "name": f"{USGS}-{vintage}",
        "vintage": vintage,
        "edition": edition,
        "path": relative,
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
    }
    entry.pop("corrects", None)
    if corrects:
        entry["corrects"] = corrects
    raw["resources"].append(entry)
    _write_manifest(data_dir, raw)


def test_the_series_is_pinned_and_the_last_edition_is_current() -> None:
    found = read_manifest(DATA)
    assert len(SERIES) >= 3 and found.series[USGS] == tuple(SERIES)
    assert found.pinned[USGS] == SERIES[-1]
    editions = [r.edition for r in found.pinned_series(USGS)]
    assert editions == sorted(editions) and editions[:3] == [2024, 2025, 2026]  # the editions first shipped
    assert load(USGS).attrs["vintage"] == SERIES[-1]
    assert list(dict.fromkeys(load_series(USGS)["vintage"])) == SERIES


def test_an_unpinned_newer_vintage_changes_nothing(data_copy: Path) -> None:
    before_current = load(USGS, data_dir=data_copy)
    before_series = load_series(USGS, data_dir=data_copy)
    _add_edition(data_copy, NEXT, str(NEXT), russia_reserves=9_100_000)
    assert validate_all(read_manifest(data_copy)) == []
    after_current = load(USGS, data_dir=data_copy)
    after_series = load_series(USGS, data_dir=data_copy)
    assert after_current.attrs["vintage"] == CURRENT.vintage
    assert after_current.equals(before_current)
    assert after_series.equals(before_series)
    assert str(NEXT) not in set(after_series["vintage"])


def test_pinning_a_new_edition_makes_it_current_and_setting_the_pin_back_restores_the_old(data_copy: Path) -> None:
    _add_edition(data_copy, NEXT, str(NEXT), russia_reserves=9_100_000)
    _write_manifest(data_copy, pin_vintage(_manifest(data_copy), USGS, str(NEXT)))
    assert _manifest(data_copy)["pinned"][USGS] == [*SERIES, str(NEXT)]
    assert validate_all(read_manifest(data_copy)) == []
    assert load(USGS, data_dir=data_copy).attrs["vintage"] == str(NEXT)
    assert _russia_reserves(load(USGS, data_dir=data_copy)) == 9_100_000
    assert list(dict.fromkeys(load_series(USGS, data_dir=data_copy)["vintage"])) == [*SERIES, str(NEXT)]

    raw = _manifest(data_copy)
    raw["pinned"][USGS] = SERIES
    _write_manifest(data_copy, raw)
    current = load(USGS, data_dir=data_copy)
    assert current.attrs["vintage"] == CURRENT.vintage
    assert set(current["edition"]) == {CURRENT.edition}
    assert _russia_reserves(current) == _russia_reserves(load(USGS, vintage=CURRENT.vintage))


def test_russia_reserves_in_mcs_2026() -> None:
    assert _russia_reserves(load(USGS, vintage="2026")) == 3_800_000


def test_a_correction_takes_the_place_of_its_edition_in_the_series(data_copy: Path) -> None:
    correction = f"{CURRENT.vintage}-v9"
    _add_edition(data_copy, CURRENT.edition, correction, russia_reserves=3_700_000, corrects=CURRENT.vintage)
    updated = pin_vintage(_manifest(data_copy), USGS, correction)
    assert updated["pinned"][USGS] == [*SERIES[:-1], correction]
    assert list(updated["pinned"]) == sorted(updated["pinned"])
    _write_manifest(data_copy, updated)
    assert validate_all(read_manifest(data_copy)) == []
    assert _russia_reserves(load(USGS, data_dir=data_copy)) == 3_700_000


def test_a_single_pin_is_replaced() -> None:
    raw = {"pinned": {"b": "1", "a": "old"}, "resources": []}
    assert pin_vintage(raw, "a", "new")["pinned"] == {"b": "1", "a": "new"}
    assert raw["pinned"]["a"] == "old"  # the caller's manifest is not changed


def test_a_vintage_without_edition_cannot_join_a_series(data_copy: Path) -> None:
    _add_edition(data_copy, NEXT, str(NEXT), russia_reserves=1)
    raw = _manifest(data_copy)
    del raw["resources"][-1]["edition"]
    with pytest.raises(ValueError, match=f"usgs-mcs-world {NEXT} carries no edition"):
        pin_vintage(raw, USGS, str(NEXT))


@pytest.mark.parametrize(
    ("pinned", "expected"),
    [
        (["2024", "2031", "2026"], "data/datapackage.json, column 'pinned': pinned vintage '2031' of 'usgs-mcs-world' is not in the manifest"),
        (["2024", "2026", "2025"], "data/datapackage.json, column 'pinned': pinned vintages of 'usgs-mcs-world' must be one per edition, ascending: 2024 (edition 2024), 2026 (edition 2026), 2025 (edition 2025)"),
        ([], "data/datapackage.json, column 'pinned': pinned vintages of 'usgs-mcs-world': the list is empty"),
    ],
)
def test_validation_names_a_broken_pin(data_copy: Path, pinned: list[str], expected: str) -> None:
    raw = _manifest(data_copy)
    raw["pinned"][USGS] = pinned
    _write_manifest(data_copy, raw)
    assert [str(p) for p in validate_all(read_manifest(data_copy))] == [expected]


def test_validation_names_a_series_member_without_edition_and_a_bad_correction(data_copy: Path) -> None:
    _add_edition(data_copy, NEXT, str(NEXT), russia_reserves=1, corrects=CURRENT.vintage)
    raw = _manifest(data_copy)
    del next(r for r in raw["resources"] if r["name"] == f"usgs-mcs-world-{SERIES[1]}")["edition"]
    _write_manifest(data_copy, raw)
    assert [str(p) for p in validate_all(read_manifest(data_copy))] == [
        f"data/datapackage.json, column 'pinned': 'usgs-mcs-world' is pinned as an edition series but {SERIES[1]}"
        " carries no integer 'edition'",
        f"data/datapackage.json, column 'corrects': resource 'usgs-mcs-world-{NEXT}' corrects '{CURRENT.vintage}',"
        " which is not a vintage of the same dataset and edition",
    ]
