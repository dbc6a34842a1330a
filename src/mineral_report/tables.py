"""Every table in the book: titled columns, numbers for reading, missing values explained.

:func:`report_table` turns a frame into a :class:`ReportTable`, which renders as an HTML table
that needs no external script:

* column titles come, in this order, from the caller, from a ``title`` in the dataset's schema
  in ``data/datapackage.json``, or from the book's presentation file (``presentation.toml``,
  which also gives units); a column named like an identifier with no title is an error, so a
  reader never sees ``snake_case`` as a header;
* numbers get thousands separators and the same number of decimals down a column, dates read
  as dates, yes/no replaces true/false, and the frame's index is never shown as a row number;
* a missing value is a dash with the reason in words, explained once under the table;
* text the presentation file translates is shown in English, the original in a note;
* a table wider than its column scrolls sideways, and says so (see ``report-reading.css``).
"""

from __future__ import annotations

import hashlib
import html
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from mineral_report.data import manifest

DASH = "—"
# A missing value that was turned into text upstream (e.g. a before/after comparison).
_MISSING_TOKENS = {"NaN", "NaT", "<NA>", "nan", "None"}
DEFAULT_MISSING = "not published"
_IDENTIFIER = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^(?P<month>\d{4}-(0[1-9]|1[0-2]))(?P<day>-\d{2})?$")

_FILTER_SCRIPT = """<script type="text/javascript">(function (id) {
  var root = document.getElementById(id);
  var selects = root.querySelectorAll("select[data-column]");
  function apply() {
    root.querySelectorAll("tbody tr").forEach(function (row) {
      var shown = Array.prototype.every.call(selects, function (s) {
        return !s.value || row.getAttribute("data-" + s.getAttribute("data-column")) === s.value;
      });
      row.hidden = !shown;
    });
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
})(%s);</script>"""


@dataclass(frozen=True)
class ColumnStyle:
    """How one column is headed and what its empty cells mean."""

    title: str
    unit: str | None = None
    missing: str = DEFAULT_MISSING
    decimals: int | None = None
    # Text holding ISO dates ("2025-07-14", or "2025-07" for a month) is printed as a date.
    dates: bool = False
    # Codes printed as words: country codes as names, unit codes as units.
    values: Mapping[str, str] = field(default_factory=dict)
    # The column holds web addresses: each http(s) address is a link.
    links: bool = False

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.unit})" if self.unit else self.title


@cache
def presentation() -> dict[str, dict]:
    """The book's presentation file: column titles and units, and translations of quoted text."""
    text = (resources.files("mineral_report") / "presentation.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def schema_titles(datasets: Iterable[str]) -> dict[str, ColumnStyle]:
    """Titles (and units) that the datasets' schemas give their columns."""
    styles: dict[str, ColumnStyle] = {}
    book = manifest()
    for dataset in datasets:
        resource = book.resolve(dataset)
        for raw in resource.raw.get("schema", {}).get("fields", []):
            if raw.get("title"):
                styles[raw["name"]] = ColumnStyle(title=raw["title"], unit=raw.get("unit"))
    return styles


def column_style(column: str, overrides: Mapping[str, str], from_schema: Mapping[str, ColumnStyle]) -> ColumnStyle:
    """The title and rules for one column; a column named like an identifier must have a title."""
    known = dict(presentation().get("columns", {}).get(column, {}))
    if column in presentation().get("values", {}):
        known["values"] = presentation()["values"][column]
    if column in overrides:
        return ColumnStyle(title=overrides[column], **{k: v for k, v in known.items() if k != "title" and k != "unit"})
    if column in from_schema:
        return ColumnStyle(**{**known, "title": from_schema[column].title, "unit": from_schema[column].unit or known.get("unit")})
    if known:
        return ColumnStyle(**known)
    if "_" in column or not _IDENTIFIER.match(column):
        if _IDENTIFIER.match(column):
            raise KeyError(f"column {column!r} has no title: add it to presentation.toml or pass titles=")
        return ColumnStyle(title=column)
    return ColumnStyle(title=column.capitalize())


def _decimals(values: pd.Series) -> int:
    present = values.dropna().astype(float)
    if present.empty or (present == present.round()).all():
        return 0
    return 1 if present.abs().median() >= 10 else 2


def formatted(values: pd.Series, style: ColumnStyle) -> list[str | None]:
    """Each value as a reader sees it; None where the value is missing."""
    if pd.api.types.is_bool_dtype(values):
        return [None if pd.isna(v) else ("yes" if v else "no") for v in values]
    if pd.api.types.is_datetime64_any_dtype(values):
        return [None if pd.isna(v) else f"{v.day} {v:%b %Y}" for v in values]
    if pd.api.types.is_numeric_dtype(values):
        places = style.decimals if style.decimals is not None else _decimals(values)
        return [None if pd.isna(v) else f"{float(v):,.{places}f}" for v in values]
    shown = []
    for v in values:
        if v is None or (not isinstance(v, str) and pd.isna(v)) or str(v) in _MISSING_TOKENS:
            shown.append(None)
        else:
            text = style.values.get(str(v), str(v))
            shown.append(_as_date(text) if style.dates else _translated(text))
    return shown


def _as_date(text: str) -> str:
    match = _ISO_DATE.match(text)
    if not match:
        return text
    day = pd.Timestamp(f"{match['month']}-01" if not match["day"] else text)
    return f"{day:%b %Y}" if not match["day"] else f"{day.day} {day:%b %Y}"


def _translated(text: str) -> str:
    for original, translation in presentation().get("translations", {}).items():
        text = text.replace(original, translation["english"])
    return text


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as ordinary columns, or dropped when it only numbers rows."""
    if isinstance(frame.index, pd.RangeIndex) or all(name is None for name in frame.index.names):
        return frame.reset_index(drop=True)
    return frame.reset_index()


# A column with this title names minerals: each name that has a profile links to it.
PROFILED_TITLE = "Mineral"


def _profile_links(values: Iterable[str]) -> dict[str, str]:
    """The address of each named mineral's profile, relative to a chapter page, where it has one.

    The vocabulary is read once for the whole table, not once per cell.
    """
    from mineral_report.profiles import profile_link, profile_names, profile_of

    names = profile_names()
    found = {value: profile_of(value, names) for value in set(values)}
    return {value: profile_link(profile) for value, profile in found.items() if profile}


@dataclass
class ReportTable:
    """A table as the book prints it (see the module's description)."""

    frame: pd.DataFrame
    caption: str
    titles: Mapping[str, str] = field(default_factory=dict)
    datasets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()

    def columns(self) -> dict[str, ColumnStyle]:
        from_schema = schema_titles(self.datasets)
        return {str(c): column_style(str(c), self.titles, from_schema) for c in _flat(self.frame).columns}

    def cells(self) -> tuple[dict[str, ColumnStyle], list[list[str | None]]]:
        flat = _flat(self.frame)
        flat.columns = [str(c) for c in flat.columns]
        styles = self.columns()
        by_column = [formatted(flat[c], styles[c]) for c in flat.columns]
        return styles, [list(row) for row in zip(*by_column)] if by_column else []

    def _repr_html_(self) -> str:
        styles, rows = self.cells()
        flat = _flat(self.frame)
        digest = hashlib.sha256((self.caption + flat.to_csv(index=False)).encode()).hexdigest()[:10]
        table_id = f"table-{digest}"
        names = list(styles)
        numeric = {c for c in names if pd.api.types.is_numeric_dtype(flat[c]) and not pd.api.types.is_bool_dtype(flat[c])}
        num = ' class="num"'
        head = "".join(f'<th scope="col"{num if c in numeric else ""}>{html.escape(styles[c].heading)}</th>' for c in names)
        reasons: dict[str, None] = {}
        profiled = [c for c in names if styles[c].title == PROFILED_TITLE]
        links = _profile_links(v for row in rows for c, v in zip(names, row) if c in profiled and v) if profiled else {}
        body = []
        for row in rows:
            cells = []
            for name, value in zip(names, row):
                css = num if name in numeric else ""
                if value is None:
                    reasons[styles[name].missing] = None
                    cells.append(f'<td{css}><span class="missing" title="{html.escape(styles[name].missing)}">{DASH}'
                                 f'<span class="visually-hidden"> {html.escape(styles[name].missing)}</span></span></td>')
                elif name in profiled and value in links:
                    cells.append(f'<td{css}><a href="{links[value]}">{html.escape(value)}</a></td>')
                elif styles[name].links and value.startswith(("https://", "http://")):
                    cells.append(f'<td{css}><a href="{html.escape(value)}">{html.escape(value)}</a></td>')
                else:
                    cells.append(f"<td{css}>{html.escape(value)}</td>")
            attrs = " ".join(
                f'data-{c}="{html.escape(v or "")}"' for c, v in zip(names, row) if c in self.filters
            )
            body.append(f"<tr {attrs}>".replace("<tr >", "<tr>") + "".join(cells) + "</tr>")
        notes = list(self.notes) + [f"{DASH} {reason}." for reason in reasons] + self._translation_notes(flat)
        note_html = "".join(f"<p>{html.escape(n)}</p>" for n in notes)
        controls = self._controls(table_id, flat, styles)
        script = _FILTER_SCRIPT % f'"{table_id}"' if self.filters else ""
        return (
            f'<div class="report-table" id="{table_id}">{controls}'
            f'<div class="report-table-scroll" tabindex="0" role="region" aria-label="{html.escape(self.caption)}">'
            f"<table><caption>{html.escape(self.caption)}</caption><thead><tr>{head}</tr></thead>"
            f'<tbody>{"".join(body)}</tbody></table></div>'
            f'<div class="report-table-notes">{note_html}</div></div>{script}'
        )

    def _controls(self, table_id: str, flat: pd.DataFrame, styles: dict[str, ColumnStyle]) -> str:
        if not self.filters:
            return ""
        controls = []
        for column in self.filters:
            shown = sorted({v for v in formatted(flat[column], styles[column]) if v is not None})
            options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in shown)
            label_id = f"{table_id}-{column}"
            controls.append(
                f'<label for="{label_id}">{html.escape(styles[column].title)}: <select id="{label_id}" '
                f'data-column="{html.escape(column)}"><option value="">all</option>{options}</select></label>'
            )
        return f'<p class="table-filters">{" ".join(controls)}</p>'

    @staticmethod
    def _translation_notes(flat: pd.DataFrame) -> list[str]:
        translations = presentation().get("translations", {})
        found = dict.fromkeys(t for t in translations for c in flat.columns if pd.api.types.is_string_dtype(flat[c])
                              if flat[c].dropna().astype(str).str.contains(t, regex=False).any())
        return [f"“{translations[t]['english']}”: translated from {translations[t]['language']}; "
                f"the original reads “{t}”." for t in found]

    def __repr__(self) -> str:
        return f"ReportTable({self.caption!r}, {len(self.frame)} rows)"


def report_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    titles: Mapping[str, str] | None = None,
    datasets: Iterable[str] = (),
    notes: Iterable[str] = (),
    filters: Iterable[str] = (),
) -> ReportTable:
    """The one way the book shows a table (see the module's description)."""
    return ReportTable(frame, caption, dict(titles or {}), tuple(datasets), tuple(notes), tuple(filters))
