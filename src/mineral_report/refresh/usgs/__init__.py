"""USGS Mineral Commodity Summaries world tables, from any edition's data release.

:mod:`.layouts` reads each real layout (2022–2024 per-commodity files, the 2025 world zip, the
2026+ flat file) into plain records; :mod:`.mapping` turns USGS's printed labels into the
schema's codes through reviewed tables. This module checks that every label is known, builds
the rows of ``usgs-mcs-world``, downloads releases from ScienceBase (or reads a local copy), and
publishes editions and USGS's own revisions of them as new vintages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from mineral_report.data.manifest import MANIFEST_NAME, Resource, pin_vintage
from mineral_report.refresh.errors import RefreshError
from mineral_report.refresh.http import HttpClient, path_segment
from mineral_report.refresh.usgs import mapping
from mineral_report.refresh.usgs.layouts import PER_COMMODITY_FILE, Record, read_file
from mineral_report.refresh.vintage import NewVintage, csv_bytes, ensure_unpublished, plain_number, publish

BASE_URL_ENV = "SCIENCEBASE_BASE_URL"
DEFAULT_BASE_URL = "https://www.sciencebase.gov"
DATASET = "usgs-mcs-world"
SOURCE_FOLDER = "usgs-mcs"
FILE_NAME = "world_production_reserves.csv"
COLUMNS = [
    "edition", "commodity", "measure", "basis", "country", "country_iso3", "year", "value",
    "value_high", "unit", "marker", "is_estimate", "is_rounded", "note", "source_table",
]  # fmt: skip
PRODUCTION_MEASURES = ("mine production", "refinery production", "smelter production")
PUBLISHER = "U.S. Geological Survey, National Minerals Information Center"
LICENCE = {"name": "public-domain", "title": "U.S. Government work, public domain"}

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "edition", "type": "integer", "description": "Edition of Mineral Commodity Summaries",
         "constraints": {"required": True, "minimum": 2020}},
        {"name": "commodity", "type": "string", "description": "Commodity, as a slug",
         "constraints": {"required": True, "enum": mapping.covered_slugs()}},
        {"name": "measure", "type": "string", "description": "What is measured",
         "constraints": {"required": True, "enum": [*PRODUCTION_MEASURES, "reserves", "capacity"]}},
        {"name": "basis", "type": "string", "description": "USGS's type of figure: the measure and its basis",
         "constraints": {"required": True}},
        {"name": "country", "type": "string", "description": "Country as USGS prints it, footnote and estimate marks removed",
         "constraints": {"required": True}},
        {"name": "country_iso3", "type": "string", "format": "iso3",
         "description": "ISO3 code; WLD = USGS world total; OTH = USGS 'other countries'",
         "constraints": {"required": True}},
        {"name": "year", "type": "integer", "description": "Data year",
         "constraints": {"required": True, "minimum": 2000}},
        {"name": "value", "type": "number", "description": "The figure (the low end of a range); empty when USGS prints only a marker",
         "constraints": {"minimum": 0}},
        {"name": "value_high", "type": "number", "description": "The high end of a printed range",
         "constraints": {"minimum": 0}},
        {"name": "unit", "type": "string", "description": "t, kt, kg, Mct (million carats) or Mt (million metric tons)",
         "constraints": {"required": True, "enum": mapping.unit_codes()}},
        {"name": "marker", "type": "string", "description": "USGS marker: W withheld, NA not available, XX not applicable, > lower bound, < upper bound, range, Large, Small, — zero, incl. in world / incl. elsewhere",
         "constraints": {"enum": mapping.markers()}},
        {"name": "is_estimate", "type": "boolean", "description": "USGS marks the value as estimated",
         "constraints": {"required": True}},
        {"name": "is_rounded", "type": "boolean", "description": "A total USGS rounded",
         "constraints": {"required": True}},
        {"name": "note", "type": "string", "description": "USGS's notes on the figure"},
        {"name": "source_table", "type": "string", "description": "Edition, chapter and table the figure is printed in",
         "constraints": {"required": True}},
    ],
    "primaryKey": ["edition", "commodity", "measure", "basis", "country", "year"],
}  # fmt: skip


def _measure(record: Record, rule: mapping.CommodityRule) -> str:
    if record.statistic != "production":
        return record.statistic
    detail = mapping.key(record.detail)
    return next((measure for measure in PRODUCTION_MEASURES if measure in detail), rule.measure)


def schema_rows(records: Iterable[Record], edition: int) -> list[dict[str, str]]:
    """The records of the report's commodities as rows; every unknown label stops the import.

    The error lists all unknown commodity names, country labels, units and value forms at once,
    so one run tells a maintainer every entry the mapping tables need.
    """
    rows: list[dict[str, str]] = []
    unknown: dict[str, set[str]] = {"commodity": set(), "country label": set(), "unit": set()}
    unreadable: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for record in records:
        rule = mapping.commodity_rule(record.commodity, record.detail)
        if rule is None:
            unknown["commodity"].add(f"{mapping.clean(record.commodity)} ({mapping.clean(record.detail)})")
            continue
        slug = rule.slug
        if record.statistic == "reserves" and rule.reserves_slug:
            slug = "" if rule.reserves_slug == "-" else rule.reserves_slug
        if not slug:
            continue  # outside the report, or not a figure: the table says why
        country = mapping.country(record.country)
        unit = mapping.unit(record.unit)
        if country is None:
            unknown["country label"].add(mapping.clean(record.country))
        if unit is None:
            unknown["unit"].add(mapping.clean(record.unit))
        try:
            cell = mapping.value(record.value)
        except ValueError:
            unreadable.append(f"{record.where}: {record.value!r}")
            continue
        if cell is None or country is None or unit is None:
            continue
        row = {
            "edition": str(edition), "commodity": slug, "measure": _measure(record, rule),
            "basis": mapping.clean(record.detail), "country": country.name, "country_iso3": country.iso3,
            "year": str(record.year),
            "value": "" if cell.value is None else plain_number(cell.value),
            "value_high": "" if cell.value_high is None else plain_number(cell.value_high),
            "unit": unit, "marker": cell.marker,
            "is_estimate": _bool(record.estimated or country.estimated or cell.estimated),
            "is_rounded": _bool(record.rounded or country.is_rounded),
            "note": record.note, "source_table": record.source_table,
        }  # fmt: skip
        identity = tuple(row[c] for c in ("commodity", "measure", "basis", "country", "year"))
        if identity in seen:
            continue  # one figure printed twice (2025: group reserves on each metal's row)
        seen.add(identity)
        rows.append(row)
    problems = [f"unknown {what}(s): {'; '.join(sorted(labels))}" for what, labels in unknown.items() if labels]
    if unreadable:
        problems.append(f"unreadable value(s): {'; '.join(unreadable[:10])}")
    if problems:
        raise RefreshError(f"MCS {edition}: " + " | ".join(problems) + " (add them to the mapping tables); data/ is unchanged")
    if not rows:
        raise RefreshError(f"MCS {edition}: no world-table records of the report's commodities")
    return rows


def _bool(flag: bool) -> str:
    return "true" if flag else "false"


@dataclass(frozen=True)
class Release:
    edition: int
    doi: str
    title: str


@cache
def releases() -> dict[int, Release]:
    text = resources.files(__package__).joinpath("releases.csv").read_text(encoding="utf-8")
    return {int(r["edition"]): Release(int(r["edition"]), r["doi"], r["title"]) for r in csv.DictReader(text.splitlines())}


def default_file_name(edition: int) -> str:
    """The release's world-data file on its ScienceBase item, by layout."""
    if edition >= 2026:
        return f"MCS{edition}_Commodities_Data.csv"
    if edition == 2025:
        return f"World_Data_Release_MCS_{edition}.zip"
    if edition == 2024:
        return f"mcs{edition}-*_world.csv"  # one per child item
    return "world.zip"


@dataclass
class ScienceBaseClient:
    """Finds a data release's files on a ScienceBase catalogue item (or its child items)."""

    base_url: str = DEFAULT_BASE_URL
    http: HttpClient = field(default_factory=HttpClient)

    @classmethod
    def from_environment(cls, http: HttpClient | None = None) -> ScienceBaseClient:
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        return cls(base_url=base_url.rstrip("/"), http=http or HttpClient())

    def item_url(self, item_id: str) -> str:
        return f"{self.base_url}/catalog/item/{path_segment(item_id)}"

    def _files(self, item_id: str) -> list[dict[str, Any]]:
        item = self.http.get_json(f"{self.item_url(item_id)}?format=json")
        return list(item.get("files", [])) if isinstance(item, dict) else []

    def file_url(self, item_id: str, file_name: str) -> str:
        """The download address of ``file_name``, which may be on another host."""
        files = self._files(item_id)
        for entry in files:
            if entry.get("name") == file_name and entry.get("url"):
                return str(entry["url"])
        names = ", ".join(str(entry.get("name")) for entry in files) or "none"
        raise RefreshError(f"ScienceBase item {item_id} has no file {file_name} (files: {names})")

    def child_file_urls(self, item_id: str, edition: int) -> list[tuple[str, str]]:
        """(name, address) of every ``mcs<edition>-<code>_world.csv`` on the item's child items."""
        listing = self.http.get_json(f"{self.base_url}/catalog/items?parentId={item_id}&format=json&max=1000")
        children = listing.get("items", []) if isinstance(listing, dict) else []
        found = [
            (str(entry["name"]), str(entry["url"]))
            for child in children for entry in self._files(str(child.get("id")))
            if PER_COMMODITY_FILE.search(str(entry.get("name", ""))) and entry.get("url")
            and str(edition) in str(entry["name"])
        ]  # fmt: skip
        if not found:
            raise RefreshError(f"no mcs{edition}-<code>_world.csv on the child items of ScienceBase item {item_id}")
        return sorted(found)


def _download(client: ScienceBaseClient, item_id: str, edition: int, file_name: str | None) -> list[tuple[str, bytes]]:
    if file_name is None and edition == 2024:
        return [(name, client.http.get_bytes(url)) for name, url in client.child_file_urls(item_id, edition)]
    name = file_name or default_file_name(edition)
    return [(name, client.http.get_bytes(client.file_url(item_id, name)))]


def _local(path: Path) -> list[tuple[str, bytes]]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if PER_COMMODITY_FILE.search(p.name))
        if not files:
            raise RefreshError(f"{path} holds no mcs<edition>-<code>_world.csv file")
        return [(p.name, p.read_bytes()) for p in files]
    return [(path.name, path.read_bytes())]


def refresh(
    data_dir: Path,
    edition: int,
    item_id: str,
    pin: bool,
    file_name: str | None = None,
    client: ScienceBaseClient | None = None,
    today: date | None = None,
    obtained: str | None = None,
    caveat: str | None = None,
) -> Resource:
    """Import one MCS edition's world tables as vintage ``<edition>-release``.

    ``file_name`` is a file on the ScienceBase item, or the path of a local copy (a file, or a
    folder of per-commodity CSVs); ``obtained`` says how a local copy was obtained and
    ``caveat`` what the release does not cover.
    """
    client = client or ScienceBaseClient.from_environment()
    today = today or date.today()
    vintage = f"{edition}-release"
    path = f"{SOURCE_FOLDER}/{vintage}/{FILE_NAME}"
    ensure_unpublished(data_dir, DATASET, vintage, path)
    local = Path(file_name) if file_name and Path(file_name).exists() else None
    files = _local(local) if local else _download(client, item_id, edition, file_name)
    rows = schema_rows((record for name, raw in files for record in read_file(raw, edition, name)), edition)
    commodities = sorted({row["commodity"] for row in rows})
    release = releases().get(edition)
    digests = "; ".join(f"{name} SHA-256 {hashlib.sha256(raw).hexdigest()}" for name, raw in files[:3])
    source = {
        "publisher": PUBLISHER,
        "title": release.title if release else f"Mineral Commodity Summaries {edition} Data Release",
        "path": release.doi if release else client.item_url(item_id),
        "item": client.item_url(item_id),
        "table": f"world tables ({files[0][0] if len(files) == 1 else f'mcs{edition}-<code>_world.csv, {len(files)} files'}); "
                 f"commodities {', '.join(commodities)}",
        "retrieved": today.isoformat(),
        "retrieved_via": obtained or ("local copy" if local else f"ScienceBase item {item_id}") + f" ({digests})",
        **({"caveat": caveat} if caveat else {}),
    }  # fmt: skip
    new = NewVintage(
        dataset=DATASET,
        vintage=vintage,
        path=path,
        content=csv_bytes(rows, COLUMNS),
        title=f"USGS Mineral Commodity Summaries {edition}: world production, reserves and capacity "
              f"({len(commodities)} commodities, official data release)",
        description=(
            "World mine, refinery and smelter production, capacity and reserves by country, read "
            f"through the project's importer from the MCS {edition} data release. USGS's markers "
            "are kept: withheld (W), not available (NA), lower and upper bounds, ranges (value and "
            "value_high), estimates and rounded world totals."
        ),
        sources=(source,),
        licenses=(LICENCE,),
        schema=SCHEMA,
        edition=edition,
    )
    return publish(data_dir, new, pin=pin, accessed=today)


def annotate(data_dir: Path, name: str, extra: dict[str, Any], pin: bool = False) -> Resource:
    """Add facts (what a correction corrects) to a resource's manifest entry, and pin it, atomically."""
    manifest_path = data_dir / MANIFEST_NAME
    raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = next(r for r in raw["resources"] if r["name"] == name)
    entry.update(extra)
    if pin:
        raw = pin_vintage(raw, entry["dataset"], entry["vintage"])
    staged = manifest_path.with_name(f".{MANIFEST_NAME}.annotate")
    staged.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(staged, manifest_path)
    return Resource.from_json(entry)


REVISIONS_DATASET = "usgs-mcs-revisions"
REVISION_COLUMNS = [
    "edition", "version", "date", "commodity", "country", "country_iso3", "measure", "year",
    "before", "after", "unit", "note", "source",
]  # fmt: skip


def _printed(row: dict[str, str]) -> str:
    """A row's figure as USGS prints it (">85,000,000"), to compare with a revision's "before"."""
    if not row["value"]:
        return row["marker"]
    number = f"{float(row['value']):,.0f}" if float(row["value"]).is_integer() else row["value"]
    return f"{row['marker']}{number}" if row["marker"] in {">", "<"} else number


def corrected_rows(rows: list[dict[str, str]], revisions: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with each revision's "after" in place of its "before"; a mismatch stops.

    Revisions without a before and after (text or footnote changes) change no figure.
    """
    corrected = [dict(row) for row in rows]
    for change in revisions:
        if not change["after"]:
            continue
        target = [
            row for row in corrected
            if (row["edition"], row["commodity"], row["measure"], row["country_iso3"], row["year"])
            == (change["edition"], change["commodity"], change["measure"], change["country_iso3"], change["year"])
        ]  # fmt: skip
        where = f"revision {change['version']} of MCS {change['edition']}, {change['commodity']}, {change['country']}"
        if len(target) != 1:
            raise RefreshError(f"{where}: {len(target)} rows match (expected one)")
        row = target[0]
        if _printed(row) != change["before"]:
            raise RefreshError(f"{where}: the vintage shows {_printed(row)}, the revision says before {change['before']}")
        cell = mapping.value(change["after"])
        assert cell is not None
        row.update(
            value="" if cell.value is None else plain_number(cell.value),
            value_high="" if cell.value_high is None else plain_number(cell.value_high),
            marker=cell.marker,
            note=" ".join(filter(None, [row["note"], f"Revised by USGS in version {change['version']} "
                                        f"({change['date']}): {change['before']} to {change['after']}."])),
        )  # fmt: skip
    return corrected


def publish_correction(
    data_dir: Path,
    base_vintage: str,
    revisions: list[dict[str, str]],
    version: str,
    pin: bool,
    today: date | None = None,
) -> Resource:
    """Publish ``<base_vintage>-v<version>``: the base vintage with USGS's revisions up to ``version``."""
    from mineral_report.data.manifest import read_manifest

    today = today or date.today()
    manifest = read_manifest(data_dir)
    base = manifest.resolve(DATASET, base_vintage)
    rows = list(csv.DictReader(io.StringIO(manifest.file(base).read_text(encoding="utf-8"))))
    edition = rows[0]["edition"]
    applied = [r for r in revisions if r["edition"] == edition and _version(r["version"]) <= _version(version)]
    latest = [r for r in applied if r["version"] == version]
    if not latest:
        raise RefreshError(f"no revision {version} of MCS {edition} in the revisions given")
    vintage = f"{base_vintage}-v{version}"
    new = NewVintage(
        dataset=DATASET,
        vintage=vintage,
        path=f"{SOURCE_FOLDER}/{vintage}/{FILE_NAME}",
        content=csv_bytes(corrected_rows(rows, applied), COLUMNS),
        title=f"{base.title.split(':')[0]}, version {version} ({latest[0]['date']}): USGS's revision applied",
        description=f"{base.raw['description']} USGS revised the edition after publication; this vintage "
                    f"carries every figure USGS changed up to version {version}, each with a note saying what moved.",
        sources=(*base.raw["sources"], {
            "publisher": PUBLISHER,
            "title": f"Revision history of Mineral Commodity Summaries {edition} (versionHist.txt)",
            "path": base.raw["sources"][0].get("path", ""),
            "table": "; ".join(sorted({r["source"] for r in latest})),
        }),
        licenses=(LICENCE,),
        schema=SCHEMA,
        edition=int(edition),
    )  # fmt: skip
    resource = publish(data_dir, new, pin=False, accessed=today)
    return annotate(data_dir, resource.name, {
        "corrects": base_vintage, "usgs_version": version, "revised": latest[0]["date"],
        "revision_note": " ".join(r["note"] for r in latest if r["after"]),
    }, pin=pin)  # fmt: skip


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


REVISIONS_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "edition", "type": "integer", "description": "Edition of Mineral Commodity Summaries revised",
         "constraints": {"required": True, "minimum": 2020}},
        {"name": "version", "type": "string", "description": "USGS's version of the edition that made the change",
         "constraints": {"required": True, "pattern": r"\d+\.\d+"}},
        {"name": "date", "type": "date", "description": "Date USGS reposted the edition", "constraints": {"required": True}},
        {"name": "commodity", "type": "string", "description": "Commodity (slug) of the chapter revised",
         "constraints": {"required": True}},
        {"name": "country", "type": "string", "description": "Country of the figure revised, as USGS prints it"},
        {"name": "country_iso3", "type": "string", "format": "iso3", "description": "ISO3; WLD = world total"},
        {"name": "measure", "type": "string", "description": "Measure of the figure revised"},
        {"name": "year", "type": "integer", "description": "Data year of the figure revised"},
        {"name": "before", "type": "string", "description": "The figure before, as printed; empty when no figure changed"},
        {"name": "after", "type": "string", "description": "The figure after, as printed; empty when no figure changed"},
        {"name": "unit", "type": "string", "description": "Unit of the figure"},
        {"name": "note", "type": "string", "description": "What USGS changed", "constraints": {"required": True}},
        {"name": "source", "type": "string", "description": "Where USGS records the change", "constraints": {"required": True}},
    ],
    "primaryKey": ["edition", "version", "commodity", "country", "measure", "note"],
}  # fmt: skip


def publish_revisions(data_dir: Path, rows: list[dict[str, str]], source: dict[str, Any], today: date) -> Resource:
    """Publish USGS's revisions of its editions, transcribed from its revision histories."""
    vintage = today.isoformat()
    new = NewVintage(
        dataset=REVISIONS_DATASET, vintage=vintage, path=f"usgs-mcs-revisions/{vintage}/revisions.csv",
        content=csv_bytes(rows, REVISION_COLUMNS),
        title="USGS's own revisions of Mineral Commodity Summaries editions after publication",
        description="Each change USGS made to an edition after first posting it, with its version and date: "
                    "figures changed (before and after, as printed) and changes of footnotes or text "
                    "that moved no figure (before and after empty).",
        sources=(source,), licenses=(LICENCE,), schema=REVISIONS_SCHEMA,
    )  # fmt: skip
    return publish(data_dir, new, pin=True, accessed=today)
