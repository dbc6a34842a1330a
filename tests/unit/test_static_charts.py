"""Build-time chart drawing: variants, patches, ids and accessible SVG."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from mineral_report.book.static_charts import (
    NARROW_WIDTH_PX,
    ChartDrawer,
    apply_patch,
    narrow_spec,
    static_chart_html,
    svg_size,
)
from mineral_report.charts.layout import Citation, finish
from mineral_report.notebook import setup


def _wide_chart() -> dict:
    setup()
    frame = pd.DataFrame({"country": ["India", "Russia", "China"] * 2, "year": [2024] * 3 + [2025] * 3,
                          "value": [1, 2, 3, 4, 5, 6]})
    chart = alt.Chart(frame).mark_line().encode(
        x="year:O", y="value:Q",
        color=alt.Color("country:N", legend=alt.Legend(orient="right", columns=3)),
    ).properties(width=640, height=300)
    return finish(chart, title="A long title that states what the chart shows, in words", subtitle="t",
                  description="Lines.", source=Citation("Publisher", "CC-BY-4.0")).to_dict()


def test_narrow_variant_fits_a_phone_with_legends_below(tmp_path: Path) -> None:
    spec = _wide_chart()
    variant, svg = ChartDrawer(tmp_path).narrow(spec)
    assert svg_size(svg)[0] <= NARROW_WIDTH_PX
    legend = variant["encoding"]["color"]["legend"]
    assert "orient" not in legend and "columns" not in legend and variant["config"]["legend"]["orient"] == "bottom"
    assert isinstance(variant["title"]["text"], list)  # wrapped into lines
    assert spec["encoding"]["color"]["legend"]["orient"] == "right"  # the stored spec is untouched


def test_patch_rebuilds_the_variant_and_svgs_are_cached(tmp_path: Path) -> None:
    spec = _wide_chart()
    drawer = ChartDrawer(tmp_path)
    page = static_chart_html(spec, "chart-x", drawer)
    assert page.count('class="chart-variant') == 2 and "chart-narrow" in page
    assert len(list(tmp_path.glob("*.svg"))) >= 2
    again = static_chart_html(spec, "chart-x", ChartDrawer(tmp_path))
    assert again == page
    narrow = narrow_spec(spec, 200)
    patch = {key: value for key, value in narrow.items() if spec.get(key) != value}
    assert apply_patch(spec, patch) == narrow


def test_each_svg_has_its_own_ids_and_is_one_described_image(tmp_path: Path) -> None:
    setup()
    frame = pd.DataFrame({"x": [1, 2, 3], "v": [1.0, 2.0, 3.0]})
    chart = finish(alt.Chart(frame).mark_rect().encode(x="x:O", color="v:Q").properties(width=600),
                   title="Ramp", subtitle="u", description="A colour ramp.", source=Citation("P", "L"))
    page = static_chart_html(chart.to_dict(), "chart-y", ChartDrawer(tmp_path))
    assert 'role="img"' in page and "<desc id=\"chart-y-wide-d\">A colour ramp.</desc>" in page
    # The gradient of each variant is its own: a hidden variant's gradient would not draw.
    assert 'id="chart-y-wide-gradient_' in page and 'url(#chart-y-narrow-gradient_' in page
