"""An Altair renderer whose HTML works offline and is identical on every run.

Altair's default HTML pulls Vega from a CDN and embeds a random element id. Here the chart
becomes a ``<figure>`` holding an empty chart container with an id derived from the spec
itself, the spec as inert JSON (``<script type="application/json">``), and a caption carrying
the chart's source line. The book draws every chart as SVG when it is built, from that stored
spec (see :mod:`mineral_report.book.static_charts`), so the notebook output holds no SVG: it
stays small, and nbval compares only the spec, whose bytes depend on the data alone (sorted
keys, no random ids). The Vega-Lite mimetype is emitted too, so JupyterLab draws the chart.

The JSON is escaped so that no text in the data can end the script element or open anything
in the page: ``<``, ``>``, ``&`` and the line separators U+2028/U+2029 are written as
``\\uXXXX`` escapes, which every JSON parser reads back as the same characters.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

import altair as alt

RENDERER_NAME = "report"
CHART_MIMETYPE = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"
SPEC_CLASS = "chart-spec"
# Characters that could end a script element, open a comment or CDATA section, or (in older
# JavaScript engines) end a line inside a string.
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class ChartMetadataError(ValueError):
    """A chart lacks what every chart in the book must carry."""


def spec_json(spec: dict[str, Any]) -> str:
    """The spec as JSON that is safe inside any HTML element, with sorted keys."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for character, escape in _UNSAFE.items():
        text = text.replace(character, escape)
    return text


def chart_id(spec: dict[str, Any]) -> str:
    return "chart-" + hashlib.sha256(spec_json(spec).encode("utf-8")).hexdigest()[:12]


def render_chart_html(spec: dict[str, Any]) -> str:
    """The HTML for one chart: figure, empty chart container, inert spec, caption with its source."""
    description = spec.get("description")
    if not description:
        raise ChartMetadataError("every chart needs a `description` for screen readers")
    usermeta = spec.get("usermeta", {})
    source = usermeta.get("source")
    if not source:
        raise ChartMetadataError("every chart needs usermeta['source'] (use charts.finish)")
    element = chart_id(spec)
    return (
        f'<figure class="report-figure">'
        f'<div class="report-chart" id="{element}"></div>'
        f'<script type="application/json" class="{SPEC_CLASS}">{spec_json(spec)}</script>'
        f'<figcaption class="chart-source">Source: {html.escape(source)}</figcaption></figure>'
    )


def without_line_separators(value: Any) -> Any:
    """The spec with U+2028/U+2029 in its text turned into spaces.

    Vega-Lite writes tooltip titles into the expressions it generates, and Vega's expression
    parser reads those characters as line ends: the chart would fail to draw.
    """
    if isinstance(value, str):
        return value.replace("\u2028", " ").replace("\u2029", " ")
    if isinstance(value, list):
        return [without_line_separators(item) for item in value]
    if isinstance(value, dict):
        return {without_line_separators(k): without_line_separators(v) for k, v in value.items()}
    return value


def with_profile_links(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the mineral profiles its data name in ``usermeta["profiles"]``: the book
    links each under the chart, so a reader reaches a mineral's profile from every chart of it."""
    from mineral_report.profiles import profiles_named_in

    named = profiles_named_in(spec)
    if not named:
        return spec
    return {**spec, "usermeta": {**spec.get("usermeta", {}), "profiles": named}}


def _render(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    spec = with_profile_links(without_line_separators(spec))
    return {"text/html": render_chart_html(spec), CHART_MIMETYPE: spec}


def enable_report_renderer() -> None:
    alt.renderers.register(RENDERER_NAME, _render)
    alt.renderers.enable(RENDERER_NAME)
