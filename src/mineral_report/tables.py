"""Tables for the page: a filterable HTML table that needs no external script."""

from __future__ import annotations

import hashlib
import html
import re

import pandas as pd

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


def _attribute_name(column: str) -> str:
    """A column title as it may appear in an HTML id or data attribute (no spaces)."""
    return re.sub(r"[^a-z0-9]+", "-", column.lower()).strip("-")


class FilterableTable:
    """Renders as an HTML table with one drop-down filter per chosen column."""

    def __init__(self, frame: pd.DataFrame, filters: list[str], caption: str):
        self.frame = frame
        self.filters = filters
        self.caption = caption

    def _repr_html_(self) -> str:
        digest = hashlib.sha256(self.frame.to_csv(index=False).encode()).hexdigest()[:10]
        table_id = f"table-{digest}"
        controls = []
        for column in self.filters:
            options = "".join(
                f'<option value="{html.escape(str(v))}">{html.escape(str(v))}</option>'
                for v in sorted(self.frame[column].dropna().unique())
            )
            label_id = f"{table_id}-{_attribute_name(column)}"
            controls.append(
                f'<label for="{label_id}">{html.escape(column.replace("_", " ").capitalize())}: '
                f'<select id="{label_id}" data-column="{_attribute_name(column)}"><option value="">all</option>{options}</select></label>'
            )
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in self.frame.columns)
        rows = []
        for _, row in self.frame.iterrows():
            data = " ".join(f'data-{_attribute_name(c)}="{html.escape(str(row[c]))}"' for c in self.filters)
            cells = "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row)
            rows.append(f"<tr {data}>{cells}</tr>")
        return (
            f'<div class="filterable-table" id="{table_id}"><p class="table-filters">{" ".join(controls)}</p>'
            f'<table><caption>{html.escape(self.caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>' + _FILTER_SCRIPT % f'"{table_id}"'
        )

    def __repr__(self) -> str:
        return f"FilterableTable({len(self.frame)} rows; filters: {', '.join(self.filters)})"
