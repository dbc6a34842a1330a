"""Check every file against the manifest, and return typed tables.

Reading never modifies a file. Every problem names the file, the row (as a line number in the
file, header = 1) and the column, so a maintainer can open the CSV and go straight to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pycountry

from mineral_report.data.errors import DataValidationError, Problem
from mineral_report.data.manifest import MANIFEST_NAME, FieldSpec, Manifest, Resource, sha256_of

# Codes used for rows that are not countries. Anything else in an ISO3 column must be a real
# ISO 3166-1 alpha-3 code.
AGGREGATE_CODES = {
    "WLD": "World total",
    "OTH": "Other countries (USGS aggregate)",
}
# Files in data/ that describe the folder rather than hold data.
NOT_RESOURCES = {MANIFEST_NAME, "README.md"}
# Written by a refresh just before it moves a new vintage into place, removed once the manifest
# lists it: if it is still there, that publish was interrupted.
PUBLISH_JOURNAL = ".publish-journal.json"
MAX_PROBLEMS_PER_COLUMN = 5
FIRST_DATA_LINE = 2  # line 1 is the header

_INTEGER = re.compile(r"^-?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOOLEANS = {"true": True, "false": False}


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(AGGREGATE_CODES)


def _rel(manifest: Manifest, path: Path) -> str:
    return str(Path(manifest.root.name) / path.relative_to(manifest.root))


def _interrupted_publish(manifest: Manifest) -> dict[str, str]:
    """What the journal of an interrupted publish names, if one was left in data/."""
    try:
        record = json.loads((manifest.root / PUBLISH_JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in record.items()} if isinstance(record, dict) else {}


def check_inventory(manifest: Manifest) -> list[Problem]:
    """Every file in data/ is in the manifest, and every manifest entry exists.

    Hidden files and everything in hidden folders (a refresh's staging folder, its journal)
    are not data and are not checked.
    """
    listed = {resource.path for resource in manifest.resources}
    interrupted = _interrupted_publish(manifest)
    problems = []
    for path in sorted(manifest.root.rglob("*")):
        relative_path = path.relative_to(manifest.root)
        if path.is_dir() or path.name in NOT_RESOURCES:
            continue
        if any(part.startswith(".") for part in relative_path.parts):
            continue
        relative = relative_path.as_posix()
        if relative == interrupted.get("path") and relative not in listed:
            problems.append(
                Problem(
                    _rel(manifest, path),
                    f"left by an interrupted publish of {interrupted.get('name')}: the next refresh "
                    f"removes it, or remove {manifest.root.name}/{interrupted.get('folder')} and "
                    f"{manifest.root.name}/{PUBLISH_JOURNAL} yourself",
                )
            )
        elif relative not in listed:
            problems.append(Problem(_rel(manifest, path), "file is not listed in the manifest"))
    for resource in manifest.resources:
        if not manifest.file(resource).is_file():
            problems.append(
                Problem(f"{manifest.root.name}/{resource.path}", "listed in the manifest but missing")
            )
    names = [r.name for r in manifest.resources]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(MANIFEST_NAME, f"resource name {name!r} is used twice"))
    return problems


def check_pins(manifest: Manifest) -> list[Problem]:
    """Every pinned vintage exists; an edition series has one vintage per edition, ascending.

    A correction names an earlier vintage of the same dataset and edition.
    """
    where = f"{manifest.root.name}/{MANIFEST_NAME}"
    problems = []
    for dataset, vintages in sorted(manifest.series.items()):
        if not vintages:
            problems.append(Problem(where, f"pinned vintages of {dataset!r}: the list is empty", column="pinned"))
            continue
        by_vintage = {r.vintage: r for r in manifest.resources if r.dataset == dataset}
        missing = [v for v in vintages if v not in by_vintage]
        for vintage in missing:
            problems.append(
                Problem(where, f"pinned vintage {vintage!r} of {dataset!r} is not in the manifest", column="pinned")
            )
        if len(vintages) < 2 or missing:
            continue
        editions = [by_vintage[v].edition for v in vintages]
        if None in editions:
            unnamed = ", ".join(v for v, e in zip(vintages, editions) if e is None)
            problems.append(
                Problem(where, f"{dataset!r} is pinned as an edition series but {unnamed} carries no integer 'edition'",
                        column="pinned")
            )
        elif any(later <= earlier for earlier, later in zip(editions, editions[1:])):
            listed = ", ".join(f"{v} (edition {e})" for v, e in zip(vintages, editions))
            problems.append(
                Problem(where, f"pinned vintages of {dataset!r} must be one per edition, ascending: {listed}",
                        column="pinned")
            )
    for resource in manifest.resources:
        if "edition" in resource.raw and resource.edition is None:
            problems.append(
                Problem(where, f"resource {resource.name!r}: edition {resource.raw['edition']!r} is not an integer",
                        column="edition")
            )
        if resource.corrects is None:
            continue
        corrected = next(
            (r for r in manifest.resources if r.dataset == resource.dataset and r.vintage == resource.corrects), None
        )
        if corrected is None or corrected.edition != resource.edition:
            problems.append(
                Problem(where, f"resource {resource.name!r} corrects {resource.corrects!r}, which is not a vintage of"
                        f" the same dataset and edition", column="corrects")
            )
    return problems


def check_checksum(manifest: Manifest, resource: Resource) -> list[Problem]:
    path = manifest.file(resource)
    actual = sha256_of(path)
    if actual != resource.sha256:
        return [
            Problem(
                _rel(manifest, path),
                f"checksum mismatch: manifest says sha256:{resource.sha256}, file is sha256:{actual}"
                " (a published vintage is never edited: add a new vintage instead)",
            )
        ]
    return []


def _read_text_table(manifest: Manifest, resource: Resource) -> tuple[pd.DataFrame | None, list[Problem]]:
    path = manifest.file(resource)
    where = _rel(manifest, path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except pd.errors.ParserError as error:
        match = re.search(r"line (\d+)", str(error))
        row = int(match.group(1)) if match else None
        return None, [Problem(where, f"not a well-formed CSV: {error}", row=row)]
    except UnicodeDecodeError as error:
        return None, [Problem(where, f"not UTF-8 text: {error}")]
    return frame, []


def _check_header(where: str, frame: pd.DataFrame, resource: Resource) -> list[Problem]:
    expected = [f.name for f in resource.fields]
    actual = list(frame.columns)
    problems = [
        Problem(where, "column is in the schema but missing from the file", row=1, column=name)
        for name in expected
        if name not in actual
    ]
    problems += [
        Problem(where, "column is in the file but not in the schema", row=1, column=name)
        for name in actual
        if name not in expected
    ]
    return problems


def _bad_rows(where: str, column: str, mask: pd.Series, values: pd.Series, why: str) -> list[Problem]:
    problems = []
    for index in mask[mask].index[:MAX_PROBLEMS_PER_COLUMN]:
        problems.append(
            Problem(where, f"{values[index]!r} {why}", row=int(index) + FIRST_DATA_LINE, column=column)
        )
    hidden = int(mask.sum()) - MAX_PROBLEMS_PER_COLUMN
    if hidden > 0:
        problems.append(Problem(where, f"… {hidden} more value(s) {why}", column=column))
    return problems


def _check_column(where: str, values: pd.Series, spec: FieldSpec) -> list[Problem]:
    present = values != ""
    problems: list[Problem] = []
    if spec.required:
        problems += _bad_rows(where, spec.name, ~present, values, "is empty but the value is required")
    if spec.type == "integer":
        bad = present & ~values.str.match(_INTEGER)
        problems += _bad_rows(where, spec.name, bad, values, "is not a whole number")
    elif spec.type == "number":
        numeric = pd.to_numeric(values.where(present), errors="coerce")
        bad = present & numeric.isna()
        problems += _bad_rows(where, spec.name, bad, values, "is not a number")
    elif spec.type == "boolean":
        bad = present & ~values.isin(list(_BOOLEANS))
        problems += _bad_rows(where, spec.name, bad, values, "is not 'true' or 'false'")
    elif spec.type == "date":
        parsed = pd.to_datetime(values.where(present), format="%Y-%m-%d", errors="coerce")
        bad = present & (~values.str.match(_DATE) | parsed.isna())
        problems += _bad_rows(where, spec.name, bad, values, "is not a date in YYYY-MM-DD form")
    if spec.minimum is not None and spec.type in {"integer", "number"}:
        numeric = pd.to_numeric(values.where(present), errors="coerce")
        bad = present & (numeric < spec.minimum)
        problems += _bad_rows(where, spec.name, bad, values, f"is below the minimum {spec.minimum:g}")
    if spec.enum is not None:
        bad = present & ~values.isin(spec.enum)
        allowed = ", ".join(repr(v) for v in spec.enum)
        problems += _bad_rows(where, spec.name, bad, values, f"is not one of {allowed}")
    if spec.pattern is not None:
        bad = present & ~values.str.fullmatch(spec.pattern)
        problems += _bad_rows(where, spec.name, bad, values, f"does not match {spec.pattern!r}")
    if spec.format == "iso3":
        bad = present & ~values.isin(iso3_codes())
        problems += _bad_rows(where, spec.name, bad, values, "is not a known ISO 3166-1 alpha-3 code")
    return problems


def _check_primary_key(where: str, frame: pd.DataFrame, key: Iterable[str]) -> list[Problem]:
    columns = list(key)
    if not columns or any(c not in frame.columns for c in columns):
        return []
    duplicated = frame.duplicated(subset=columns, keep="first")
    label = " + ".join(columns)
    problems = []
    for index in duplicated[duplicated].index[:MAX_PROBLEMS_PER_COLUMN]:
        value = " | ".join(str(frame.at[index, c]) for c in columns)
        problems.append(
            Problem(where, f"duplicate primary key ({value})", row=int(index) + FIRST_DATA_LINE, column=label)
        )
    return problems


def _typed(frame: pd.DataFrame, resource: Resource) -> pd.DataFrame:
    typed = pd.DataFrame(index=frame.index)
    for spec in resource.fields:
        raw = frame[spec.name]
        present = raw != ""
        if spec.type == "integer":
            typed[spec.name] = pd.to_numeric(raw.where(present), errors="raise").astype("Int64")
        elif spec.type == "number":
            typed[spec.name] = pd.to_numeric(raw.where(present), errors="raise").astype("float64")
        elif spec.type == "boolean":
            typed[spec.name] = raw.map(_BOOLEANS).astype("boolean")
        elif spec.type == "date":
            typed[spec.name] = pd.to_datetime(raw.where(present), format="%Y-%m-%d")
        else:
            typed[spec.name] = raw.where(present, None).astype("string")
    return typed


def read_resource(manifest: Manifest, resource: Resource) -> pd.DataFrame:
    """Validate one tabular resource and return it typed; raise naming every problem."""
    problems = check_checksum(manifest, resource)
    frame, read_problems = _read_text_table(manifest, resource)
    problems += read_problems
    if frame is not None:
        where = _rel(manifest, manifest.file(resource))
        header_problems = _check_header(where, frame, resource)
        problems += header_problems
        if not header_problems:
            for spec in resource.fields:
                problems += _check_column(where, frame[spec.name], spec)
            problems += _check_primary_key(where, frame, resource.primary_key)
    if problems:
        raise DataValidationError(problems)
    assert frame is not None
    return _typed(frame, resource)


def validate_all(manifest: Manifest) -> list[Problem]:
    """Every check on every file; an empty list means the data can be published."""
    problems = check_inventory(manifest) + check_pins(manifest)
    for resource in manifest.resources:
        if not manifest.file(resource).is_file():
            continue
        if resource.format == "csv":
            try:
                read_resource(manifest, resource)
            except DataValidationError as error:
                problems += error.problems
        else:
            problems += check_checksum(manifest, resource)
    return problems
