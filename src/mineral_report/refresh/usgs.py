"""USGS Mineral Commodity Summaries world data, from the edition's ScienceBase data release.

The release is a zip holding ``MCS<edition>_World_Data.csv``: one row per commodity, country and
type of production, with production for two years, capacity, reserves and notes. This module
reads it into the project's ``usgs-mcs-world`` layout, keeping USGS's markers as markers and
dropping commodities the report does not cover.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

from mineral_report.data.manifest import Resource
from mineral_report.refresh.errors import RefreshError
from mineral_report.refresh.http import HttpClient, path_segment
from mineral_report.refresh.vintage import (
    NewVintage,
    csv_bytes,
    ensure_unpublished,
    plain_number,
    publish,
)

BASE_URL_ENV = "SCIENCEBASE_BASE_URL"
DEFAULT_BASE_URL = "https://www.sciencebase.gov"
DATASET = "usgs-mcs-world"
SOURCE_FOLDER = "usgs-mcs"
FILE_NAME = "world_production_reserves.csv"
COLUMNS = [
    "edition", "commodity", "measure", "basis", "country", "country_iso3",
    "year", "value", "unit", "marker", "is_estimate", "note",
]  # fmt: skip


@dataclass(frozen=True)
class RowRule:
    """Which report commodity a USGS row belongs to, and what its production columns measure."""

    commodity: str  # USGS COMMODITY, compared case-insensitively
    type_contains: str  # a phrase of USGS TYPE that must appear ("" = any type)
    slug: str  # the report's commodity slug
    measure: str  # used when TYPE does not name mine, refinery or smelter production
    reserves_slug: str | None = None  # when reserves cover a wider group than production


# USGS COMMODITY (and TYPE) → the report's commodity slugs, first match wins. Rows of any other
# commodity are outside the report and dropped. Platinum-group-metal reserves are published for
# the group, so they go to one slug whichever metal's row carries them.
ROW_RULES: tuple[RowRule, ...] = (
    RowRule("rare earths", "", "rare-earths", "mine production"),
    RowRule("nickel", "", "nickel", "mine production"),
    RowRule("cobalt", "", "cobalt", "mine production"),
    RowRule("lithium", "", "lithium", "mine production"),
    RowRule("graphite", "", "graphite", "mine production"),
    RowRule("graphite (natural)", "", "graphite", "mine production"),
    RowRule("platinum-group metals", "palladium", "palladium", "mine production", "platinum-group-metals"),
    RowRule("platinum-group metals", "platinum", "platinum", "mine production", "platinum-group-metals"),
    RowRule("bauxite and alumina", "alumina", "alumina", "refinery production"),
    RowRule("bauxite and alumina", "bauxite", "bauxite", "mine production"),
    RowRule("bauxite", "", "bauxite", "mine production"),
    RowRule("alumina", "", "alumina", "refinery production"),
    RowRule("aluminum", "", "aluminum", "smelter production"),
    RowRule("titanium mineral concentrates", "ilmenite", "ilmenite", "mine production"),
    RowRule("titanium mineral concentrates", "rutile", "rutile", "mine production"),
    RowRule("titanium and titanium dioxide", "sponge", "titanium-sponge", "refinery production"),
    RowRule("tungsten", "", "tungsten", "mine production"),
    RowRule("gallium", "", "gallium", "refinery production"),
    RowRule("germanium", "", "germanium", "refinery production"),
    RowRule("vanadium", "", "vanadium", "mine production"),
    RowRule("copper", "", "copper", "mine production"),
    RowRule("antimony", "", "antimony", "mine production"),
    RowRule("diamond (industrial)", "", "industrial-diamond", "mine production"),
    RowRule("industrial diamond", "", "industrial-diamond", "mine production"),
)
MEASURE_IN_TYPE = (
    ("mine production", "mine production"),
    ("refinery production", "refinery production"),
    ("smelter production", "smelter production"),
)
# USGS UNIT_MEAS → the schema's unit codes.
UNITS = {
    "metric tons": "t",
    "thousand metric tons": "kt",
    "thousand metric dry tons": "kt",
    "kilograms": "kg",
    "million carats": "Mct",
}
MARKERS = ("W", "NA", "XX", "incl. in world", "incl. elsewhere", ">", "—")
DASHES = {"—", "–", "-", "--"}  # printed for zero in USGS's legend; kept as "—"
INCLUDED_IN_WORLD = "included in world total"

# USGS country names pycountry does not resolve, or resolves ambiguously.
COUNTRY_OVERRIDES = {
    "burma": "MMR",
    "congo (kinshasa)": "COD",
    "congo (brazzaville)": "COG",
    "korea, republic of": "KOR",
    "korea, north": "PRK",
    "russia": "RUS",
    "laos": "LAO",
    "iran": "IRN",
    "turkey": "TUR",
    "vietnam": "VNM",
    "bolivia": "BOL",
    "tanzania": "TZA",
    "taiwan": "TWN",
    "united states": "USA",
    "other countries": "OTH",
}
WORLD_TOTAL_PREFIX = "world total"
_FOOTNOTE = re.compile(r"[\s\d,]+$")

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "edition", "type": "integer", "description": "Edition of Mineral Commodity Summaries",
         "constraints": {"required": True, "minimum": 2020}},
        {"name": "commodity", "type": "string", "description": "Commodity, as a slug",
         "constraints": {"required": True,
                         "enum": list(dict.fromkeys(slug for rule in ROW_RULES
                                                    for slug in (rule.slug, rule.reserves_slug) if slug))}},
        {"name": "measure", "type": "string", "description": "What is measured",
         "constraints": {"required": True, "enum": [m for _, m in MEASURE_IN_TYPE] + ["reserves", "capacity"]}},
        {"name": "basis", "type": "string", "description": "USGS's TYPE: the measure and its basis",
         "constraints": {"required": True}},
        {"name": "country", "type": "string", "description": "Country as USGS prints it, markers removed",
         "constraints": {"required": True}},
        {"name": "country_iso3", "type": "string", "format": "iso3",
         "description": "ISO3 code; WLD = USGS world total; OTH = USGS 'other countries'",
         "constraints": {"required": True}},
        {"name": "year", "type": "integer", "description": "Data year",
         "constraints": {"required": True, "minimum": 2000}},
        {"name": "value", "type": "number", "description": "The figure; empty when USGS prints a marker",
         "constraints": {"minimum": 0}},
        {"name": "unit", "type": "string", "description": "t, kt, kg or Mct (million carats)",
         "constraints": {"required": True, "enum": sorted(set(UNITS.values()))}},
        {"name": "marker", "type": "string", "description": "USGS marker, kept as printed",
         "constraints": {"enum": list(MARKERS)}},
        {"name": "is_estimate", "type": "boolean", "description": "USGS marks the value as estimated",
         "constraints": {"required": True}},
        {"name": "note", "type": "string", "description": "USGS's notes on the row"},
    ],
    "primaryKey": ["edition", "commodity", "measure", "basis", "country", "year"],
}  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """One printed figure: a number, a marker, or both (">130,000,000")."""

    value: str
    marker: str
    estimated: bool


def parse_cell(raw: str) -> Cell | None:
    """A USGS cell as value + marker; None when empty; ValueError when unreadable."""
    text = " ".join(raw.replace("\xa0", " ").split())
    if not text:
        return None
    if text in {"W", "NA", "XX"}:
        return Cell("", text, False)
    if text in DASHES:
        return Cell("", "—", False)
    if text.lower().rstrip(".").startswith(INCLUDED_IN_WORLD):
        return Cell("", "incl. in world", False)
    estimated = text.startswith("e")
    number = text.removeprefix("e").strip()
    lower_bound = number.startswith(">")
    number = number.removeprefix(">").strip().replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d+(\.\d+)?", number):
        raise ValueError(raw)
    return Cell(plain_number(float(number)), ">" if lower_bound else "", estimated)


def resolve_country(printed: str) -> tuple[str, str, bool] | None:
    """(name without markers, ISO3, estimated) for a USGS country cell; None if unknown.

    Exact names are tried before fuzzy ones, and the name as printed before the name without a
    trailing estimate "e", so "Chile" stays Chile while "Russiae" becomes an estimated Russia.
    """
    name = _FOOTNOTE.sub("", " ".join(printed.replace("\xa0", " ").split()))
    candidates = [(name, False)]
    if name.endswith("e"):
        candidates.append((_FOOTNOTE.sub("", name[:-1]), True))
    for fuzzy in (False, True):
        for candidate, estimated in candidates:
            iso3 = _iso3(candidate, fuzzy)
            if iso3:
                return candidate, iso3, estimated
    return None


def _iso3(name: str, fuzzy: bool) -> str | None:
    lowered = name.lower()
    if not name:
        return None
    if lowered.startswith(WORLD_TOTAL_PREFIX):
        return "WLD"
    if lowered in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[lowered]
    try:
        if not fuzzy:
            return str(pycountry.countries.lookup(name).alpha_3)
        matches = pycountry.countries.search_fuzzy(name)
    except LookupError:
        return None
    return str(matches[0].alpha_3) if len(matches) == 1 else None


def _rule_for(commodity: str, row_type: str) -> RowRule | None:
    commodity = " ".join(commodity.lower().split())
    row_type = row_type.lower()
    for rule in ROW_RULES:
        if rule.commodity == commodity and rule.type_contains in row_type:
            return rule
    return None


def _measure(row_type: str, default: str) -> str:
    lowered = row_type.lower()
    return next((measure for phrase, measure in MEASURE_IN_TYPE if phrase in lowered), default)


def normalise_header(name: str) -> str:
    """USGS headers carry stray spaces ("PROD_EST_ 2025"): strip them all, upper-case."""
    return "".join(name.replace("\xa0", " ").split()).upper()


@dataclass(frozen=True)
class ValueColumn:
    header: str
    measure: str | None  # None: the row's production measure
    year: int
    estimated: bool
    notes: str


def value_columns(edition: int) -> tuple[ValueColumn, ...]:
    """Production and capacity for the two years before the edition, reserves at the last."""
    reported, estimated = edition - 2, edition - 1
    return (
        ValueColumn(f"PROD_{reported}", None, reported, False, "PROD_NOTES"),
        ValueColumn(f"PROD_EST_{estimated}", None, estimated, True, "PROD_NOTES"),
        ValueColumn(f"CAP_{reported}", "capacity", reported, False, "CAP_NOTES"),
        ValueColumn(f"CAP_EST_{estimated}", "capacity", estimated, True, "CAP_NOTES"),
        ValueColumn(f"RESERVES_{estimated}", "reserves", estimated, False, "RESERVE_NOTES"),
    )


def read_world_csv(text: str, edition: int) -> list[dict[str, str]]:
    """The release's CSV as rows of the project's schema; an error lists everything unreadable."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [normalise_header(name) for name in next(reader)]
    except StopIteration:
        raise RefreshError(f"MCS{edition}_World_Data.csv is empty") from None
    columns = value_columns(edition)
    needed = ["COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS", columns[0].header, columns[1].header,
              columns[4].header]  # fmt: skip
    missing = [name for name in needed if name not in header]
    if missing:
        raise RefreshError(
            f"MCS{edition}_World_Data.csv lacks column(s) {', '.join(missing)} "
            f"(it has {', '.join(header)}); is it the {edition} edition's file?"
        )
    records = [dict(zip(header, cells, strict=False)) for cells in reader if any(c.strip() for c in cells)]
    rows: list[dict[str, str]] = []
    unknown_countries: set[str] = set()
    unknown_units: set[str] = set()
    unreadable: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for record in records:
        rule = _rule_for(record.get("COMMODITY", ""), record.get("TYPE", ""))
        if rule is None:
            continue
        country = resolve_country(record.get("COUNTRY", ""))
        if country is None:
            unknown_countries.add(record.get("COUNTRY", "").strip())
            continue
        unit_text = " ".join(record.get("UNIT_MEAS", "").lower().split())
        unit = UNITS.get(unit_text)
        if unit is None:
            unknown_units.add(record.get("UNIT_MEAS", ""))
            continue
        for row in _rows_of(record, rule, country, unit, edition, columns, unreadable):
            identity = (row["commodity"], row["measure"], row["country"], row["year"], row["value"], row["marker"])
            if row["measure"] == "reserves" and identity in seen:
                continue  # group reserves repeated on each metal's row
            seen.add(identity)
            rows.append(row)
    problems = []
    if unknown_countries:
        problems.append(f"unknown country name(s): {', '.join(sorted(unknown_countries))}")
    if unknown_units:
        problems.append(f"unknown unit(s): {', '.join(sorted(unknown_units))}")
    if unreadable:
        problems.append(f"unreadable value(s): {'; '.join(unreadable[:10])}")
    if problems:
        raise RefreshError(f"MCS{edition}_World_Data.csv: " + "; ".join(problems))
    if not rows:
        raise RefreshError(f"no records for the report's commodities in MCS{edition}_World_Data.csv")
    return rows


def _rows_of(
    record: dict[str, str],
    rule: RowRule,
    country: tuple[str, str, bool],
    unit: str,
    edition: int,
    columns: Iterable[ValueColumn],
    unreadable: list[str],
) -> Iterator[dict[str, str]]:
    name, iso3, country_estimated = country
    row_type = " ".join(record.get("TYPE", "").split())
    for column in columns:
        raw = record.get(column.header, "")
        try:
            cell = parse_cell(raw)
        except ValueError:
            unreadable.append(f"{record.get('COMMODITY', '').strip()}, {name}, {column.header}: {raw!r}")
            continue
        if cell is None:
            continue
        slug = (rule.reserves_slug or rule.slug) if column.measure == "reserves" else rule.slug
        yield {
            "edition": str(edition),
            "commodity": slug,
            "measure": column.measure or _measure(row_type, rule.measure),
            "basis": row_type,
            "country": name,
            "country_iso3": iso3,
            "year": str(column.year),
            "value": cell.value,
            "unit": unit,
            "marker": cell.marker,
            "is_estimate": "true" if (column.estimated or cell.estimated or country_estimated) else "false",
            "note": " ".join(record.get(column.notes, "").replace("\xa0", " ").split()),
        }


def release_file_name(edition: int) -> str:
    return f"World_Data_Release_MCS_{edition}.zip"


def world_csv_from_zip(content: bytes, edition: int) -> str:
    """The text of ``MCS<edition>_World_Data.csv`` inside the release zip."""
    wanted = f"mcs{edition}_world_data.csv"
    damaged = f"the {release_file_name(edition)} download is not a sound zip archive"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            member = next((n for n in archive.namelist() if Path(n).name.lower() == wanted), None)
            if member is None:
                raise RefreshError(
                    f"no MCS{edition}_World_Data.csv in the release zip (it holds: "
                    f"{', '.join(archive.namelist()) or 'nothing'})"
                )
            raw = archive.read(member)
    except zipfile.BadZipFile as error:
        raise RefreshError(f"{damaged} ({error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # older releases were saved from Excel on Windows


@dataclass
class ScienceBaseClient:
    """Finds a data release's file on a ScienceBase catalogue item and downloads it."""

    base_url: str = DEFAULT_BASE_URL
    http: HttpClient = field(default_factory=HttpClient)

    @classmethod
    def from_environment(cls, http: HttpClient | None = None) -> ScienceBaseClient:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        return cls(base_url=base_url.rstrip("/"), http=http or HttpClient())

    def item_url(self, item_id: str) -> str:
        return f"{self.base_url}/catalog/item/{path_segment(item_id)}"

    def file_url(self, item_id: str, file_name: str) -> str:
        """The download address of ``file_name``, which may be on another host."""
        item = self.http.get_json(f"{self.item_url(item_id)}?format=json")
        files = item.get("files", []) if isinstance(item, dict) else []
        for entry in files:
            if entry.get("name") == file_name and entry.get("url"):
                return str(entry["url"])
        names = ", ".join(str(entry.get("name")) for entry in files) or "none"
        raise RefreshError(f"ScienceBase item {item_id} has no file {file_name} (files: {names})")


def refresh(
    data_dir: Path,
    edition: int,
    item_id: str,
    pin: bool,
    file_name: str | None = None,
    client: ScienceBaseClient | None = None,
    today: date | None = None,
) -> Resource:
    """Download one MCS edition's world data and publish it as vintage ``<edition>``."""
    client = client or ScienceBaseClient.from_environment()
    today = today or date.today()
    file_name = file_name or release_file_name(edition)
    vintage = str(edition)
    path = f"{SOURCE_FOLDER}/{vintage}/{FILE_NAME}"
    ensure_unpublished(data_dir, DATASET, vintage, path)
    file_url = client.file_url(item_id, file_name)
    release = client.http.get_bytes(file_url)
    rows = read_world_csv(world_csv_from_zip(release, edition), edition)
    commodities = sorted({row["commodity"] for row in rows})
    new = NewVintage(
        dataset=DATASET,
        vintage=vintage,
        path=path,
        content=csv_bytes(rows, COLUMNS),
        title=(
            f"USGS Mineral Commodity Summaries {edition}: world production and reserves "
            f"({len(commodities)} commodities)"
        ),
        description=(
            "World mine (and refinery or smelter) production, capacity and reserves by country, "
            f"from the MCS {edition} data release's world data file, with USGS's markers kept as "
            "markers. An estimate marker printed with a country name marks that row's figures as "
            "estimated."
        ),
        sources=(
            {
                "publisher": "U.S. Geological Survey, National Minerals Information Center",
                "title": f"Mineral Commodity Summaries {edition} Data Release, world data",
                "path": client.item_url(item_id),
                "table": f"{file_name}: MCS{edition}_World_Data.csv; commodities {', '.join(commodities)}",
                "retrieved": today.isoformat(),
            },
        ),
        licenses=({"name": "public-domain", "title": "U.S. Government work, public domain"},),
        schema=SCHEMA,
        edition=edition,
    )
    return publish(data_dir, new, pin=pin, accessed=today)
