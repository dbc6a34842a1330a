"""Readers for every layout of the MCS world tables, each yielding the same plain records.

- 2022–2024: one CSV per commodity, ``mcs<edition>-<code>_world.csv`` (in a ``world.zip`` for
  2022 and 2023, as child items of the release for 2024); units and estimate marks sit in the
  column names (``Prod_kt_est_2023``, ``Reserves_mt``).
- 2025: ``World_Data_Release_MCS_2025.zip`` holding ``MCS2025_World_Data.csv``, one row per
  commodity, country and type, with stray spaces in headers (``PROD_EST_ 2024``).
- 2026 on: one flat long CSV of every chapter's tables, ``MCS<edition>_Commodities_Data.csv``,
  one value per row; estimates are the note "Estimated.", rounded totals the detail ": rounded".

Bytes are decoded by detection: a UTF-8 byte-order mark, else strict UTF-8, else Windows-1252
(the encoding of USGS's real files).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from mineral_report.refresh.errors import RefreshError
from mineral_report.refresh.usgs.mapping import clean, commodity_of_file_code, estimated_years, key

PER_COMMODITY_FILE = re.compile(r"mcs(?P<edition>\d{4})-(?P<code>[a-z0-9-]+)_world\.csv$", re.IGNORECASE)
_VALUE_COLUMN = re.compile(r"^(?P<kind>prod|cap|reserves)_(?P<middle>.+?)(?:_(?P<year>\d{4}))?$")
_ROUNDED = re.compile(r"[:,]?\s*\(?rounded\)?\.?$", re.IGNORECASE)
STATISTICS = {"production": "production", "reserves": "reserves", "capacity": "capacity"}
KINDS = {"prod": "production", "cap": "capacity", "reserves": "reserves"}


@dataclass(frozen=True)
class Record:
    """One printed figure of a USGS world table, before any label is mapped."""

    commodity: str  # USGS's commodity name
    detail: str  # USGS's type of figure: the basis
    statistic: str  # production, reserves or capacity
    country: str  # as printed
    unit: str  # as printed
    year: int
    value: str  # as printed
    note: str
    estimated: bool  # marked estimated by the layout itself (column name, "Estimated." note)
    rounded: bool  # the type says the figure is rounded
    source_table: str
    where: str  # file and line, for messages


def decode(raw: bytes) -> str:
    """Text of a USGS file: UTF-8 (with or without BOM) when it is valid UTF-8, else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def basis_and_rounding(detail: str) -> tuple[str, bool]:
    """USGS's type without its ", rounded" suffix, so a world total shares its countries' basis."""
    text = clean(detail)
    stripped = _ROUNDED.sub("", text).strip()
    return stripped or text, stripped != text


def _header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)), [])


def read_flat(text: str, edition: int, file_name: str) -> Iterator[Record]:
    """The 2026+ flat file: keep the world tables (sections starting "World")."""
    reader = csv.DictReader(io.StringIO(text))
    needed = {"MCS chapter", "Section", "Commodity", "Country", "Statistics", "Statistics_detail",
              "Unit", "Year", "Value", "Notes"}  # fmt: skip
    missing = sorted(needed - set(reader.fieldnames or ()))
    if missing:
        raise RefreshError(f"{file_name} lacks column(s) {', '.join(missing)}")
    for line, row in enumerate(reader, start=2):
        section = clean(row["Section"]).rstrip(":")
        if not key(section).startswith("world"):
            continue
        where = f"{file_name}, line {line}"
        statistic = STATISTICS.get(key(row["Statistics"]))
        if statistic is None:
            raise RefreshError(f"{where}, column Statistics: unknown statistic {row['Statistics']!r}")
        try:
            year = int(row["Year"])
        except ValueError:
            raise RefreshError(f"{where}, column Year: {row['Year']!r} is not a year") from None
        basis, rounded = basis_and_rounding(row["Statistics_detail"])
        estimated, _ = estimated_years(row["Notes"] or "")
        yield Record(
            commodity=row["Commodity"], detail=basis, statistic=statistic, country=row["Country"],
            unit=row["Unit"], year=year, value=row["Value"], note=clean(row["Notes"] or ""),
            estimated=estimated, rounded=rounded,
            source_table=f"MCS {edition}, {clean(row['MCS chapter']).capitalize()}, {section}",
            where=where,
        )  # fmt: skip


def normalise_header(name: str) -> str:
    """USGS headers carry stray spaces ("PROD_EST_ 2025"): strip them all, upper-case."""
    return "".join(name.replace("\xa0", " ").split()).upper()


def read_world_data(text: str, edition: int, file_name: str) -> Iterator[Record]:
    """The 2025 world data file: production for two years, capacity, reserves at the last."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise RefreshError(f"{file_name} is empty")
    header = [normalise_header(name) for name in rows[0]]
    reported, latest = edition - 2, edition - 1
    columns = (
        (f"PROD_{reported}", "production", reported, False, "PROD_NOTES"),
        (f"PROD_EST_{latest}", "production", latest, True, "PROD_NOTES"),
        (f"CAP_{reported}", "capacity", reported, False, "CAP_NOTES"),
        (f"CAP_EST_{latest}", "capacity", latest, True, "CAP_NOTES"),
        (f"RESERVES_{latest}", "reserves", latest, False, "RESERVE_NOTES"),
    )
    needed = ["COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS", columns[0][0], columns[1][0], columns[4][0]]
    missing = [name for name in needed if name not in header]
    if missing:
        raise RefreshError(
            f"{file_name} lacks column(s) {', '.join(missing)} (it has {', '.join(header)}); "
            f"is it the {edition} edition's file?"
        )
    for line, cells in enumerate(rows[1:], start=2):
        record = dict(zip(header, cells, strict=False))
        if not any(cell.strip() for cell in cells):
            continue
        basis, rounded = basis_and_rounding(record["TYPE"])
        for column, statistic, year, estimated, notes in columns:
            if column not in record:
                continue
            yield Record(
                commodity=record["COMMODITY"], detail=basis, statistic=statistic,
                country=record["COUNTRY"], unit=record["UNIT_MEAS"], year=year, value=record[column],
                note=clean(record.get(notes, "")), estimated=estimated, rounded=rounded,
                source_table=f"MCS {edition}, {clean(record['COMMODITY']).capitalize()}, world data table",
                where=f"{file_name}, line {line}, column {column}",
            )  # fmt: skip


def read_per_commodity(text: str, edition: int, file_name: str) -> Iterator[Record]:
    """A 2022–2024 per-commodity world file: units, estimates and bases are in the column names."""
    match = PER_COMMODITY_FILE.search(PurePosixPath(file_name).name)
    if match is None:
        raise RefreshError(f"{file_name} is not named like mcs<edition>-<code>_world.csv")
    commodity = commodity_of_file_code(match["code"])
    if commodity is None:
        raise RefreshError(f"{file_name}: unknown commodity file code {match['code']!r} (add it to files.csv)")
    if not commodity:
        return
    rows = list(csv.reader(io.StringIO(text)))
    header = [clean(name) for name in rows[0]] if rows else []
    if header[:3] != ["Source", "Country", "Type"]:
        raise RefreshError(f"{file_name}: expected columns Source, Country, Type first (it has {', '.join(header[:5])})")
    notes = {KINDS.get(name.lower().split("_")[0], ""): index for index, name in enumerate(header)
             if name.lower().endswith(("_notes", "_note"))}  # fmt: skip
    value_columns = []
    for index, name in enumerate(header[3:], start=3):
        parsed = _VALUE_COLUMN.match(name.lower())
        if parsed is None or name.lower().endswith(("_notes", "_note")):
            continue
        tokens = parsed["middle"].split("_")
        estimated = "est" in tokens
        tokens = [token for token in tokens if token != "est"]
        year = int(parsed["year"]) if parsed["year"] else edition - 1
        value_columns.append((index, KINDS[parsed["kind"]], tokens[-1], " ".join(tokens[:-1]), year, estimated, name))
    for line, cells in enumerate(rows[1:], start=2):
        if len(cells) < 3 or not cells[1].strip():
            continue
        for index, statistic, unit, qualifier, year, estimated, name in value_columns:
            note = clean(cells[notes[statistic]]) if statistic in notes and notes[statistic] < len(cells) else ""
            noted_estimate, noted_years = estimated_years(note)
            basis, rounded = basis_and_rounding(cells[2])
            yield Record(
                commodity=commodity, detail=f"{basis} ({qualifier})" if qualifier else basis,
                statistic=statistic, country=cells[1], unit=unit, year=year,
                value=cells[index] if index < len(cells) else "", note=note,
                estimated=estimated or noted_estimate or year in noted_years, rounded=rounded,
                source_table=f"MCS {edition}, {commodity.capitalize()}, world table ({PurePosixPath(file_name).name})",
                where=f"{PurePosixPath(file_name).name}, line {line}, column {name}",
            )  # fmt: skip


def read_file(raw: bytes, edition: int, file_name: str) -> Iterator[Record]:
    """Records of one downloaded or local file, whichever real layout it has."""
    if zipfile.is_zipfile(io.BytesIO(raw)):
        yield from _read_zip(raw, edition, file_name)
        return
    text = decode(raw)
    if PER_COMMODITY_FILE.search(PurePosixPath(file_name).name):
        yield from read_per_commodity(text, edition, file_name)
        return
    header = _header(text)
    normalised = {normalise_header(name) for name in header}
    if {"MCS chapter", "Statistics_detail"} <= {clean(name) for name in header}:
        yield from read_flat(text, edition, file_name)
    elif {"COMMODITY", "UNIT_MEAS"} <= normalised:
        yield from read_world_data(text, edition, file_name)
    else:
        raise RefreshError(f"{file_name}: not a layout of the MCS world data (header: {', '.join(header[:6])})")


def _read_zip(raw: bytes, edition: int, file_name: str) -> Iterator[Record]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    except zipfile.BadZipFile as error:
        raise RefreshError(f"{file_name} is not a sound zip archive ({error})") from None
    world_data = [n for n in members if PurePosixPath(n).name.lower() == f"mcs{edition}_world_data.csv"]
    per_commodity = sorted(n for n in members if PER_COMMODITY_FILE.search(PurePosixPath(n).name))
    if world_data:
        yield from read_world_data(decode(members[world_data[0]]), edition, f"{file_name}: {world_data[0]}")
    elif per_commodity:
        for name in per_commodity:
            yield from read_per_commodity(decode(members[name]), edition, name)
    else:
        raise RefreshError(
            f"no MCS{edition}_World_Data.csv or mcs{edition}-<code>_world.csv in {file_name} "
            f"(it holds: {', '.join(members) or 'nothing'})"
        )
