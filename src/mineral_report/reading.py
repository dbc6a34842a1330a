"""Sphinx extension: what a reader sees around the chapters.

* Code cells are folded away: every notebook code cell gets the ``hide-input`` tag as the
  page is read, so the page shows prose, charts and tables, and each cell's code stays one
  click away (the chart's "code cell" link lands on it). The notebooks themselves are unchanged.
  The fold's button is named by the words it shows.
* Every page ends with who wrote the report and how to cite it, from ``CITATION.cff``.
* The stylesheet and script for the report's tables (a wide table scrolls and says so).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from mineral_report.citation import citation_html, read_citation

HIDDEN_TAG = "hide-input"
STYLESHEET_NAME = "report-reading.css"
SCRIPT_NAME = "report-reading.js"


def fold_code_cells(notebook_text: str) -> str:
    """The notebook with every code cell tagged to show its output and fold its code."""
    notebook = json.loads(notebook_text)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if HIDDEN_TAG not in tags:
                tags.append(HIDDEN_TAG)
    return json.dumps(notebook, ensure_ascii=False)


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        source[0] = fold_code_cells(source[0])


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    static_dir = Path(app.outdir) / "_static"
    static_dir.mkdir(parents=True, exist_ok=True)
    for name in (STYLESHEET_NAME, SCRIPT_NAME):
        asset = resources.files("mineral_report") / "static" / name
        (static_dir / name).write_text(asset.read_text(encoding="utf-8"), encoding="utf-8")
    app.env.report_citation = citation_html(read_citation(Path(app.srcdir) / "CITATION.cff"))


# myst-nb names every fold "Toggle hidden content" while it shows "Show code cell source": a
# screen-reader user who says what they see cannot reach it. Without the label, the name is
# the visible text.
_FOLD_LABEL = ' aria-label="Toggle hidden content"'


def _finish_page(app: Sphinx, pagename: str, _template: str, context: dict[str, Any], _doctree: Any) -> None:
    if context.get("body") and pagename in app.env.all_docs:
        context["body"] = context["body"].replace(_FOLD_LABEL, "") + app.env.report_citation


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _on_builder_inited)
    app.connect("source-read", _on_source_read)
    app.connect("html-page-context", _finish_page)
    app.add_css_file(STYLESHEET_NAME)
    app.add_js_file(SCRIPT_NAME)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
