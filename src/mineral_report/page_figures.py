"""What the built book adds under every chart: its data as CSV, a data table, links to its code.

The chart renderer writes each chart's Vega-Lite spec into the page. When Sphinx writes a page,
:func:`add_chart_extras` reads those specs back, writes every table of chart data to
``_static/chart-data/<chart-id>[-n].csv`` (headed by the chart's source and licence), and
inserts, directly under the chart, the download links, a link to the code cell that drew it
and a collapsible data table for readers who cannot see the chart.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The one global the offline Vega bundle defines, and the chart renderer's scripts call.
EMBED_GLOBAL = "reportCharts"
CHART_DATA_DIR = "chart-data"
MAX_TABLE_ROWS = 400
# A code cell's classes include its tags (the book folds every cell's code: ``tag_hide-input``).
_CELL = re.compile(r'<div class="(cell(?: [^"]*)? docutils container)">')
_SPEC = re.compile(r"\}\)\((\{.*?\})\);</script>", re.DOTALL)
_FIGURE = re.compile(
    r'(<figure class="report-figure"><div class="report-chart" id="(?P<id>chart-[0-9a-f]+)".*?</figcaption>)'
    r'(?P<rest></figure>\s*<script type="text/javascript">\(function \(spec\) \{.*?\}\)\((?P<spec>.*?)\);</script>)',
    re.DOTALL,
)


GEOMETRY_KEYS = {"geometry", "type"}
# A map's base layer carries only country names and ids: no data a reader needs.
BASE_LAYER_KEYS = {"iso3", "name", "id"}


def spec_texts(page_html: str) -> list[str]:
    """The spec JSON of every chart in a built page, as the renderer wrote it."""
    return _SPEC.findall(page_html)


def chart_specs(page_html: str) -> list[dict[str, Any]]:
    """The Vega-Lite spec of every chart in a built page."""
    return [json.loads(text.replace("<\\/", "</")) for text in spec_texts(page_html)]


def is_geometry(records: list[dict[str, Any]]) -> bool:
    """Whether an inline dataset holds map shapes."""
    return bool(records) and isinstance(records[0], dict) and "geometry" in records[0]


def _without_geometry(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not is_geometry(records):
        return records
    return [{k: v for k, v in record.items() if k not in GEOMETRY_KEYS} for record in records]


def chart_tables(spec: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The chart's tabular data: every inline dataset, map geometry removed, base layers skipped."""
    tables = []
    for _, records in sorted(spec.get("datasets", {}).items()):
        rows = _without_geometry(records)
        if rows and set(_columns(rows)) - BASE_LAYER_KEYS:
            tables.append(rows)
    return tables


def _columns(records: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for record in records for key in record))


def csv_text(records: list[dict[str, Any]], spec: dict[str, Any]) -> str:
    """A CSV whose comment lines say what the data are, where they come from, and their licence."""
    usermeta = spec.get("usermeta", {})
    title = spec.get("title", {})
    title_text = title.get("text", "") if isinstance(title, dict) else str(title)
    title_text = " ".join(title_text) if isinstance(title_text, list) else title_text
    buffer = io.StringIO()
    buffer.write(f"# Chart: {title_text}\n")
    buffer.write(f"# Source: {usermeta.get('source', '')}\n")
    buffer.write(f"# Licence: {usermeta.get('licence', '')}\n")
    writer = csv.DictWriter(buffer, fieldnames=_columns(records), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _table_html(records: list[dict[str, Any]]) -> str:
    columns = _columns(records)
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if r.get(c) is None else str(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in records[:MAX_TABLE_ROWS]
    )
    more = f"<p>First {MAX_TABLE_ROWS} of {len(records)} rows; the CSV has them all.</p>" if len(records) > MAX_TABLE_ROWS else ""
    return f'<div class="chart-table-scroll"><table class="chart-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{more}'


def add_chart_extras(body: str, outdir: Path, pathto: Callable[..., str], notebook_link: str | None) -> str:
    """Rewrite one page's body: anchor code cells, and add links and a data table under each chart."""
    counter = iter(range(1, 10_000))
    body = _CELL.sub(lambda cell: f'<div class="{cell.group(1)}" id="cell-{next(counter)}">', body)
    target = outdir / "_static" / CHART_DATA_DIR
    target.mkdir(parents=True, exist_ok=True)

    def extras(match: re.Match[str]) -> str:
        chart_id = match.group("id")
        spec = json.loads(match.group("spec").replace("<\\/", "</"))
        cell_ids = re.findall(r'id="(cell-\d+)"', body[: match.start()])
        tables = chart_tables(spec)
        links = []
        for number, records in enumerate(tables, start=1):
            name = f"{chart_id}.csv" if number == 1 else f"{chart_id}-{number}.csv"
            (target / name).write_text(csv_text(records, spec), encoding="utf-8")
            label = "Download the data (CSV)" if number == 1 else f"Download data table {number} (CSV)"
            links.append(f'<a href="{pathto(f"_static/{CHART_DATA_DIR}/{name}", 1)}" download>{label}</a>')
        if cell_ids:
            links.append(f'<a href="#{cell_ids[-1]}">Code cell that made this chart</a>')
        if notebook_link:
            links.append(f'<a href="{notebook_link}" download>Notebook (.ipynb)</a>')
        table = (
            f'<details class="chart-data-table"><summary>Data table for this chart</summary>{_table_html(tables[0])}</details>'
            if tables else ""
        )
        return f'{match.group(1)}<p class="chart-links">{" · ".join(links)}</p>{table}{match.group("rest")}'

    return _FIGURE.sub(extras, body)
