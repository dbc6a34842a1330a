"""The corrections to the datasets compiled for this report, listed as a reader reads errata.

Each corrected field is one row: the dataset, the vintage that corrected it, the record named as
a reader knows it (an organisation's name, an event's date and summary, not its internal key),
the field by its title, and its earlier and new value. Earlier wording that held the compilers'
working notes (the phrases of the presentation file's ``[working_notes]``, which no page may
show) is said to be revised, not printed. How each dataset names its records is in the
presentation file's ``[records]`` table.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

import pandas as pd

from mineral_report.data.load import load, manifest
from mineral_report.refresh.diff import CITATION_COLUMNS, VintageDiff, is_missing
from mineral_report.tables import column_style, presentation, schema_titles

LABEL_CHARS = 90
REVISED_WORDING = "earlier wording held working notes, since rewritten"
NO_VALUE = "left empty"
# A reference written for the compilers' scripts ("edition=2025, commodity=rare-earths": two or
# more name=value pairs) is a working note too; a web address's query ("?p=64824") is not.
_MACHINE_REFERENCE = re.compile(r"\b[a-z][a-z0-9_]*=[^\s=,]+[^=]*?, [a-z][a-z0-9_]*=")


def working_note_phrases() -> tuple[str, ...]:
    """Phrases of the compilers' working notes: no page shows them (lower case)."""
    return tuple(phrase.lower() for phrase in presentation()["working_notes"]["phrases"])


def holds_working_notes(text: str) -> bool:
    if text.startswith(("https://", "http://")):
        return False
    lowered = text.lower()
    return any(phrase in lowered for phrase in working_note_phrases()) or bool(_MACHINE_REFERENCE.search(text))


def _record_labels(diff: VintageDiff) -> dict[tuple, str]:
    """Each record of the correcting vintage, named by the columns ``[records]`` gives its dataset."""
    columns = presentation().get("records", {}).get(diff.dataset)
    if not columns:
        raise KeyError(f"{diff.dataset} has no entry in presentation.toml's [records]: how is a record named?")
    rows = load(diff.dataset, vintage=diff.new)
    names = load("organisations").set_index("org_id")["name"] if "org_id" in columns else None
    labels = {}
    for _, row in rows.iterrows():
        parts = [names.get(row[c], row[c]) if c == "org_id" and names is not None else row[c] for c in columns]
        text = ": ".join(_as_text(p) for p in parts if not is_missing(p))
        labels[tuple(row[k] for k in diff.key)] = textwrap.shorten(text, LABEL_CHARS, placeholder=" …")
    return labels


def _as_text(value: object) -> str:
    """A value as a reader reads it in running text: a date as 3 Dec 2024, not a timestamp."""
    if isinstance(value, pd.Timestamp):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def _shown(value: object) -> str:
    if is_missing(value):
        return NO_VALUE
    if isinstance(value, pd.Timestamp):
        return _as_text(value)
    if isinstance(value, str) and holds_working_notes(value):
        return REVISED_WORDING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def errata(diffs: Sequence[VintageDiff]) -> pd.DataFrame:
    """Every corrected field of the given vintage comparisons, other than citations."""
    rows = []
    for diff in diffs:
        if diff.changed.empty:
            continue
        labels = _record_labels(diff)
        titles = schema_titles([diff.dataset])
        dataset_title = manifest().resolve(diff.dataset, diff.new).title
        for _, change in diff.changed.iterrows():
            column = change["column"]
            if column in CITATION_COLUMNS:
                continue
            rows.append({
                "dataset": dataset_title,
                "corrected_in": diff.new,
                "record": labels[tuple(change[k] for k in diff.key)],
                "field": column_style(column, {}, titles).title,
                "before": _shown(change["old"]),
                "after": _shown(change["new"]),
            })
    return pd.DataFrame(rows, columns=["dataset", "corrected_in", "record", "field", "before", "after"])
