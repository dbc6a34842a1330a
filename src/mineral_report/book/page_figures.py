"""What the built book adds to every chart: its SVG, its data as CSV, a data table, links to its code.

The chart renderer writes each chart's Vega-Lite spec into the notebook output as inert JSON.
When Sphinx writes a page, :func:`add_chart_extras` reads those specs back, fills each chart
container with its SVG variants (see :mod:`mineral_report.book.static_charts`), moves the spec
out of the page to ``_static/chart-specs/<chart-id>.js`` (loaded only when the chart turns
interactive; the container's ``data-spec`` names it: a script, not JSON, because a page opened
from disk may load scripts but not fetch files), writes every table of chart data to
``_static/chart-data/<chapter>--<chart title>[-n].csv`` (headed by the chart's source and
licence), and inserts, directly under the chart, links to the profiles of the minerals it shows,
the download links, a link to the code cell that drew it and a collapsible data table for
readers who cannot see the chart.
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

CHART_DATA_DIR = "chart-data"
CHART_SPEC_DIR = "chart-specs"
MAX_TABLE_ROWS = 400
SLUG_CHARS = 60
# A code cell's classes include its tags (the book folds every cell's code: ``tag_hide-input``).
_CELL = re.compile(r'<div class="(cell(?: [^"]*)? docutils container)">')
_SPEC = re.compile(r'<script type="application/json" class="chart-spec">(.*?)</script>', re.DOTALL)
_FIGURE = re.compile(
    r'<figure class="report-figure"><div class="report-chart" id="(?P<id>chart-[0-9a-f]+)"></div>'
    r'<script type="application/json" class="chart-spec">(?P<spec>.*?)</script>'
    r'(?P<caption><figcaption class="chart-source">.*?</figcaption>)</figure>',
    re.DOTALL,
)


GEOMETRY_KEYS = {"geometry", "type"}
# A map's base layer carries only country names and ids: no data a reader needs.
BASE_LAYER_KEYS = {"iso3", "name", "id"}


_BUILT_SPEC = re.compile(r'<div class="report-chart" id="chart-[0-9a-f]+" data-spec="([^"]+)">')
# A spec file is one call of the chart loader's callback: ``reportChartSpec("<chart id>", <spec>);``
_SPEC_SCRIPT = re.compile(r'^reportChartSpec\("(chart-[0-9a-f]+)", (.*)\);\n$', re.DOTALL)


def spec_script(chart_id: str, spec_text: str) -> str:
    """The script that hands a chart's spec to the chart loader."""
    return f'reportChartSpec("{chart_id}", {spec_text});\n'


def spec_of_script(script: str) -> str:
    """The spec JSON a spec script carries."""
    match = _SPEC_SCRIPT.match(script)
    if match is None:
        raise ValueError("not a chart spec script")
    return match.group(2)


def spec_texts(page_html: str) -> list[str]:
    """The spec JSON of every chart in a notebook's HTML output, as the renderer wrote it."""
    return _SPEC.findall(page_html)


def chart_specs(page_html: str) -> list[dict[str, Any]]:
    """The Vega-Lite spec of every chart in a notebook's HTML output."""
    return [json.loads(text) for text in spec_texts(page_html)]


def built_spec_texts(page: Path) -> list[str]:
    """The spec JSON of every chart of a page of the built site, in page order."""
    text = page.read_text(encoding="utf-8")
    return [spec_of_script((page.parent / html.unescape(ref)).read_text(encoding="utf-8"))
            for ref in _BUILT_SPEC.findall(text)]


def built_chart_specs(page: Path) -> list[dict[str, Any]]:
    """The Vega-Lite spec of every chart of a page of the built site, in page order."""
    return [json.loads(text) for text in built_spec_texts(page)]


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


def slug(text: str, limit: int = SLUG_CHARS) -> str:
    """Lower-case words joined by hyphens, cut at a word boundary: a readable file name."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or "chart"


def chart_title(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else str(title)


def add_chart_extras(
    body: str,
    outdir: Path,
    pathto: Callable[..., str],
    notebook_link: str | None,
    page_name: str = "page",
    draw: Callable[[dict[str, Any], str], str] | None = None,
) -> str:
    """Rewrite one page's body: anchor code cells; draw each chart and add links and a data table.

    ``draw(spec, chart_id)`` returns the chart's static SVG markup; without it the container
    stays empty (the interactive upgrade alone draws the chart).
    """
    counter = iter(range(1, 10_000))
    body = _CELL.sub(lambda cell: f'<div class="{cell.group(1)}" id="cell-{next(counter)}">', body)
    target = outdir / "_static" / CHART_DATA_DIR
    target.mkdir(parents=True, exist_ok=True)
    spec_dir = outdir / "_static" / CHART_SPEC_DIR
    spec_dir.mkdir(parents=True, exist_ok=True)
    chapter = slug(page_name.rsplit("/", 1)[-1])
    used: set[str] = set()

    def file_name(spec: dict[str, Any], number: int) -> str:
        stem = f"{chapter}--{slug(chart_title(spec))}" + ("" if number == 1 else f"-data-{number}")
        name, count = stem, 1
        while name in used:
            count += 1
            name = f"{stem}-{count}"
        used.add(name)
        return f"{name}.csv"

    def extras(match: re.Match[str]) -> str:
        chart_id = match.group("id")
        spec = json.loads(match.group("spec"))
        cell_ids = re.findall(r'id="(cell-\d+)"', body[: match.start()])
        tables = chart_tables(spec)
        links = []
        for number, records in enumerate(tables, start=1):
            name = file_name(spec, number)
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
        profiles = [item for item in spec.get("usermeta", {}).get("profiles", []) if item["document"] != page_name]
        profiles_html = (
            '<p class="chart-profiles">Mineral profiles: ' + " · ".join(
                f'<a href="{html.escape(pathto(item["document"]))}#{html.escape(item["anchor"])}">{html.escape(item["name"])}</a>'
                for item in profiles) + "</p>"
        ) if profiles else ""
        hint = spec.get("usermeta", {}).get("interaction")
        hint_html = f'<p class="chart-hint web-only">{html.escape(hint)}</p>' if hint else ""
        drawn = draw(spec, chart_id) if draw is not None else ""
        (spec_dir / f"{chart_id}.js").write_text(spec_script(chart_id, match.group("spec")), encoding="utf-8")
        spec_link = html.escape(pathto(f"_static/{CHART_SPEC_DIR}/{chart_id}.js", 1))
        return (
            f'<figure class="report-figure">'
            f'<div class="report-chart" id="{chart_id}" data-spec="{spec_link}">{drawn}</div>'
            f'{hint_html}{match.group("caption")}{profiles_html}'
            f'<p class="chart-links web-only">{" · ".join(links)}</p>{table}</figure>'
        )

    return _FIGURE.sub(extras, body)
