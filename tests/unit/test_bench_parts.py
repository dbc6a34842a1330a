"""The benchmark's pure parts: log and page parsing, byte counting, synthetic data, budgets."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from benchmarks.run import (
    MB,
    BASELINE_PAGE,
    TRADE_DATASET,
    bytes_by_kind,
    chart_script_bytes,
    classify,
    evaluate_targets,
    map_geometry,
    markdown_report,
    notebook_seconds,
    scaled_csv,
    write_scaled_dataset,
)
from mineral_report.charts.renderer import chart_id, render_chart_html
from mineral_report.book.page_figures import spec_texts
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import read_resource, validate_all

SPEC: dict[str, Any] = {
    "description": "A map.",
    "usermeta": {"source": "Test </script> source"},
    "datasets": {
        "data-shapes": [{"geometry": {"type": "Point", "coordinates": [0, 0]}, "name": "Ä"}],
        "data-values": [{"value": 1}],
    },
}


def test_notebook_seconds_reads_mystnb_lines_through_colour_codes() -> None:
    log = (
        "\x1b[01mreading sources... \x1b[39;49;00m[ 50%] chapters/03\n"
        "/tmp/b/chapters/03-trade-flows.ipynb: Executing notebook using local CWD [mystnb]\n"
        "/tmp/b/chapters/03-trade-flows.ipynb: Executed notebook in 4.03 seconds [mystnb]\n"
        "/tmp/b/chapters/05-timeline.ipynb: Executed notebook in 12.50 seconds [mystnb]\n"
    )
    assert notebook_seconds(log) == {"03-trade-flows.ipynb": 4.03, "05-timeline.ipynb": 12.5}


def test_bytes_are_classified_with_chart_specs_and_chart_scripts_apart() -> None:
    assert [classify(t) for t in ("document", "script", "stylesheet", "font", "image", "fetch")] == [
        "html", "js", "css", "fonts", "other", "other"
    ]
    responses = [("document", "http://h/p.html", 1000), ("script", "http://h/_static/report-vega.js", 300),
                 ("script", "http://h/_static/report-charts.js?v=1", 20), ("script", "http://h/_static/x.js", 200),
                 ("script", "http://h/_static/chart-specs/chart-1.js", 400), ("font", "http://h/f.woff2", 50),
                 ("image", "http://h/i.png", 7)]
    assert bytes_by_kind(responses) == {
        "html": 1000, "chart_json": 400, "js": 520, "css": 0, "fonts": 50, "other": 7
    }
    assert chart_script_bytes(responses) == 320


def test_chart_specs_are_found_in_the_renderer_output_and_maps_measured() -> None:
    page = f"<p>text</p>{render_chart_html(SPEC)}<p>more</p>{render_chart_html({**SPEC, 'datasets': {}})}"
    specs = spec_texts(page)
    assert len(specs) == 2
    assert json.loads(specs[0]) == SPEC
    geometry = map_geometry(specs[0])
    shapes = json.dumps(SPEC["datasets"]["data-shapes"], sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False)
    assert geometry == {"chart": chart_id(SPEC), "shapes": 1, "geometry_bytes": len(shapes.encode())}
    assert map_geometry(specs[1]) is None


def _years(content: bytes) -> list[str]:
    return [line.split(",", 1)[0] for line in content.decode().splitlines()[1:]]


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_scaled_trade_data_pass_the_validator(data_copy: Path, factor: int) -> None:
    manifest = read_manifest(data_copy)
    resource = manifest.resolve(TRADE_DATASET)
    original = manifest.file(resource).read_bytes()
    shipped = len(read_resource(manifest, resource))

    rows = write_scaled_dataset(data_copy, TRADE_DATASET, factor, original)

    rescanned = read_manifest(data_copy)
    table = read_resource(rescanned, rescanned.resolve(TRADE_DATASET))
    assert rows == len(table) == shipped * factor
    assert table["fiscal_year"].nunique() == len(set(_years(original))) * factor
    if factor == 1:
        assert manifest.file(resource).read_bytes() == original
    assert validate_all(rescanned) == []


def test_synthetic_years_never_reach_the_real_ones() -> None:
    with pytest.raises(ValueError, match="into the real ones"):
        scaled_csv(b"fiscal_year,x\n2023-24,1\n", 2000)


def _results(no_change: float, render_ms: float, over: int, scale_100: float) -> dict[str, Any]:
    page = {"page": "chapters/x.html", "charts": 2, "render_ms": render_ms, "over_baseline": over,
            "bytes": dict.fromkeys(["html", "chart_json", "js", "css", "fonts", "other"], 1),
            "total": 6, "on_demand": 900_000, "total_all": 900_006, "chart_js_bytes": 900_000,
            "load_ms": 500.0, "fcp_ms": 400.0, "visible_over_fcp": render_ms / 800, "maps": []}
    baseline = {**page, "page": BASELINE_PAGE, "charts": 0, "render_ms": 0.0, "over_baseline": 0,
                "on_demand": 0, "total_all": 6 + (over - 900_000) * 10, "chart_js_bytes": (over > MB) * 5,
                "visible_over_fcp": 0.0}
    return {
        "machine": {"date": "2026-11-22 10:00", "cpus": 2, "python": "3.11"},
        "build": {"clean_s": 100.0, "no_change_s": no_change, "data_change_s": 90.0,
                  "notebooks": {"a.ipynb": 60.0}, "notebooks_s": 60.0, "data_change_reexecuted": 1},
        "validation": {"nbval_s": 70.0, "validate_s": 2.0},
        "pages": {"baseline": BASELINE_PAGE, "bundle_bytes": 900_000, "rows": [page, baseline]},
        "scale": [
            {"factor": 1, "rows": 314, "build_s": 10.0, "notebook_s": 4.0, "html_bytes": 1, "chart_json_bytes": 1},
            {"factor": 100, "rows": 31400, "build_s": scale_100, "notebook_s": 8.0, "html_bytes": 1,
             "chart_json_bytes": 1},
        ],
    }


def test_targets_hold_within_budget_and_miss_beyond() -> None:
    within = evaluate_targets(_results(no_change=9.0, render_ms=900.0, over=900_000, scale_100=25.0))
    assert [t.holds for t in within] == [True] * 8
    beyond = evaluate_targets(_results(no_change=11.0, render_ms=1100.0, over=1_100_000, scale_100=30.0))
    assert [t.holds for t in beyond] == [False, True, False, False, False, False, False, False]


def test_markdown_report_lists_every_target() -> None:
    results = _results(no_change=9.0, render_ms=900.0, over=900_000, scale_100=25.0)
    results["targets"] = [asdict(t) for t in evaluate_targets(results)]
    report = markdown_report(results)
    assert report.count("| yes |") == 8
    assert "| chapters/x.html | 2 |" in report
