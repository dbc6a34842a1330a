"""Sphinx extension: charts drawn at build time, Vega only where charts are, data dependencies.

* Every chart is drawn as SVG into its page when the page is written (static_charts), and gets
  its data as CSV, a data table and links to its code (page_figures).
* Pages with charts, and only those, load the small ``report-charts.js``. After the page has
  painted it loads the Vega, Vega-Lite and Vega-Embed bundle (``vl_convert``'s offline
  bundle, wrapped in a function so its top-level names cannot clash with the theme's
  scripts; it exposes one global, ``reportCharts``) and swaps each static chart, as it comes
  into view, for its interactive version drawn from the same spec and variant.
* Jupyter Book's Thebe launcher is dropped from pages when live code is off.
* Binder and Colab buttons point at the public repository, when the build knows it (launch).
* Jupyter execution caches key on code only. Every notebook is made to depend on the data
  manifest, whose checksums change with any data file, so changed data re-executes chapters.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from mineral_report.book.launch import apply_to_theme, find_public_repository
from mineral_report.book.page_figures import add_chart_extras
from mineral_report.book.static_charts import ChartDrawer, static_chart_html

BUNDLE_NAME = "report-vega.js"
LOADER_NAME = "report-charts.js"
STYLESHEET_NAME = "report.css"
EMBED_GLOBAL = "reportCharts"
SVG_CACHE = "chart-svg"
CHARTS_END = "report-charts-end"
MANIFEST_RELATIVE = Path("data") / "datapackage.json"

_SNIPPET = f"""
window.{EMBED_GLOBAL} = {{
  embed: function (element, spec) {{
    return vegaEmbed(element, spec, {{
      renderer: "svg",
      actions: {{ export: true, source: false, compiled: false, editor: false }}
    }}).then(function (result) {{
      var menu = element.querySelector("details > summary");
      if (menu) {{ menu.setAttribute("aria-label", "Save this chart as an image"); }}
      return result;
    }});
  }}
}};
"""


def _bundle_version() -> str:
    # Package versions from their metadata: importing altair and vl_convert would add about a
    # second to every build, even one with nothing to do.
    key = f"{metadata.version('altair')}|{metadata.version('vl-convert-python')}|{_SNIPPET}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def write_bundle(static_dir: Path) -> Path:
    """Write the wrapped bundle once per version; later builds reuse it (it takes ~1.5 s)."""
    static_dir.mkdir(parents=True, exist_ok=True)
    target = static_dir / BUNDLE_NAME
    stamp = static_dir / (BUNDLE_NAME + ".version")
    version = _bundle_version()
    if target.is_file() and stamp.is_file() and stamp.read_text() == version:
        return target
    import altair as alt
    import vl_convert

    vega_lite = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    bundle = vl_convert.javascript_bundle(snippet=_SNIPPET, vl_version=vega_lite)
    target.write_text(f"(function () {{\n{bundle}\n}})();\n", encoding="utf-8")
    stamp.write_text(version)
    return target


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    static_dir = Path(app.outdir) / "_static"
    write_bundle(static_dir)
    for name in (STYLESHEET_NAME, LOADER_NAME):
        packaged = resources.files("mineral_report.book") / "static" / name
        (static_dir / name).write_text(packaged.read_text(encoding="utf-8"), encoding="utf-8")


def _on_source_read(app: Sphinx, docname: str, _source: list[str]) -> None:
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        manifest = Path(app.srcdir) / MANIFEST_RELATIVE
        if manifest.is_file():
            app.env.note_dependency(str(manifest))


def _drop_unused_assets(
    app: Sphinx, _pagename: str, _template: str, context: dict[str, Any], _doctree: Any
) -> None:
    """Remove what Jupyter Book loads on every page that a page does not use.

    * The Thebe launcher: live code is switched off in ``_config.yml``, yet sphinx-thebe still
      declares its ``THEBE_JS_URL`` constant twice per page (a JavaScript error) and points it
      at a CDN.
    * sphinx-design's stylesheet and tab script (over 60 kB) on a page with none of its
      components (their classes start with ``sd-``).
    """
    thebe_off = not app.config.html_theme_options.get("launch_buttons", {}).get("thebe")
    design_unused = 'class="sd-' not in (context.get("body") or "")

    def unused(asset: Any) -> bool:
        text = str(asset).lower()
        body = getattr(asset, "attributes", {}).get("body", "") or ""
        thebe = "thebe" in text or "THEBE_JS_URL" in body
        design = "sphinx-design" in text or "design-tabs" in text
        return (thebe_off and thebe) or (design_unused and design)

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not unused(asset)]


def _add_chart_extras(
    app: Sphinx, pagename: str, _template: str, context: dict[str, Any], _doctree: Any
) -> None:
    """Each chart drawn as SVG, with its data as CSV, a data table and links to its code.

    Only a page with charts gets the chart script, at the end of its body: it loads Vega after
    the page has painted. Its first paint holds every chart.
    """
    body = context.get("body")
    if not body or "report-figure" not in body:
        return
    source = app.env.doc2path(pagename, base=False) if pagename in app.env.all_docs else None
    notebook = None
    if source is not None and str(source).endswith(".ipynb"):
        notebook = context["pathto"](f"_sources/{source}", 1)
    drawer = ChartDrawer(Path(app.doctreedir) / SVG_CACHE)
    body = add_chart_extras(
        body, Path(app.outdir), context["pathto"], notebook, pagename,
        lambda spec, element: static_chart_html(spec, element, drawer),
    )
    loader = context["pathto"](f"_static/{LOADER_NAME}", 1)
    # The browser would otherwise paint the top of a long page before it has parsed the charts
    # below: the first paint waits until the marker after the last chart is parsed, so every
    # chart is in it (Chromium; other browsers ignore the hint and paint progressively).
    context["metatags"] = context.get("metatags", "") + (
        f'<link rel="expect" href="#{CHARTS_END}" blocking="render">'
    )
    context["body"] = body + f'<div id="{CHARTS_END}"></div><script src="{loader}" defer></script>\n'


def _fix_bibliography_roles(
    _app: Sphinx, _pagename: str, _template: str, context: dict[str, Any], _doctree: Any
) -> None:
    """Give bibliography entries a role their ``role="list"`` container accepts.

    docutils marks entries ``doc-biblioentry`` inside a plain ARIA list; checkers (axe) and
    some screen readers then see a list with no items. ``listitem`` keeps the list readable.
    """
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _add_templates(app: Sphinx, config: Any) -> None:
    """Put the package's template overrides (accessibility fixes) ahead of the theme's."""
    config.templates_path.insert(0, str(resources.files("mineral_report.book") / "templates"))


def _configure_launch_buttons(app: Sphinx, config: Any) -> None:
    repository = find_public_repository(Path(app.srcdir), os.environ)
    apply_to_theme(config.html_theme_options, repository)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _add_templates)
    app.connect("config-inited", _configure_launch_buttons)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _drop_unused_assets)
    app.connect("html-page-context", _add_chart_extras)
    app.connect("html-page-context", _fix_bibliography_roles)
    app.connect("source-read", _on_source_read)
    app.add_css_file(STYLESHEET_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
