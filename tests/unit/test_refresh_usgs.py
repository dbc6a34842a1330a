"""Refreshing USGS world data from a ScienceBase release: USGS's quirks read, faults refused.

The release zip is built here in the layout of ``World_Data_Release_MCS_<edition>.zip`` and
served from 127.0.0.1 with the catalogue item that points to it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mineral_report import load
from mineral_report.cli import main
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all
from mineral_report.refresh import RefreshError, usgs
from mineral_report.refresh.http import HttpClient
from mineral_report.refresh.usgs import ScienceBaseClient

from ..conftest import DATA
from .publisher_server import PublisherServer, Reply, publisher  # noqa: F401

# The next edition after the newest one in data/, so the test still runs after a real refresh.
LATEST = max(r.edition or 0 for r in read_manifest(DATA).resources if r.dataset == usgs.DATASET)
EDITION = LATEST + 1
ITEM = "5f0c0ffee0000000000c0de1"
NEW_FILE = f"usgs-mcs/{EDITION}/world_production_reserves.csv"
NBSP = "\xa0"
HEADER = [
    "SOURCE", "COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS", f"PROD_{EDITION - 2}", f"PROD_EST_ {EDITION - 1}",
    "PROD_NOTES", f"CAP_{EDITION - 2}", f" CAP_EST_ {EDITION - 1}", "CAP_NOTES", f"RESERVES_{EDITION - 1}", "RESERVE_NOTES",
]  # fmt: skip
RARE_EARTHS = "Mine production, rare-earth-oxide equivalent"
ROWS = [
    [f"MCS{EDITION}", "Rare earths", "United States", RARE_EARTHS, "metric tons", "45,000", "e51,000", "reported", "", "", "", "1,900,000", ""],
    [f"MCS{EDITION}", "Rare earths", f"Russiae{NBSP}", RARE_EARTHS, "metric tons", "2,500", "2,500", "", "", "", "", "3,800,000", "Ministry data"],
    [f"MCS{EDITION}", "Rare earths", "Burma9", RARE_EARTHS, "metric tons", "31,000", "W", "", "", "", "", "NA", ""],
    [f"MCS{EDITION}", "Rare earths", "Other countries", RARE_EARTHS, "metric tons", "—", "Included in World total.", "", "", "", "", "XX", ""],
    [f"MCS{EDITION}", "Rare earths", "World total (rounded)", RARE_EARTHS, "metric tons", "390,000", "400,000", "", "", "", "", ">90,000,000", ""],
    [f"MCS{EDITION}", "Nickel", "New Caledonia9", "Mine production, nickel content", "metric tons", f"110{NBSP}000", "100,000", "", "", "", "", "7,100,000", ""],
    [f"MCS{EDITION}", "Cobalt", "Congo (Kinshasa)", "Mine production, cobalt content", "metric tons", "220,000", "e230,000", "", "", "", "", "6,000,000", ""],
    [f"MCS{EDITION}", "Platinum-group metals", "South Africa", "Mine production: Palladium", "kilograms", "80,000", "78,000", "", "", "", "", "63,000,000", "PGM reserves"],
    [f"MCS{EDITION}", "Platinum-group metals", "South Africa", "Mine production: Platinum", "kilograms", "120,000", "115,000", "", "", "", "", "63,000,000", "PGM reserves"],
    [f"MCS{EDITION}", "Gallium", "Korea, Republic of", "Primary production, low purity", "kilograms", "—", "—", "", "3,000", "3,000", "idle", "", ""],
    [f"MCS{EDITION}", "Iron ore", "Australia", "Mine production, usable ore", "million metric tons", "930", "930", "", "", "", "", "58,000", ""],
]  # fmt: skip


def world_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def release(csv_bytes: bytes, member: str = f"MCS{EDITION}_World_Data.csv") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, csv_bytes)
        archive.writestr(f"MCS{EDITION}_World_Data.xml", "<metadata/>")
    return buffer.getvalue()


def serve_release(publisher: PublisherServer, zip_bytes: bytes, name: str = f"World_Data_Release_MCS_{EDITION}.zip") -> None:
    item = {
        "id": ITEM,
        "title": f"Mineral Commodity Summaries {EDITION} Data Release",
        "files": [
            {"name": f"MCS{EDITION}_Fig1.csv", "url": f"{publisher.url}/files/fig1.csv"},
            {"name": name, "url": f"{publisher.url}/files/release.zip", "size": len(zip_bytes)},
        ],
    }
    publisher.on(f"/catalog/item/{ITEM}", Reply(200, json.dumps(item).encode()))
    publisher.on("/files/release.zip", Reply(200, zip_bytes, {"Content-Type": "application/zip"}))


@pytest.fixture
def client(publisher: PublisherServer) -> ScienceBaseClient:
    http = HttpClient(timeout=0.5, attempts=2, backoff_seconds=0.0, sleep=lambda seconds: None)
    return ScienceBaseClient(base_url=publisher.url, http=http)



def refresh_fails(data_dir: Path, client: ScienceBaseClient, edition: int = EDITION) -> str:
    with pytest.raises(RefreshError) as raised:
        usgs.refresh(data_dir, edition, ITEM, pin=True, client=client, today=date(2027, 2, 1))
    return str(raised.value)


def published(data_copy: Path, publisher: PublisherServer, client: ScienceBaseClient, pin: bool = False) -> pd.DataFrame:
    serve_release(publisher, release(world_csv(ROWS)))
    usgs.refresh(data_copy, EDITION, ITEM, pin=pin, client=client, today=date(2027, 2, 1))
    return load(usgs.DATASET, vintage=str(EDITION), data_dir=data_copy)


def only(table: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    assert mask.sum() == 1, where
    return table[mask].iloc[0]


def test_release_becomes_a_validated_vintage_in_the_usgs_layout(data_copy, publisher, client) -> None:
    problems_before = [str(p) for p in validate_all(read_manifest(data_copy))]
    table = published(data_copy, publisher, client)

    found = read_manifest(data_copy)
    assert found.pinned[usgs.DATASET] == str(LATEST)  # not pinned without --pin
    assert [str(p) for p in validate_all(found)] == problems_before
    assert (data_copy / NEW_FILE).read_text().splitlines()[0] == ",".join(usgs.COLUMNS)
    schema_before = found.resolve(usgs.DATASET, str(LATEST)).raw["schema"]
    assert found.resolve(usgs.DATASET, str(EDITION)).raw["schema"] == schema_before
    assert publisher.requests[0].query == {"format": "json"}

    us = only(table, country_iso3="USA", measure="mine production", year=EDITION - 1)
    assert (us["value"], us["unit"], us["is_estimate"], us["note"]) == (51000, "t", True, "reported")
    assert only(table, country_iso3="USA", measure="mine production", year=EDITION - 2)["is_estimate"] == False  # noqa: E712
    russia = only(table, country_iso3="RUS", measure="reserves")
    assert (russia["country"], russia["value"], russia["is_estimate"]) == ("Russia", 3_800_000, True)
    assert only(table, country_iso3="MMR", year=EDITION - 1, measure="mine production")["marker"] == "W"
    assert only(table, country_iso3="MMR", measure="reserves")["marker"] == "NA"
    assert only(table, country_iso3="OTH", year=EDITION - 1, measure="mine production")["marker"] == "incl. in world"
    assert only(table, country_iso3="OTH", measure="reserves")["marker"] == "XX"
    zero = only(table, country_iso3="OTH", year=EDITION - 2, measure="mine production")
    assert zero["marker"] == "—" and pd.isna(zero["value"])
    world = only(table, country_iso3="WLD", measure="reserves")
    assert (world["marker"], world["value"], world["country"]) == (">", 90_000_000, "World total (rounded)")
    caledonia = only(table, country_iso3="NCL", year=EDITION - 2, measure="mine production")
    assert (caledonia["country"], caledonia["value"]) == ("New Caledonia", 110_000)
    assert only(table, country_iso3="COD", year=EDITION - 1, measure="mine production")["is_estimate"] == True  # noqa: E712


def test_commodities_are_mapped_and_others_dropped(data_copy, publisher, client) -> None:
    table = published(data_copy, publisher, client)
    assert set(table["commodity"]) == {
        "rare-earths", "nickel", "cobalt", "palladium", "platinum", "platinum-group-metals", "gallium",
    }  # fmt: skip
    assert "AUS" not in set(table["country_iso3"])  # iron ore is outside the report
    pgm = table[table["commodity"] == "platinum-group-metals"]
    assert pgm[["measure", "value", "unit"]].values.tolist() == [["reserves", 63_000_000, "kg"]]
    gallium = table[table["commodity"] == "gallium"].set_index(["measure", "year"])
    assert gallium.loc[("capacity", EDITION - 1), "value"] == 3000
    assert gallium.loc[("capacity", EDITION - 1), "note"] == "idle"
    assert gallium.loc[("refinery production", EDITION - 2), "marker"] == "—"


def test_pin_and_the_command_line(data_copy, publisher, monkeypatch, capsys) -> None:
    serve_release(publisher, release(world_csv(ROWS)))
    monkeypatch.setenv(usgs.BASE_URL_ENV, publisher.url)
    status = main(["--data-dir", str(data_copy), "refresh", "usgs", "--edition", str(EDITION), "--item", ITEM, "--pin"])
    assert status == 0, capsys.readouterr().err
    assert f"data/{NEW_FILE} (pinned)" in capsys.readouterr().out
    assert read_manifest(data_copy).pinned[usgs.DATASET] == str(EDITION)


def test_an_existing_edition_is_refused_before_downloading(untouched, publisher, client) -> None:
    assert f"usgs-mcs/{LATEST} already exists" in refresh_fails(untouched, client, edition=LATEST)
    assert publisher.requests == []


def test_unknown_countries_are_listed(untouched, publisher, client) -> None:
    rows = ROWS + [
        [*ROWS[0][:2], "Atlantis", *ROWS[0][3:]],
        [*ROWS[0][:2], "Lemuria4", *ROWS[0][3:]],
    ]
    serve_release(publisher, release(world_csv(rows)))
    assert "unknown country name(s): Atlantis, Lemuria4" in refresh_fails(untouched, client)


def test_unreadable_values_are_listed(untouched, publisher, client) -> None:
    rows = [[*ROWS[0][:5], "about 45,000", *ROWS[0][6:]]]
    serve_release(publisher, release(world_csv(rows)))
    assert f"Rare earths, United States, PROD_{EDITION - 2}: 'about 45,000'" in refresh_fails(untouched, client)


def test_a_changed_layout_names_the_missing_columns(untouched, publisher, client) -> None:
    header = [name.replace(f"RESERVES_{EDITION - 1}", f"RESERVES_EST_{EDITION - 1}") for name in HEADER]
    serve_release(publisher, release(world_csv(ROWS, header)))
    assert f"lacks column(s) RESERVES_{EDITION - 1}" in refresh_fails(untouched, client)


def test_a_missing_release_file_lists_what_the_item_has(untouched, publisher, client) -> None:
    serve_release(publisher, release(world_csv(ROWS)), name="Something_else.zip")
    message = refresh_fails(untouched, client)
    assert f"has no file World_Data_Release_MCS_{EDITION}.zip" in message
    assert f"MCS{EDITION}_Fig1.csv, Something_else.zip" in message


def test_a_zip_without_the_world_csv_is_named(untouched, publisher, client) -> None:
    serve_release(publisher, release(world_csv(ROWS), member=f"MCS{EDITION}_Salient.csv"))
    assert f"no MCS{EDITION}_World_Data.csv in the release zip" in refresh_fails(untouched, client)


@pytest.mark.parametrize("damage", [lambda z: b"<html>maintenance</html>", lambda z: z.replace(b"Cobalt", b"Kobalt")])
def test_a_download_that_is_not_a_sound_zip_is_named(untouched, publisher, client, damage) -> None:
    serve_release(publisher, damage(release(world_csv(ROWS))))
    assert "is not a sound zip archive" in refresh_fails(untouched, client)


def test_a_catalogue_outage_is_reported(untouched, publisher, client) -> None:
    publisher.on(f"/catalog/item/{ITEM}", Reply(502, b"Bad Gateway"))
    assert "HTTP 502" in refresh_fails(untouched, client)
