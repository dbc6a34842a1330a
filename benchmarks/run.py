"""Measure what the book costs to build, to rebuild and to read, in one run.

Everything is timed in the same run so the ratios stay meaningful on a noisy machine, and on
throwaway copies of the repository so the working tree and its ``_build`` are never touched:

* build: a clean build, a rebuild with nothing changed, a rebuild after the data manifest is
  rewritten byte for byte (every chapter depends on it, so every chapter re-executes), and the
  notebooks' own execution time read from the build log;
* validation: nbval on every chapter and ``mineral-report validate``;
* reader cost, per page in headless Chromium: bytes to first paint and on demand (Vega and the
  chart specs, loaded after the page has painted), first contentful paint, and the time until
  every chart is visible, as a ratio over the first contentful paint;
* the PDF: its build time and page count;
* scale: the trade chapter built alone with its HS-chapter data at 1x, 10x and 100x.

Results go to ``benchmarks/results.json`` and, as tables, ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mineral_report.charts.renderer import chart_id
from mineral_report.data.manifest import MANIFEST_NAME, read_manifest, sha256_of
from mineral_report.book.page_figures import CHART_SPEC_DIR, built_spec_texts, is_geometry
from mineral_report.book.pdf import CHART_TIMEOUT_MS, CHROMIUM, CHROMIUM_FLAGS, PDF_NAME, book_order, serve
from mineral_report.book.sphinx import BUNDLE_NAME, LOADER_NAME

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
RESULTS_JSON = REPO / "benchmarks" / "results.json"
RESULTS_MD = REPO / "benchmarks" / "results.md"

BUILD_FLAGS = ["-W", "-n", "--keep-going"]
NOT_COPIED = (".venv", "_build", "node_modules", ".git", ".jupyter_cache", "__pycache__",
              ".pytest_cache", ".ipynb_checkpoints", "results.json", "results.md")
TRADE_CHAPTER = "chapters/03-trade-flows"
TRADE_DATASET = "india-imports-by-hs-chapter"
# The glossary has no charts: it is what any page of the theme costs without them.
BASELINE_PAGE = "chapters/98-glossary.html"
SCALE_FACTORS = (1, 10, 100)
# Synthetic rows get fiscal years long before the real ones, so primary keys stay unique.
FIRST_SYNTHETIC_YEAR = 1000
PAGE_LOADS = 3
MB = 1_000_000

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_EXECUTED = re.compile(r"(\S+\.ipynb): Executed notebook in ([0-9.]+) seconds")
_KINDS = {"document": "html", "script": "js", "stylesheet": "css", "font": "fonts"}
KINDS = ("html", "chart_json", "js", "css", "fonts", "other")
CHART_SCRIPTS = (BUNDLE_NAME, LOADER_NAME)
VISIBLE_OVER_FCP = 1.25

# Run in the page from its start: at every animation frame, until all of the page's
# ``expected`` charts are visible (an SVG with marks that takes up room on the page, static or
# drawn by Vega), then ``window.__chartsVisible`` holds performance.now() (ms since navigation
# start) of that frame. Checking inside the page, frame by frame, times the frame that first
# shows the charts, with no delay from the test driver polling; counting visible charts, rather
# than waiting for the document to finish parsing, times the charts, not the theme's scripts.
_ALL_CHARTS_VISIBLE = """(() => {
  const expected = %d;
  const check = () => {
    const visible = [...document.querySelectorAll(".report-chart")].filter((chart) =>
      [...chart.querySelectorAll("svg.marks")].some((svg) => svg.getBoundingClientRect().width > 0
        && svg.querySelector("g[class*='mark-'] path, g[class*='mark-'] text"))).length;
    if (visible >= expected) { window.__chartsVisible = performance.now(); } else { requestAnimationFrame(check); }
  };
  requestAnimationFrame(check);
})();"""

# The first contentful paint (ms since navigation start) once it has happened; false before.
_FIRST_CONTENTFUL_PAINT = (
    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime || false"
)

# The load event's end (ms since navigation start) once it has ended; false before.
_LOAD_EVENT_ENDED = "performance.getEntriesByType('navigation')[0].loadEventEnd || false"


@dataclass(frozen=True)
class Target:
    """One budget the book should stay within, and whether this run kept it."""

    name: str
    measured: str
    holds: bool


# Pure parts: parsing logs and pages, synthetic data, budgets, tables.


def notebook_seconds(log: str) -> dict[str, float]:
    """Each notebook's own execution time, from myst-nb's lines in a build log."""
    return {
        Path(name).name: float(seconds) for name, seconds in _EXECUTED.findall(_ANSI.sub("", log))
    }


def classify(resource_type: str, url: str = "") -> str:
    """The kind a browser resource counts under (chart specs, scripts of data, apart)."""
    if f"/{CHART_SPEC_DIR}/" in url:
        return "chart_json"
    return _KINDS.get(resource_type, "other")


def bytes_by_kind(responses: Iterable[tuple[str, str, int]]) -> dict[str, int]:
    """Bytes per kind for (resource type, address, bytes) of each response."""
    totals = dict.fromkeys(KINDS, 0)
    for resource_type, url, size in responses:
        totals[classify(resource_type, url)] += size
    return totals


def is_on_demand(url: str) -> bool:
    """Whether a request is one the interactive charts make after the first paint."""
    name = url.split("?")[0].rsplit("/", 1)[-1]
    return name in CHART_SCRIPTS or f"/{CHART_SPEC_DIR}/" in url


def chart_script_bytes(responses: Iterable[tuple[str, str, int]]) -> int:
    """Bytes of the chart JavaScript (the Vega bundle and its loader) among the responses."""
    return sum(size for _, url, size in responses if url.split("?")[0].rsplit("/", 1)[-1] in CHART_SCRIPTS)


def _json_bytes(value: Any) -> int:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return len(text.encode("utf-8"))


def map_geometry(spec_json: str) -> dict[str, Any] | None:
    """Bytes and shape count of a chart's geometry datasets; ``None`` if it is not a map."""
    spec = json.loads(spec_json)
    shapes = [
        records for records in spec.get("datasets", {}).values()
        if is_geometry(records)
    ]
    if not shapes:
        return None
    return {
        "chart": chart_id(spec),
        "shapes": sum(len(records) for records in shapes),
        "geometry_bytes": sum(_json_bytes(records) for records in shapes),
    }


def fiscal_year(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def scaled_csv(original: bytes, factor: int) -> bytes:
    """The file followed by ``factor - 1`` copies of its rows, each under synthetic fiscal years.

    HS chapters must stay two digits and partners stay in the schema's list, so only the year
    varies: copy ``k`` moves each real year to its own synthetic year, which keeps the file valid
    against the schema and its primary key unique.
    """
    text = original.decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.endswith(newline):
        text += newline
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    years = sorted({row["fiscal_year"] for row in rows})
    last = FIRST_SYNTHETIC_YEAR + (factor - 1) * len(years)
    if years and last >= int(years[0][:4]):
        raise ValueError(f"{factor}x needs synthetic years up to {last}, into the real ones ({years[0]})")
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator=newline)
    for copy in range(factor - 1):
        shift = {year: fiscal_year(FIRST_SYNTHETIC_YEAR + copy * len(years) + i)
                 for i, year in enumerate(years)}
        writer.writerows({**row, "fiscal_year": shift[row["fiscal_year"]]} for row in rows)
    return (text + out.getvalue()).encode("utf-8")


def write_scaled_dataset(data_dir: Path, dataset: str, factor: int, original: bytes) -> int:
    """Replace the pinned file of ``dataset`` by its scaled copy and re-record its checksum."""
    manifest = read_manifest(data_dir)
    resource = manifest.resolve(dataset)
    target = manifest.file(resource)
    content = scaled_csv(original, factor)
    target.write_bytes(content)
    manifest_path = data_dir / MANIFEST_NAME
    raw = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in raw["resources"]:
        if entry["name"] == resource.name:
            entry["hash"] = f"sha256:{sha256_of(target)}"
    manifest_path.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8"), newline=""))) - 1


def evaluate_targets(results: dict[str, Any]) -> list[Target]:
    """The budgets the book should keep: rebuild, overhead, time to charts, bytes, scale."""
    build = results["build"]
    pages = [p for p in results["pages"]["rows"] if p["charts"]]
    chart_free = [p for p in results["pages"]["rows"] if not p["charts"]]
    worst_render = max(pages, key=lambda p: p["render_ms"])
    worst_ratio = max(pages, key=lambda p: p["visible_over_fcp"])
    heaviest = max(pages, key=lambda p: p["over_baseline"])
    most_vega = max(chart_free, key=lambda p: p["chart_js_bytes"])
    heaviest_free = max(chart_free, key=lambda p: p["total_all"])
    scale = {row["factor"]: row["build_s"] for row in results["scale"]}
    growth = scale[max(scale)] / scale[min(scale)]
    overhead = (build["clean_s"] - build["notebooks_s"]) / build["notebooks_s"]
    rebuild = build["no_change_s"] / build["clean_s"]
    return [
        Target("no-change rebuild <= 10% of clean build",
               f"{rebuild:.1%} ({build['no_change_s']:.1f} s / {build['clean_s']:.1f} s)",
               rebuild <= 0.10),
        Target("book overhead <= 1.0x the notebooks' own execution",
               f"{overhead:.2f}x ({build['clean_s'] - build['notebooks_s']:.1f} s over "
               f"{build['notebooks_s']:.1f} s)", overhead <= 1.0),
        Target("every chart drawn <= 1 s after navigation",
               f"{worst_render['render_ms']:.0f} ms, slowest page {worst_render['page']}",
               worst_render["render_ms"] <= 1000),
        Target(f"every chart visible <= {VISIBLE_OVER_FCP}x the page's first contentful paint",
               f"{worst_ratio['visible_over_fcp']:.2f}x, worst page {worst_ratio['page']}",
               worst_ratio["visible_over_fcp"] <= VISIBLE_OVER_FCP),
        Target("chart bytes per page to first paint <= 1 MB over the baseline page",
               f"{heaviest['over_baseline'] / MB:.2f} MB, heaviest page {heaviest['page']}",
               heaviest["over_baseline"] <= MB),
        Target("no Vega JavaScript on chart-free pages",
               f"{most_vega['chart_js_bytes']:,} bytes, most on {most_vega['page']}",
               most_vega["chart_js_bytes"] == 0),
        Target("chart-free page <= 1 MB in all",
               f"{heaviest_free['total_all'] / MB:.2f} MB, heaviest {heaviest_free['page']}",
               heaviest_free["total_all"] <= MB),
        Target(f"clean build at {max(scale)}x data < 3x the build at {min(scale)}x",
               f"{growth:.2f}x", growth < 3),
    ]


def _kb(size: int) -> str:
    return f"{size / 1000:,.1f}"


def markdown_report(results: dict[str, Any]) -> str:
    """The results as tables a reader can scan."""
    build, check, pages = results["build"], results["validation"], results["pages"]
    lines = [
        "# What the book costs",
        "",
        (f"Measured {results['machine']['date']} on {results['machine']['cpus']} CPU(s), "
        f"Python {results['machine']['python']}, on throwaway copies of the repository."),
        "",
        "## Build",
        "",
        "| Step | Seconds |",
        "| --- | ---: |",
        f"| Clean build (`jupyter-book build -W -n --keep-going`, no `_build`) | {build['clean_s']:.1f} |",
        f"| Rebuild, nothing changed | {build['no_change_s']:.1f} |",
        (f"| Rebuild after `data/datapackage.json` is rewritten (same bytes, new mtime) | "
        f"{build['data_change_s']:.1f} |"),
        (f"| Notebooks' own execution in the clean build (sum of {len(build['notebooks'])}) | "
        f"{build['notebooks_s']:.1f} |"),
        f"| Clean build / notebooks' execution | {build['clean_s'] / build['notebooks_s']:.2f}x |",
        f"| `pytest --nbval chapters` | {check['nbval_s']:.1f} |",
        f"| `mineral-report validate` | {check['validate_s']:.1f} |",
        "",
        ("Every chapter notebook depends on `data/datapackage.json` (the book's Sphinx extension "
        "notes it as a dependency), so a changed manifest re-executes every chapter: "
        f"{build['data_change_reexecuted']} notebook(s) re-executed in that rebuild."),
        "",
        "| Notebook | Executed in (s) |",
        "| --- | ---: |",
        *(f"| {name} | {seconds:.1f} |" for name, seconds in build["notebooks"].items()),
        "",
        "## Reader cost",
        "",
        (f"Each page loaded {PAGE_LOADS} times in a fresh headless Chromium context (empty cache) "
        "from the built site on 127.0.0.1. Kilobytes (1,000 bytes) by kind, until the end of the "
        "load event, without what loads on demand (every chart is static SVG in the HTML). On "
        f"demand: what chart pages load once painted, the Vega bundle `{BUNDLE_NAME}` "
        f"({_kb(pages['bundle_bytes'])} kB) and the chart specs that turn charts interactive. "
        "FCP: first contentful paint; Visible: median time from navigation start until every "
        "chart is visible, and its ratio over the FCP. Chart JS: bytes of the chart scripts "
        f"requested. Baseline: `{pages['baseline']}`, a page of the same theme with no charts."),
        "",
        ("| Page | Charts | HTML | Chart JSON | JS | CSS | Fonts | Other | Total | Over baseline "
        "| On demand | Chart JS | Load (ms) | FCP (ms) | Visible (ms) | Visible / FCP |"),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in pages["rows"]:
        drawn = f"{row['render_ms']:.0f}" if row["charts"] else "–"
        ratio = f"{row['visible_over_fcp']:.2f}" if row["charts"] else "–"
        lines.append(
            f"| {row['page']} | {row['charts']} | "
            + " | ".join(_kb(row["bytes"][kind]) for kind in KINDS)
            + f" | {_kb(row['total'])} | {_kb(row['over_baseline'])} | {_kb(row['on_demand'])} | "
            f"{_kb(row['chart_js_bytes'])} | {row['load_ms']:.0f} | {row['fcp_ms']:.0f} | {drawn} | {ratio} |"
        )
    lines += ["", "Map geometry inline in the page:", "", "| Page | Chart | Shapes | Geometry (kB) |",
              "| --- | --- | ---: | ---: |"]
    for row in pages["rows"]:
        for item in row["maps"]:
            lines.append(f"| {row['page']} | {item['chart']} | {item['shapes']} | "
                         f"{_kb(item['geometry_bytes'])} |")
    pdf = results.get("pdf")
    if pdf:
        lines += ["", "## PDF", "", "| Build (s) | Pages |", "| ---: | ---: |",
                  f"| {pdf['build_s']:.1f} | {pdf['pages']} |"]
    lines += [
        "",
        "## Scale",
        "",
        (f"`{TRADE_DATASET}` grown with synthetic fiscal years (rows copied under years from "
        f"{fiscal_year(FIRST_SYNTHETIC_YEAR)} on; the file passes the validator and its checksum is "
        "re-recorded), then a clean build of a book holding only a stub root page and the trade "
        "chapter. The chapter filters to the years it shows, so its page need not grow."),
        "",
        "| Data | Rows | Clean build (s) | Trade notebook (s) | Trade page HTML (kB) | Chart JSON (kB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(f"| {row['factor']}x | {row['rows']:,} | {row['build_s']:.1f} | {row['notebook_s']:.1f} | "
          f"{_kb(row['html_bytes'])} | {_kb(row['chart_json_bytes'])} |" for row in results["scale"]),
        "",
        "## Targets",
        "",
        "| Target | Measured | Holds |",
        "| --- | --- | --- |",
        *(f"| {t['name']} | {t['measured']} | {'yes' if t['holds'] else 'NO'} |"
          for t in results["targets"]),
        "",
    ]
    return "\n".join(lines)


# Measuring: each step runs tools from this repository's venv against a copy.


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def copy_repository(target: Path) -> Path:
    """The working tree's files, without the venv, builds or caches."""
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    return target


def _environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["MINERAL_REPORT_DATA"] = str(copy / "data")
    return env


def timed(command: list[str], copy: Path) -> tuple[float, str]:
    """Wall-clock seconds of a command run in ``copy``, and its output; stop if it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=copy, env=_environment(copy), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(_ANSI.sub("", done.stdout).splitlines()[-40:])
        raise RuntimeError(f"{' '.join(command)} failed in {copy} ({done.returncode}):\n{tail}")
    return seconds, done.stdout


def build(copy: Path) -> tuple[float, str]:
    return timed([str(BIN / "jupyter-book"), "build", str(copy), *BUILD_FLAGS], copy)


def measure_builds(copy: Path) -> dict[str, Any]:
    _log("clean build …")
    clean, log = build(copy)
    notebooks = notebook_seconds(log)
    if not notebooks:
        raise RuntimeError("the build log names no executed notebook: has myst-nb's logging changed?")
    _log(f"  {clean:.1f} s; rebuild with nothing changed …")
    no_change, _ = build(copy)
    _log(f"  {no_change:.1f} s; rebuild after the data manifest changes …")
    manifest = copy / "data" / MANIFEST_NAME
    manifest.write_bytes(manifest.read_bytes())
    data_change, data_log = build(copy)
    _log(f"  {data_change:.1f} s")
    return {
        "clean_s": clean,
        "no_change_s": no_change,
        "data_change_s": data_change,
        "notebooks": notebooks,
        "notebooks_s": sum(notebooks.values()),
        "data_change_reexecuted": len(notebook_seconds(data_log)),
    }


def measure_validation(copy: Path) -> dict[str, float]:
    _log("nbval and data validation …")
    nbval, _ = timed([str(BIN / "pytest"), "--nbval", "chapters", "-p", "no:cacheprovider", "-q"], copy)
    validate, _ = timed([str(BIN / "mineral-report"), "--data-dir", str(copy / "data"), "validate"], copy)
    _log(f"  nbval {nbval:.1f} s, validate {validate:.1f} s")
    return {"nbval_s": nbval, "validate_s": validate}


@dataclass(frozen=True)
class Load:
    """One cold page load."""

    first_paint: list[tuple[str, str, int]]  # (resource type, address, bytes) of the page itself
    on_demand: list[tuple[str, str, int]]  # the chart scripts and specs, loaded after first paint
    load_ms: float
    fcp_ms: float
    visible_ms: float


def _sizes(responses: list[Any]) -> list[tuple[str, str, int]]:
    return [(r.request.resource_type, r.url, len(r.body())) for r in responses if r.status == 200]


def _load(browser: Any, url: str, charts: int) -> Load:
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    if charts:
        page.add_init_script(_ALL_CHARTS_VISIBLE % charts)
    page.goto(url, wait_until="commit")
    visible = 0.0
    if charts:
        visible = float(page.wait_for_function("() => window.__chartsVisible || false",
                                               timeout=CHART_TIMEOUT_MS).json_value())
    fcp = float(page.wait_for_function(_FIRST_CONTENTFUL_PAINT, timeout=CHART_TIMEOUT_MS).json_value())
    # The end of the load event, not Playwright's "networkidle" (which on chart pages came
    # before it, or never): by then every request the first paint needs has been answered.
    loaded = float(page.wait_for_function(_LOAD_EVENT_ENDED, timeout=CHART_TIMEOUT_MS).json_value())
    if charts:  # Vega arrives once the page is idle; the charts in view then load their specs
        page.wait_for_function("() => !!window.reportCharts", timeout=CHART_TIMEOUT_MS)
        page.wait_for_timeout(1000)
    else:
        page.wait_for_timeout(300)
    sizes = _sizes(responses)
    context.close()
    first = [entry for entry in sizes if not is_on_demand(entry[1])]
    later = [entry for entry in sizes if is_on_demand(entry[1])]
    return Load(first, later, loaded, fcp, max(visible, fcp) if charts else 0.0)


def measure_pages(site: Path, pages: list[str]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    _log(f"reader cost of {len(pages)} pages in Chromium …")
    rows = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        _load(browser, f"{url}/{BASELINE_PAGE}", 0)  # the first load also starts Chromium's caches
        for page in dict.fromkeys([*pages, BASELINE_PAGE]):
            specs = built_spec_texts(site / page)
            loads = [_load(browser, f"{url}/{page}", len(specs)) for _ in range(PAGE_LOADS)]
            kinds = bytes_by_kind(loads[0].first_paint)
            on_demand = sum(size for *_, size in loads[0].on_demand)
            fcp = statistics.median(load.fcp_ms for load in loads)
            visible = statistics.median(load.visible_ms for load in loads)
            rows.append({
                "page": page,
                "charts": len(specs),
                "bytes": kinds,
                "total": sum(kinds.values()),
                "on_demand": on_demand,
                "total_all": sum(kinds.values()) + on_demand,
                "chart_js_bytes": chart_script_bytes(loads[0].first_paint + loads[0].on_demand),
                "load_ms": statistics.median(load.load_ms for load in loads),
                "fcp_ms": fcp,
                "render_ms": visible,
                "render_ms_max": max(load.visible_ms for load in loads),
                "visible_over_fcp": max(load.visible_ms / load.fcp_ms for load in loads) if specs else 0.0,
                "maps": [m for m in map(map_geometry, specs) if m is not None],
            })
        browser.close()
    baseline = next(row["total"] for row in rows if row["page"] == BASELINE_PAGE)
    for row in rows:
        row["over_baseline"] = row["total"] - baseline
    return {
        "baseline": BASELINE_PAGE,
        "bundle_bytes": (site / "_static" / BUNDLE_NAME).stat().st_size,
        "rows": rows,
    }


def measure_pdf(copy: Path) -> dict[str, Any]:
    """The PDF built from the copy's site: seconds and pages."""
    from pypdf import PdfReader

    _log("PDF …")
    seconds, _ = timed([str(BIN / "python"), "-m", "mineral_report.book.pdf", "--site", "_build/html",
                        "--toc", "_toc.yml", "--citation", "CITATION.cff", "--manifest",
                        "data/datapackage.json"], copy)
    pages = len(PdfReader(copy / "_build" / "html" / PDF_NAME).pages)
    _log(f"  {seconds:.1f} s, {pages} pages")
    return {"build_s": seconds, "pages": pages}


def measure_scale(copy: Path) -> list[dict[str, Any]]:
    """Clean builds of the trade chapter alone as its HS-chapter data grow."""
    (copy / "_toc.yml").write_text(
        f"format: jb-book\nroot: index\nchapters:\n  - file: {TRADE_CHAPTER}\n", encoding="utf-8"
    )
    # The real landing page quotes every chapter; the stub keeps this book to one chapter.
    (copy / "index.md").write_text("# Scale test\n\nThe trade chapter alone.\n", encoding="utf-8")
    data_dir = copy / "data"
    manifest = read_manifest(data_dir)
    original = manifest.file(manifest.resolve(TRADE_DATASET)).read_bytes()
    page = copy / "_build" / "html" / f"{TRADE_CHAPTER}.html"
    rows = []
    for factor in SCALE_FACTORS:
        count = write_scaled_dataset(data_dir, TRADE_DATASET, factor, original)
        timed([str(BIN / "mineral-report"), "--data-dir", str(data_dir), "validate"], copy)
        shutil.rmtree(copy / "_build", ignore_errors=True)
        _log(f"scale {factor}x ({count:,} rows): clean build …")
        seconds, log = build(copy)
        html = page.read_text(encoding="utf-8")
        rows.append({
            "factor": factor,
            "rows": count,
            "build_s": seconds,
            "notebook_s": sum(notebook_seconds(log).values()),
            "html_bytes": len(html.encode("utf-8")),
            "chart_json_bytes": sum(len(s.encode("utf-8")) for s in built_spec_texts(page)),
        })
        _log(f"  {seconds:.1f} s")
    return rows


def run(keep: bool) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make chromium` (as root) installs it")
    work = Path(tempfile.mkdtemp(prefix="mineral-report-bench-"))
    try:
        book = copy_repository(work / "book")
        results: dict[str, Any] = {
            "machine": {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
                        "python": platform.python_version(), "platform": platform.platform()},
            "build": measure_builds(book),
            "validation": measure_validation(book),
            "pages": measure_pages(book / "_build" / "html", book_order(book / "_toc.yml")),
            "pdf": measure_pdf(book),
            "scale": measure_scale(copy_repository(work / "scale")),
        }
    finally:
        if keep:
            _log(f"copies kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["targets"] = [asdict(t) for t in evaluate_targets(results)]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies to inspect")
    args = parser.parse_args(argv)
    results = run(args.keep)
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    report = markdown_report(results)
    RESULTS_MD.write_text(report, encoding="utf-8")
    print(report)
    print(f"Results: {RESULTS_JSON.relative_to(REPO)}, {RESULTS_MD.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
