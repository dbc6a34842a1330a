"""An Altair renderer whose HTML works offline and is identical on every run.

Altair's default HTML pulls Vega from a CDN and embeds a random element id. Here the chart
becomes a ``<figure>`` with an id derived from the spec itself, a call into the Vega bundle
that the book serves from its own ``_static`` (see :mod:`mineral_report.book.sphinx`), and a
caption carrying the chart's source line. The spec JSON is written with sorted keys so the
same data always give the same bytes, which is what lets nbval compare chart outputs.
The Vega-Lite mimetype is emitted too, so JupyterLab draws the chart from the notebook.
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

import altair as alt

from mineral_report.book.page_figures import EMBED_GLOBAL

RENDERER_NAME = "report"
CHART_MIMETYPE = f"application/vnd.vegalite.v{alt.SCHEMA_VERSION.lstrip('v').split('.')[0]}+json"


class ChartMetadataError(ValueError):
    """A chart lacks what every chart in the book must carry."""


def _spec_json(spec: dict[str, Any]) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # "</" inside a <script> would close it early.
    return text.replace("</", "<\\/")


def chart_id(spec: dict[str, Any]) -> str:
    return "chart-" + hashlib.sha256(_spec_json(spec).encode("utf-8")).hexdigest()[:12]


def render_chart_html(spec: dict[str, Any]) -> str:
    """The HTML for one chart: figure, embed call, caption with its source."""
    description = spec.get("description")
    if not description:
        raise ChartMetadataError("every chart needs a `description` for screen readers")
    usermeta = spec.get("usermeta", {})
    source = usermeta.get("source")
    if not source:
        raise ChartMetadataError("every chart needs usermeta['source'] (use charts.finish)")
    element = chart_id(spec)
    caption = f'<figcaption class="chart-source">Source: {html.escape(source)}</figcaption>'
    return (
        f'<figure class="report-figure">'
        f'<div class="report-chart" id="{element}"></div>'
        f"{caption}</figure>\n"
        f'<script type="text/javascript">(function (spec) {{'
        f' var draw = function () {{ window.{EMBED_GLOBAL}.embed("#{element}", spec); }};'
        f" if (window.{EMBED_GLOBAL}) {{ draw(); }} else {{ window.addEventListener(\"load\", draw); }}"
        f" }})({_spec_json(spec)});</script>"
    )


def _render(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    return {"text/html": render_chart_html(spec), CHART_MIMETYPE: spec}


def enable_report_renderer() -> None:
    alt.renderers.register(RENDERER_NAME, _render)
    alt.renderers.enable(RENDERER_NAME)
