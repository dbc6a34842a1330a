"""The USGS importer on every real MCS layout: cuts of USGS's own files, read and mapped.

Fixtures in ``tests/fixtures/usgs`` are byte copies of parts of real files (see its README): the
MCS 2026 flat data release (Windows-1252), MCS 2024 and 2023 per-commodity world files (UTF-8
with BOM). The 2025 world zip is built here in its published layout. Releases are served from
127.0.0.1 as a ScienceBase catalogue would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from mineral_report import load
from mineral_report.cli import main
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all
from mineral_report.refresh import RefreshError, usgs
from mineral_report.refresh.http import HttpClient
from mineral_report.refresh.usgs import layouts, mapping
from mineral_report.refresh.usgs.layouts import read_file
from mineral_report.refresh.usgs.mapping import value

from ..conftest import DATA, free_vintages
from .publisher_server import PublisherServer, Reply, publisher  # noqa: F401

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usgs"
FLAT_2026 = FIXTURES / "MCS2026_Commodities_Data_cut.csv"
ITEM = "5f0c0ffee0000000000c0de1"
TODAY = date(2027, 2, 1)
# The edition after the newest one in data/, so these tests still run after a real refresh.
NEXT = 1 + max(r.edition or 0 for r in read_manifest(DATA).resources if r.dataset == usgs.DATASET)
# The command line takes editions up to next year's; an edition already published gets the next free name.
CLI_EDITION = min(NEXT, date.today().year + 1)


def rows_of(path: Path, edition: int) -> pd.DataFrame:
    """A fixture read and mapped as the importer does, as a frame of the schema's strings."""
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    records = [record for file in files for record in read_file(file.read_bytes(), edition, file.name)]
    return pd.DataFrame(usgs.schema_rows(records, edition))


def only(table: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for column, wanted in where.items():
        mask &= table[column] == wanted
    assert mask.sum() == 1, (where, table[mask])
    return table[mask].iloc[0]


@pytest.fixture(scope="module")
def flat_2026() -> pd.DataFrame:
    return rows_of(FLAT_2026, 2026)


@pytest.fixture(scope="module")
def per_commodity_2024() -> pd.DataFrame:
    return rows_of(FIXTURES / "mcs2024", 2024)


# One real row per marker: (fixture, edition, commodity, measure, country_iso3, year) → imported
# (value, value_high, marker, is_estimate, is_rounded), as USGS prints it.
MARKER_SAMPLES = [
    pytest.param("flat", "rare-earths", "mine production", "RUS", "2025", ("2600", "", "", "true", "false"), id="estimated-2026"),
    pytest.param("flat", "lithium", "mine production", "USA", "2025", ("", "", "W", "false", "false"), id="withheld"),
    pytest.param("flat", "rare-earths", "reserves", "IND", "2025", ("", "", "NA", "false", "false"), id="not-available"),
    pytest.param("flat", "rare-earths", "mine production", "WLD", "2025", ("390000", "", "", "true", "true"), id="rounded-world-total"),
    pytest.param("flat", "rare-earths", "reserves", "WLD", "2025", ("85000000", "", ">", "false", "true"), id="lower-bound"),
    pytest.param("flat", "graphite", "reserves", "USA", "2025", ("", "", "Small", "false", "false"), id="s-is-small"),
    pytest.param("flat", "manganese", "reserves", "OTH", "2025", ("", "", "Small", "false", "false"), id="small"),
    pytest.param("flat", "potash", "reserves", "ISR", "2025", ("", "", "Large", "false", "false"), id="large"),
    pytest.param("2024", "rare-earths", "mine production", "RUS", "2023", ("2600", "", "", "true", "false"), id="estimated-2024"),
    pytest.param("2024", "platinum", "mine production", "RUS", "2022", ("20000", "", "", "true", "false"), id="estimate-mark-on-label"),
    pytest.param("2024", "gallium", "refinery production", "CHN", "2022", ("600000", "", "", "true", "false"), id="estimate-in-note"),
    pytest.param("2024", "gallium", "refinery production", "JPN", "2023", ("3000", "", "", "true", "false"), id="japane"),
    pytest.param("2024", "rare-earths", "reserves", "WLD", "2023", ("110000000", "", "", "false", "true"), id="rounded-world-total-2024"),
]  # fmt: skip


@pytest.mark.parametrize(("layout", "commodity", "measure", "iso3", "year", "expected"), MARKER_SAMPLES)
def test_real_rows_keep_their_markers(flat_2026, per_commodity_2024, layout, commodity, measure, iso3, year, expected) -> None:
    table = flat_2026 if layout == "flat" else per_commodity_2024
    row = only(table, commodity=commodity, measure=measure, country_iso3=iso3, year=year)
    assert (row["value"], row["value_high"], row["marker"], row["is_estimate"], row["is_rounded"]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [(3687, (330.0, 390.0, "range")), (8533, (10_000.0, 15_000.0, "range")), (6278, (200_000.0, None, "<"))],
)
def test_real_ranges_and_upper_bounds_are_read(line: int, expected: tuple[object, ...]) -> None:
    """Ranges ("330 - 390") and upper bounds ("<200,000") as USGS prints them in other chapters."""
    text = layouts.decode(FLAT_2026.read_bytes())
    printed = {int(r["line"]): r["Value"] for r in _numbered(text)}[line]
    cell = value(printed)
    assert cell is not None and (cell.value, cell.value_high, cell.marker) == expected
    assert value("500–16,000") == mapping.Value(500.0, 16_000.0, "range", False)


def _numbered(text: str) -> list[dict[str, str]]:
    """The cut's rows with the line number each had in the release file."""
    lines = [1, 2, *range(6071, 6125), 1860, 1874, 3003, 3687, 4236, 4248, 4260, 4629, 5819, 6278, 8533]
    rows = list(csv.DictReader(io.StringIO(text)))
    return [{**row, "line": str(n)} for n, row in zip(sorted(set(lines))[1:], rows, strict=True)]


def test_the_2026_release_keeps_world_tables_of_the_report(flat_2026) -> None:
    assert set(flat_2026["commodity"]) == {"rare-earths", "cobalt", "graphite", "lithium", "manganese", "potash"}
    rare_earths = flat_2026[flat_2026["commodity"] == "rare-earths"]
    assert len(rare_earths) == 54  # the whole table: 17 countries and world, 2024, 2025 and reserves
    brazil = only(flat_2026, commodity="rare-earths", measure="reserves", country_iso3="BRA")
    assert (brazil["value"], brazil["unit"], brazil["year"]) == ("21000000", "t", "2025")
    assert brazil["source_table"] == "MCS 2026, Rare earths, World Mine Production and Reserves"
    world = only(flat_2026, commodity="rare-earths", measure="reserves", country_iso3="WLD")
    assert (world["country"], world["basis"]) == ("World total", "Reserves")  # ": rounded" is is_rounded
    cobalt = only(flat_2026, commodity="cobalt", country_iso3="RUS", year="2025")
    assert (cobalt["value"], cobalt["is_estimate"]) == ("7700", "true")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_encodings_are_detected_not_assumed(flat_2026, tmp_path, encoding: str) -> None:
    text = FLAT_2026.read_bytes().decode("cp1252")
    assert "—" in text and "\u201c" in text  # real Windows-1252 dashes and quotes
    copy = tmp_path / FLAT_2026.name
    copy.write_bytes(text.encode(encoding))
    assert rows_of(copy, 2026).equals(flat_2026)


def test_2024_per_commodity_files(per_commodity_2024) -> None:
    cobalt = per_commodity_2024[(per_commodity_2024["commodity"] == "cobalt")
                                & (per_commodity_2024["measure"] == "mine production")]  # fmt: skip
    assert len(cobalt) > 20 and (cobalt["is_estimate"] == "true").all()  # both columns are Prod_t_est_
    pgm = per_commodity_2024[per_commodity_2024["measure"] == "reserves"]
    assert set(pgm.loc[pgm["country_iso3"] == "RUS", "commodity"]) >= {"platinum-group-metals"}
    assert "palladium" not in set(pgm["commodity"])  # its column says "included with platinum"
    world_pgm = only(per_commodity_2024, commodity="platinum-group-metals", country_iso3="WLD")
    assert (world_pgm["value"], world_pgm["unit"]) == ("71000000", "kg")
    iron = only(per_commodity_2024, commodity="iron-ore", measure="reserves", country_iso3="AUS",
                basis="Iron ore - mine production - usable ore -thousand metric tons")  # fmt: skip
    assert (iron["value"], iron["unit"]) == ("58000", "Mt")
    other = only(per_commodity_2024, commodity="gallium", measure="capacity", country_iso3="OTH")
    assert (other["country"], other["value"], other["is_estimate"]) == ("Other countries", "88000", "true")
    caledonia = per_commodity_2024[per_commodity_2024["country_iso3"] == "NCL"]
    assert set(caledonia["country"]) == {"New Caledonia"}  # footnote number removed


def test_2023_world_zip_of_per_commodity_files(tmp_path) -> None:
    archive = tmp_path / "world.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in sorted((FIXTURES / "mcs2023").iterdir()):
            zipped.writestr(f"world/{file.name}", file.read_bytes())
    table = rows_of(archive, 2023)
    assert set(table["commodity"]) == {"rare-earths", "ilmenite", "rutile", "titanium-minerals"}
    us_rutile = only(table, commodity="rutile", measure="reserves", country_iso3="USA")
    assert us_rutile["marker"] == "incl. elsewhere"  # "Included with ilmenite"


WORLD_DATA_HEADER = ["SOURCE", "COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS", "PROD_2023", "PROD_EST_ 2024",
                     "PROD_NOTES", "CAP_2023", " CAP_EST_ 2024", "CAP_NOTES", "RESERVES_2024", "RESERVE_NOTES"]  # fmt: skip
WORLD_DATA_ROWS = [
    ["MCS2025", "Rare earths", "Russiae", "Mine production", "metric tons", "2,500", "2,500", "", "", "", "", "3,800,000", ""],
    ["MCS2025", "Rare earths", "World total (rounded)", "Mine production", "metric tons", "376,000", "e390,000", "", "", "", "", ">90,000,000", ""],
    ["MCS2025", "Gemanium", "China", "Primary and secondary refinery production", "kilograms", "W", "W", "", "", "", "", "NA", ""],
    ["MCS2025", "Nickel", "Other", "Mine production", "metric tons", "440,000", "420,000", "", "", "", "", "9,000,000", ""],
    ["MCS2025", "Nickel", "Côte d’Ivoire", "Mine production", "metric tons", "—", "<1,000", "", "", "", "", "", ""],
]  # fmt: skip


def world_data_zip(rows: list[list[str]] = WORLD_DATA_ROWS) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([WORLD_DATA_HEADER, *rows])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("MCS2025_World_Data.csv", buffer.getvalue().encode("cp1252"))
        zipped.writestr("MCS2025_World_Data.xml", "<metadata/>")
    return archive.getvalue()


def test_2025_world_zip_layout(tmp_path) -> None:
    archive = tmp_path / "World_Data_Release_MCS_2025.zip"
    archive.write_bytes(world_data_zip())
    table = rows_of(archive, 2025)
    assert only(table, commodity="germanium", year="2024", measure="refinery production")["marker"] == "W"
    other = only(table, commodity="nickel", country_iso3="OTH", year="2024", measure="mine production")
    assert other["country"] == "Other"  # never GBR
    russia = only(table, commodity="rare-earths", country_iso3="RUS", measure="reserves")
    assert (russia["value"], russia["is_estimate"]) == ("3800000", "true")
    world = only(table, commodity="rare-earths", country_iso3="WLD", year="2024", measure="mine production")
    assert (world["value"], world["is_estimate"], world["is_rounded"]) == ("390000", "true", "true")
    upper = only(table, commodity="nickel", country_iso3="CIV", year="2024")
    assert (upper["value"], upper["marker"]) == ("1000", "<")


def test_every_mapping_entry_is_reviewed() -> None:
    for name in ("countries.csv", "commodities.csv", "units.csv", "values.csv", "notes.csv", "files.csv", "releases.csv"):
        assert all(row["reason"].strip() for row in mapping._table(name)), name
    for row in mapping._table("countries.csv"):
        assert row["iso3"] in {"WLD", "OTH"} or pycountry.countries.get(alpha_3=row["iso3"]), row
    assert mapping.country("Other").iso3 == "OTH"
    assert mapping.country("Chile") == mapping.Country("Chile", "CHL", False, False)
    assert mapping.country("Russiae") == mapping.Country("Russia", "RUS", False, True)
    assert mapping.country("Russia (recoverable)").iso3 == "RUS"
    assert mapping.country("New Caledonia (overseas territory of France)").iso3 == "NCL"
    assert mapping.commodity_rule("Gemanium", "Primary production").slug == "germanium"


@pytest.fixture
def client(publisher: PublisherServer) -> usgs.ScienceBaseClient:
    http = HttpClient(timeout=0.5, attempts=2, backoff_seconds=0.0, sleep=lambda seconds: None)
    return usgs.ScienceBaseClient(base_url=publisher.url, http=http)


def serve(publisher: PublisherServer, item: str, files: dict[str, bytes]) -> None:
    entries = [{"name": name, "url": f"{publisher.url}/files/{item}/{name}"} for name in files]
    publisher.on(f"/catalog/item/{item}", Reply(200, json.dumps({"id": item, "files": entries}).encode()))
    for name, content in files.items():
        publisher.on(f"/files/{item}/{name}", Reply(200, content))


def test_the_flat_release_is_downloaded_and_published_unpinned(data_copy, publisher, client) -> None:
    serve(publisher, ITEM, {f"MCS{NEXT}_Commodities_Data.csv": FLAT_2026.read_bytes(), "metadata.xml": b"<x/>"})
    before = read_manifest(data_copy).series[usgs.DATASET]
    resource = usgs.refresh(data_copy, NEXT, ITEM, pin=False, client=client, today=TODAY)
    assert resource.vintage == f"{NEXT}-release" and resource.raw["edition"] == NEXT
    found = read_manifest(data_copy)
    assert found.series[usgs.DATASET] == before
    assert validate_all(found) == []
    table = load(usgs.DATASET, f"{NEXT}-release", data_dir=data_copy)
    assert list(table.columns) == usgs.COLUMNS
    assert only(table, commodity="rare-earths", measure="reserves", country_iso3="BRA")["value"] == 21_000_000
    assert "SHA-256" in resource.raw["sources"][0]["retrieved_via"]


def test_2024_child_items_are_downloaded(data_copy, publisher, client) -> None:
    raw = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    raw["resources"] = [r for r in raw["resources"] if r["name"] != "usgs-mcs-world-2024-release"]
    raw["pinned"][usgs.DATASET][0] = "2024"
    (data_copy / "datapackage.json").write_text(json.dumps(raw), encoding="utf-8")
    shutil.rmtree(data_copy / "usgs-mcs" / "2024-release")
    children = {"c1": ["mcs2024-raree_world.csv", "mcs2024-plati_world.csv"], "c2": ["mcs2024-cobal_world.csv"]}
    publisher.on("/catalog/items", Reply(200, json.dumps({"items": [{"id": c} for c in children]}).encode()))
    for child, names in children.items():
        serve(publisher, child, {name: (FIXTURES / "mcs2024" / name).read_bytes() for name in names})
    usgs.refresh(data_copy, 2024, ITEM, pin=True, client=client, today=TODAY)
    table = load(usgs.DATASET, "2024-release", data_dir=data_copy)
    assert set(table["commodity"]) == {"rare-earths", "platinum", "palladium", "platinum-group-metals", "cobalt"}
    assert read_manifest(data_copy).series[usgs.DATASET][0] == "2024-release"


def test_a_local_file_is_imported_from_the_command_line(data_copy, capsys) -> None:
    expected = free_vintages(data_copy, usgs.DATASET, f"{CLI_EDITION}-release")[0]
    status = main(["--data-dir", str(data_copy), "refresh", "usgs", "--edition", str(CLI_EDITION), "--item", ITEM,
                   "--file", str(FLAT_2026)])  # fmt: skip
    assert status == 0, capsys.readouterr().err
    assert f"data/usgs-mcs/{expected}/world_production_reserves.csv" in capsys.readouterr().out
    assert validate_all(read_manifest(data_copy)) == []


def test_unknown_labels_stop_with_every_unknown_and_data_untouched(untouched, tmp_path, capsys) -> None:
    text = layouts.decode(FLAT_2026.read_bytes())
    text = (text.replace("RARE EARTHS,World Mine Production and Reserves,Rare Earths,Russia,", "RARE EARTHS,World Mine Production and Reserves,Rare Earths,Atlantis,", 1)
                .replace(",Thailand,", ",Lemuria4,", 1)
                .replace('"2,600"', '"about 2,600"', 1)
                .replace(",Rare Earths,Burma,", ",Unobtainium,Burma,", 1))  # fmt: skip
    broken = tmp_path / f"MCS{CLI_EDITION}_Commodities_Data.csv"
    broken.write_bytes(text.encode("cp1252"))
    status = main(["--data-dir", str(untouched), "refresh", "usgs", "--edition", str(CLI_EDITION), "--item", ITEM,
                   "--file", str(broken)])  # fmt: skip
    message = capsys.readouterr().err
    assert status == 1 and message.count("\n") == 1
    assert "unknown commodity(s): Unobtainium (Mine production)" in message
    assert "unknown country label(s): Atlantis; Lemuria" in message
    assert re.search(rf"MCS{CLI_EDITION}_Commodities_Data.csv, line \d+: 'about 2,600'", message)


def test_a_stray_edition_folder_is_refused_before_downloading(untouched, publisher, client) -> None:
    stray = untouched / "usgs-mcs" / f"{NEXT}-release"
    stray.mkdir(parents=True)
    try:
        with pytest.raises(RefreshError, match=f"usgs-mcs/{NEXT}-release already exists but the manifest does not list it"):
            usgs.refresh(untouched, NEXT, ITEM, pin=False, client=client, today=TODAY)
        assert publisher.requests == []
    finally:
        stray.rmdir()


def test_a_missing_release_file_lists_what_the_item_has(untouched, publisher, client) -> None:
    serve(publisher, ITEM, {"Something_else.csv": b""})
    with pytest.raises(RefreshError, match=f"has no file MCS{NEXT}_Commodities_Data.csv .files: Something_else.csv"):
        usgs.refresh(untouched, NEXT, ITEM, pin=False, client=client, today=TODAY)


def test_a_damaged_zip_is_named(untouched, tmp_path) -> None:
    damaged = tmp_path / "World_Data_Release_MCS_2025.zip"
    damaged.write_bytes(world_data_zip().replace(b"MCS2025_World_Data.csv", b"MCS2025_World_Data.cs_"))
    with pytest.raises(RefreshError, match="no MCS2025_World_Data.csv or mcs2025-<code>_world.csv"):
        rows_of(damaged, 2025)


def test_the_shipped_revision_changes_exactly_what_usgs_revised() -> None:
    released = load(usgs.DATASET, "2026-release")
    revised = load(usgs.DATASET, "2026-release-v1.3")
    key = ["commodity", "measure", "basis", "country", "year"]
    merged = released.merge(revised, on=key, suffixes=("", "_v13"))
    same = (merged["value"] == merged["value_v13"]) | (merged["value"].isna() & merged["value_v13"].isna())
    moved = merged[~same]
    assert len(merged) == len(released) == len(revised)
    assert moved[["country_iso3", "value", "value_v13"]].values.tolist() == [
        ["BRA", 21_000_000, 11_000_000], ["WLD", 85_000_000, 75_000_000]]
    entry = read_manifest(Path(usgs.__file__).resolve().parents[4] / "data").by_name("usgs-mcs-world-2026-release-v1.3").raw
    assert (entry["corrects"], entry["usgs_version"], entry["revised"]) == ("2026-release", "1.3", "2026-05-27")


def test_revisions_record_text_changes_without_figures() -> None:
    revisions = load(usgs.REVISIONS_DATASET)
    assert revisions.groupby("version").size().to_dict() == {"1.1": 3, "1.2": 1, "1.3": 2}
    text_only = revisions[revisions["version"].isin(["1.1", "1.2"])]
    assert text_only["before"].isna().all() and text_only["after"].isna().all()


def test_a_revision_that_does_not_match_the_vintage_stops(untouched) -> None:
    revision = {"edition": "2026", "version": "1.3", "date": "2026-05-27", "commodity": "rare-earths",
                "country": "Brazil", "country_iso3": "BRA", "measure": "reserves", "year": "2025",
                "before": "22,000,000", "after": "11,000,000", "unit": "t", "note": "x", "source": "x"}  # fmt: skip
    with pytest.raises(RefreshError, match="the vintage shows 21,000,000, the revision says before 22,000,000"):
        usgs.publish_correction(untouched, "2026-release", [revision], "1.3", pin=False, today=TODAY)


def test_the_2025_world_zip_is_downloaded(data_copy, publisher, client) -> None:
    serve(publisher, ITEM, {"World_Data_Release_MCS_2025.zip": world_data_zip()})
    resource = usgs.refresh(data_copy, 2025, ITEM, pin=False, client=client, today=TODAY)
    table = load(usgs.DATASET, resource.vintage, data_dir=data_copy)
    assert resource.vintage == "2025-release" and set(table["commodity"]) == {"rare-earths", "germanium", "nickel"}
    assert validate_all(read_manifest(data_copy)) == []
