"""What changed between two vintages of a dataset: rows added, rows removed, values revised.

Rows are matched on a key: the schema's primary key without columns that only name the edition,
or a per-dataset default where the primary key holds wording that changes between editions
(USGS's table titles, for instance). Numbers count as changed beyond a relative tolerance;
text, dates and flags on any change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mineral_report.data.load import load, manifest
from mineral_report.refresh.errors import RefreshError

DEFAULT_TOLERANCE = 1e-9
EDITION_COLUMNS = ("edition", "vintage")
# Columns that record where a row's facts were read: revising them adds a citation, not a fact.
CITATION_COLUMNS = frozenset({"source_urls", "field_sources", "source_url"})


@dataclass(frozen=True)
class DiffDefaults:
    key: tuple[str, ...]
    ignore: tuple[str, ...]  # columns that restate the key or the edition's wording
    # A column that joins the key only on rows where the key repeats (USGS gives iron ore as
    # usable ore and as iron content), so other rows still match across editions' wordings.
    where_repeated: str | None = None


DATASET_DEFAULTS = {
    "usgs-mcs-world": DiffDefaults(
        key=("commodity", "measure", "country_iso3", "year"),
        ignore=("edition", "basis", "country"),
        where_repeated="basis",
    ),
    # One row per item and source: the schema has no primary key, the pair is unique.
    "watch-sources": DiffDefaults(key=("item_id", "url"), ignore=()),
}


@dataclass(frozen=True)
class VintageDiff:
    dataset: str
    old: str
    new: str
    key: tuple[str, ...]
    compared: tuple[str, ...]
    tolerance: float
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame  # key columns + column, old, new

    @property
    def is_empty(self) -> bool:
        return self.added.empty and self.removed.empty and self.changed.empty


def default_key(dataset: str, data_dir: Path | None = None) -> tuple[str, ...]:
    if dataset in DATASET_DEFAULTS:
        return DATASET_DEFAULTS[dataset].key
    try:
        primary_key = manifest(data_dir).resolve(dataset).primary_key
    except KeyError as error:
        raise RefreshError(str(error).strip("\"'")) from None
    return tuple(column for column in primary_key if column not in EDITION_COLUMNS)


def diff_vintages(
    dataset: str,
    old: str,
    new: str,
    key: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    data_dir: Path | None = None,
) -> VintageDiff:
    """Compare vintage ``old`` with vintage ``new`` of ``dataset``, both validated on load."""
    try:
        before = load(dataset, vintage=old, data_dir=data_dir)
        after = load(dataset, vintage=new, data_dir=data_dir)
    except KeyError as error:
        raise RefreshError(str(error).strip("\"'")) from None
    defaults = DATASET_DEFAULTS.get(dataset)
    repeated = defaults.where_repeated if defaults and not key else None
    key = tuple(key or default_key(dataset, data_dir))
    if repeated:
        before, after = (_told_apart(frame, key, repeated) for frame in (before, after))
        key = (*key, repeated)
    ignore = set(defaults.ignore) if defaults else set(EDITION_COLUMNS)
    for label, frame in ((old, before), (new, after)):
        _check_key(dataset, label, frame, key)
    compared = tuple(
        column for column in before.columns if column in after.columns and column not in {*key, *ignore}
    )
    merged = before.merge(after, on=list(key), how="outer", suffixes=("__old", "__new"), indicator=True)
    added = after.merge(merged.loc[merged["_merge"] == "right_only", list(key)], on=list(key))
    removed = before.merge(merged.loc[merged["_merge"] == "left_only", list(key)], on=list(key))
    both = merged[merged["_merge"] == "both"]
    changes = []
    for column in compared:
        numeric = pd.api.types.is_numeric_dtype(before[column]) and not pd.api.types.is_bool_dtype(before[column])
        for _, row in both.iterrows():
            previous, current = row[f"{column}__old"], row[f"{column}__new"]
            if _differs(previous, current, numeric, tolerance):
                changes.append({**{k: row[k] for k in key}, "column": column, "old": previous, "new": current})
    changed = pd.DataFrame(changes, columns=[*key, "column", "old", "new"])
    return VintageDiff(
        dataset=dataset,
        old=old,
        new=new,
        key=key,
        compared=compared,
        tolerance=tolerance,
        added=added.sort_values(list(key)).reset_index(drop=True),
        removed=removed.sort_values(list(key)).reset_index(drop=True),
        changed=changed.sort_values([*key, "column"]).reset_index(drop=True),
    )


def consecutive_diffs(vintages: Mapping[str, Sequence[str]], data_dir: Path | None = None) -> list[VintageDiff]:
    """Each dataset's vintages compared in order, oldest first: the data's revision history."""
    diffs = []
    for dataset, names in sorted(vintages.items()):
        ordered = sorted(names)
        diffs += [diff_vintages(dataset, old, new, data_dir=data_dir) for old, new in zip(ordered, ordered[1:])]
    return diffs


def revision_counts(diffs: Sequence[VintageDiff]) -> pd.DataFrame:
    """Per pair of vintages: rows added and removed, numbers revised, other facts, citations."""
    rows = []
    for diff in diffs:
        column = diff.changed["column"]
        citations = column.isin(CITATION_COLUMNS)
        rows.append({
            "dataset": diff.dataset, "from": diff.old, "to": diff.new,
            "rows added": len(diff.added), "rows removed": len(diff.removed),
            "values revised": int((column == "value").sum()),
            "other fields revised": int((~citations & (column != "value")).sum()),
            "citations revised": int(citations.sum()),
        })
    return pd.DataFrame(rows).set_index(["dataset", "from", "to"])


def _told_apart(frame: pd.DataFrame, key: Sequence[str], column: str) -> pd.DataFrame:
    """``column`` kept where the key repeats and blanked elsewhere, to extend the key with it."""
    repeats = frame.duplicated(subset=list(key), keep=False)
    return frame.assign(**{column: frame[column].where(repeats, "")})


def _check_key(dataset: str, vintage: str, frame: pd.DataFrame, key: Sequence[str]) -> None:
    if not key:
        raise RefreshError(f"{dataset} has no primary key to match its rows across vintages; give key columns with --key")
    missing = [column for column in key if column not in frame.columns]
    if missing:
        raise RefreshError(
            f"{dataset} vintage {vintage} has no column(s) {', '.join(missing)}; "
            f"its columns are {', '.join(frame.columns)}"
        )
    duplicated = frame.duplicated(subset=list(key), keep=False)
    if duplicated.any():
        example = frame.loc[duplicated, list(key)].iloc[0].tolist()
        raise RefreshError(
            f"{', '.join(key)} do not identify the rows of {dataset} vintage {vintage} uniquely "
            f"(e.g. {example}); give more key columns with --key"
        )


def is_missing(value: object) -> bool:
    """No value: empty, NaN, NA, or empty text (a CSV's empty cell read as text)."""
    return value is None or value is pd.NA or value is pd.NaT or value == "" or (
        isinstance(value, float) and math.isnan(value))


def _differs(previous: object, current: object, numeric: bool, tolerance: float) -> bool:
    if is_missing(previous) or is_missing(current):
        return is_missing(previous) != is_missing(current)
    if numeric:
        a, b = float(previous), float(current)  # type: ignore[arg-type]
        return abs(a - b) > tolerance * max(abs(a), abs(b))
    return bool(previous != current)


def _cell(value: object) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{int(value):,}" if value.is_integer() else f"{value:,.10g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _key_text(row: pd.Series, key: Sequence[str]) -> str:
    return ", ".join(f"{column}={_cell(row[column])}" for column in key if _cell(row[column]))


def as_text(diff: VintageDiff) -> str:
    """A plain report for a terminal."""
    lines = [
        f"{diff.dataset}: vintage {diff.old} → {diff.new} (rows matched on {', '.join(diff.key)})",
        f"{len(diff.added)} row(s) added, {len(diff.removed)} removed, {len(diff.changed)} value(s) "
        f"changed (numbers beyond a relative tolerance of {diff.tolerance:g})",
    ]
    for title, frame in (("Added", diff.added), ("Removed", diff.removed)):
        if not frame.empty:
            lines += ["", f"{title}:"]
            for _, row in frame.iterrows():
                values = ", ".join(f"{c}={_cell(row[c])}" for c in diff.compared if not is_missing(row[c]))
                lines.append(f"  {_key_text(row, diff.key)}: {values}")
    if not diff.changed.empty:
        lines += ["", "Changed:"]
        for _, row in diff.changed.iterrows():
            lines.append(
                f"  {_key_text(row, diff.key)}: {row['column']} {_cell(row['old'])} → {_cell(row['new'])}"
            )
    return "\n".join(lines) + "\n"


def as_markdown(diff: VintageDiff) -> str:
    """Markdown tables a chapter or page of the book can include."""
    parts = [
        f"**{diff.dataset}**, vintage {diff.old} → {diff.new}: {len(diff.added)} row(s) added, "
        f"{len(diff.removed)} removed, {len(diff.changed)} value(s) changed "
        f"(rows matched on {', '.join(diff.key)}; numbers compared with a relative tolerance of "
        f"{diff.tolerance:g}).",
    ]
    for title, frame in (("Added rows", diff.added), ("Removed rows", diff.removed)):
        if not frame.empty:
            parts.append(f"### {title}\n\n" + _table(frame, [*diff.key, *diff.compared]))
    if not diff.changed.empty:
        parts.append("### Changed values\n\n" + _table(diff.changed, [*diff.key, "column", "old", "new"]))
    return "\n\n".join(parts) + "\n"


def _table(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    for _, row in frame.iterrows():
        lines.append("| " + " | ".join(escape(_cell(row[c])) for c in columns) + " |")
    return "\n".join(lines)
