"""The chart renderer is deterministic and offline; the page extras read back what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from mineral_report.charts.layout import Citation, finish
from mineral_report.charts.renderer import CHART_MIMETYPE, ChartMetadataError, render_chart_html, spec_json
from mineral_report.notebook import setup
from mineral_report.book.page_figures import add_chart_extras, chart_tables


def _chart(values: list[int]) -> alt.Chart:
    setup()
    frame = pd.DataFrame({"year": ["2023-24", "2024-25"][: len(values)], "value": values})
    chart = alt.Chart(frame).mark_bar().encode(x="year:O", y="value:Q")
    return finish(chart, title="T", subtitle="US$ million", description="Bars of value by year.",
                  source=Citation(source="Publisher, Table (vintage 1)", licence="CC-BY-4.0"))


def test_same_chart_gives_the_same_bytes_and_no_cdn() -> None:
    first = render_chart_html(_chart([1, 2]).to_dict())
    assert first == render_chart_html(_chart([1, 2]).to_dict())
    assert first != render_chart_html(_chart([1, 3]).to_dict())
    assert "cdn" not in first.lower() and "http://" not in first.replace("https://vega.github.io/schema", "")
    assert 'class="chart-source">Source: Publisher, Table (vintage 1)' in first


def test_notebook_output_carries_the_vega_lite_json_too() -> None:
    bundle = _chart([1, 2])._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert {"text/html", CHART_MIMETYPE} <= set(data)


def test_a_chart_without_description_or_source_is_refused() -> None:
    spec = _chart([1]).to_dict()
    with pytest.raises(ChartMetadataError):
        render_chart_html({**spec, "description": ""})
    with pytest.raises(ChartMetadataError):
        render_chart_html({**spec, "usermeta": {}})


def test_page_extras_write_the_csv_with_its_source(tmp_path: Path) -> None:
    spec = _chart([5, 7]).to_dict()
    page = '<div class="cell docutils container"><p>code</p></div>' + render_chart_html(spec)
    body = add_chart_extras(page, tmp_path, lambda target, _resource: f"../{target}", "../nb.ipynb")
    (csv_file,) = (tmp_path / "_static" / "chart-data").iterdir()
    text = csv_file.read_text()
    assert text.startswith("# Chart: T\n# Source: Publisher, Table (vintage 1)\n# Licence: CC-BY-4.0\n")
    assert "value,year\n5,2023-24\n7,2024-25\n" in text
    assert 'href="#cell-1"' in body and "Data table for this chart" in body


def test_map_geometry_is_not_offered_as_a_table() -> None:
    spec = {"datasets": {"a": [{"type": "Feature", "geometry": {}, "iso3": "IND", "name": "India"}],
                         "b": [{"type": "Feature", "geometry": {}, "iso3": "IND", "value": 3}]}}
    assert chart_tables(spec) == [[{"iso3": "IND", "value": 3}]]


HOSTILE = "</script><!--<script>]]>\u2028\u2029 & >"


def test_spec_json_can_end_or_open_nothing_in_a_page() -> None:
    spec = {"title": HOSTILE, "description": HOSTILE, "usermeta": {"source": HOSTILE}}
    text = spec_json(spec)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == spec
    html = render_chart_html(spec)
    # The only script element is the inert spec, and it ends where the renderer ends it.
    assert html.count("<script") == 1 and html.count("</script>") == 1
    assert "&lt;/script&gt;&lt;!--" in html  # the caption shows the source as text


def test_line_separators_become_spaces_before_vega_lite_sees_them() -> None:
    spec = _chart([1]).properties(title="a\u2028b").to_dict()
    bundle = _chart([1]).properties(title="a\u2028b")._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data[CHART_MIMETYPE]["title"] == "a b" and spec["title"] == "a\u2028b"
