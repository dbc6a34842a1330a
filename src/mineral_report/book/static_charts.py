"""Every chart drawn as SVG when the book is built, in a wide and a narrow variant.

The notebooks store each chart's Vega-Lite spec only (see :mod:`mineral_report.charts.renderer`).
When Sphinx writes a page, each spec is drawn here with ``vl_convert`` (the Vega engine, with no
browser), so every chart is in the page's HTML at first paint, works with JavaScript off and
prints as vectors. Two variants are drawn:

* **wide**, the chart as designed, shown when its container is wider than
  :data:`NARROW_BREAK_PX` and scaled down with the container below its design width;
* **narrow**, for phones: about :data:`NARROW_WIDTH_PX` wide, with legends below the plot in one
  column and titles wrapped, so nothing is cut and text stays at its designed size.

Both are drawn on a transparent background, so the page's colour mode shows through (the
stylesheet recolours the chart text in dark mode). A variant is described by a *patch*: the
top-level keys of the spec it replaces (``null`` removes a key). The browser applies the same
patch when it upgrades a chart to its interactive version, so static and interactive charts have
the same size and layout. SVGs are cached by the hash of what was drawn.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import re
import textwrap
from pathlib import Path
from typing import Any

NARROW_WIDTH_PX = 340  # what a 390 px phone leaves for a chart, less a little margin
NARROW_BREAK_PX = 560  # container width below which the narrow variant is shown
MIN_PLOT_WIDTH_PX = 160
# Below this, a narrower plot hardly narrows the chart (its legends and labels set its width).
MIN_WIDTH_SLOPE = 0.2
TITLE_LINE_CHARS = 36
SUBTITLE_LINE_CHARS = 50
_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")
MEASURED_FONT = "'DejaVu Sans'"
# Several legends below a narrow plot are stacked, not set side by side.
WRAP_LABEL_CHARS = 22
LABEL_LINE_PX = 13
_NARROW_LEGEND = {"orient": "bottom",
                  "gradientLength": 240, "labelLimit": 300, "titleLimit": 300,
                  "layout": {"bottom": {"direction": "vertical", "anchor": "start"}}}
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)"[^>]*?\bheight="([0-9.]+)"')
_NUMBER = re.compile(r"(\d+\.\d+)")
_PATH_DATA = re.compile(r' d="([^"]*)"')
_NO_OP = re.compile(r' aria-hidden="true"| transform="translate\(0,0\)"')


def _vl_version() -> str:
    import altair as alt

    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


def apply_patch(spec: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The spec with a variant's top-level keys replaced (``None`` removes a key)."""
    merged = {**spec, **patch}
    return {key: value for key, value in merged.items() if value is not None}


def _patch(spec: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    changed = {key: value for key, value in variant.items() if spec.get(key) != value}
    return {**changed, **{key: None for key in spec if key not in variant}}


def _wrapped(lines: Any, width: int) -> Any:
    if isinstance(lines, str):
        lines = [lines]
    if not isinstance(lines, list):
        return lines
    out = [part for line in lines for part in (textwrap.wrap(str(line), width) or [""])]
    return out[0] if len(out) == 1 else out


def _narrow_title(title: Any) -> Any:
    if isinstance(title, dict):
        wrapped = dict(title)
        if "text" in wrapped:
            wrapped["text"] = _wrapped(wrapped["text"], TITLE_LINE_CHARS)
        if "subtitle" in wrapped:
            wrapped["subtitle"] = _wrapped(wrapped["subtitle"], SUBTITLE_LINE_CHARS)
        return wrapped
    return _wrapped(title, TITLE_LINE_CHARS)


def _wrap_expression(chars: int) -> str:
    """A Vega expression splitting a label into lines of about ``chars`` characters, at spaces."""
    return f"split(trim(replace(datum.label, regexp('(.{{1,{chars}}})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')"


def _room_for_lines(node: dict[str, Any], field: Any, datasets: dict[str, Any]) -> None:
    """A taller band for each category when its wrapped label takes several lines."""
    labels = [str(r[field]) for rows in datasets.values() for r in rows
              if isinstance(r, dict) and isinstance(field, str) and isinstance(r.get(field), str)]
    lines = max((len(textwrap.wrap(label, WRAP_LABEL_CHARS)) for label in labels), default=1)
    needed = LABEL_LINE_PX * lines + 6
    height = node.get("height")
    if isinstance(height, dict) and isinstance(height.get("step"), (int, float)) and height["step"] < needed:
        node["height"] = {**height, "step": needed}
    elif isinstance(height, (int, float)) and labels and height < needed * len(set(labels)):
        node["height"] = needed * len(set(labels))


def _narrow_encodings(node: Any, datasets: dict[str, Any]) -> None:
    """Every legend of a spec tree moved below its plot (symbol lists one entry per row, colour
    ramps lying flat), and long category labels on the y axis wrapped rather than cut."""
    if isinstance(node, list):
        for item in node:
            _narrow_encodings(item, datasets)
        return
    if not isinstance(node, dict):
        return
    encoding = node.get("encoding")
    if isinstance(encoding, dict):
        for channel in _LEGEND_CHANNELS:
            definition = encoding.get(channel)
            if not isinstance(definition, dict) or "legend" in definition and definition["legend"] is None:
                continue
            legend = definition.setdefault("legend", {})
            for key in ("orient", "direction", "columns", "legendX", "legendY"):
                legend.pop(key, None)
            ramp = definition.get("type") == "quantitative" and channel in ("color", "fill", "stroke", "opacity")
            legend["direction"] = "horizontal" if ramp else "vertical"
        axis_of = encoding.get("y")
        if isinstance(axis_of, dict) and axis_of.get("type") in ("nominal", "ordinal") and axis_of.get("axis", {}) is not None:
            axis = axis_of.setdefault("axis", {})
            axis.setdefault("labelExpr", _wrap_expression(WRAP_LABEL_CHARS))
            _room_for_lines(node, axis_of.get("field"), datasets)
    for key in ("layer", "vconcat", "hconcat", "concat", "spec"):
        if key in node:
            _narrow_encodings(node[key], datasets)


def _set_width(node: dict[str, Any], width: int) -> None:
    for key in ("vconcat", "concat"):
        for child in node.get(key, []):
            _set_width(child, width)
    if isinstance(node.get("width"), (int, float)) or not any(
        key in node for key in ("vconcat", "concat", "hconcat")
    ):
        node["width"] = width


def _design_width(spec: dict[str, Any]) -> int:
    widths = [spec.get("width")] + [child.get("width") for key in ("vconcat", "hconcat", "concat")
                                    for child in spec.get(key, [])]
    numbers = [int(w) for w in widths if isinstance(w, (int, float))]
    return max(numbers) if numbers else 400


def _common(spec: dict[str, Any]) -> dict[str, Any]:
    """What both variants change: a transparent background, and text laid out for a wide font.

    Vega lays text out with the font it measures, while the reader's browser draws it with the
    first family of the list it has. DejaVu Sans, first in the list, is at least as wide as the
    usual system fonts: where a reader has it (Linux, and the PDF build) charts look exactly as
    measured, elsewhere text comes out a little narrower than measured, never cut.
    """
    variant = copy.deepcopy(spec)
    variant["background"] = "transparent"
    config = variant.setdefault("config", {})
    font = config.get("font")
    if font and not str(font).startswith(MEASURED_FONT):
        config["font"] = f"{MEASURED_FONT}, {font}"
    return variant


def narrow_spec(spec: dict[str, Any], plot_width: int) -> dict[str, Any]:
    """The phone variant of a spec: panels stacked, given plot width, legends below, titles wrapped."""
    narrow = _common(spec)
    if "hconcat" in narrow:
        narrow["vconcat"] = narrow.pop("hconcat")
    _set_width(narrow, plot_width)
    if "title" in narrow:
        narrow["title"] = _narrow_title(narrow["title"])
    _narrow_encodings(narrow, narrow.get("datasets", {}))
    config = narrow["config"]
    config["legend"] = {**config.get("legend", {}), **_NARROW_LEGEND}
    return narrow


def wide_spec(spec: dict[str, Any]) -> dict[str, Any]:
    return _common(spec)


class ChartDrawer:
    """Draws specs to SVG with vl_convert, caching each SVG under ``cache_dir``."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._key = None

    def _version_key(self) -> str:
        if self._key is None:
            from importlib import metadata

            # This module's own text too: a change in how SVGs are drawn or compacted redraws them.
            code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
            self._key = f"{metadata.version('vl-convert-python')}|{_vl_version()}|{code}"
        return self._key

    def svg(self, spec: dict[str, Any]) -> str:
        text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(f"{self._version_key()}|{text}".encode()).hexdigest()[:24]
        cached = self.cache_dir / f"{digest}.svg"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        import vl_convert

        try:
            svg = _compact(vl_convert.vegalite_to_svg(spec, vl_version=_vl_version()))
        except ValueError as error:
            raise ValueError(f"the chart {title_text(spec)!r} could not be drawn: {error}") from None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{digest[:6]}.tmp")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(cached)
        return svg

    def narrow(self, spec: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """The narrow variant whose whole width comes closest to NARROW_WIDTH_PX without passing it.

        Legends and axis labels take room the plot's width does not change, so the whole width
        grows more slowly than the plot's: each next plot width is aimed with the slope measured
        between the last two drawings, and the search stops once the plot's width barely moves
        the whole (no plot width fits better), so each chart is drawn two or three times.
        """
        design = _design_width(spec)
        width = max(MIN_PLOT_WIDTH_PX, min(design, NARROW_WIDTH_PX - 80))
        tried: list[tuple[float, int, dict[str, Any], str]] = []
        slope = 1.0
        for _ in range(4):
            variant = narrow_spec(spec, width)
            svg = self.svg(variant)
            total = svg_size(svg)[0]
            tried.append((total, width, variant, svg))
            spare = NARROW_WIDTH_PX - total
            if 0 <= spare <= 12:
                break
            if len(tried) > 1 and tried[-2][1] != width:
                slope = (total - tried[-2][0]) / (width - tried[-2][1])
            if slope < MIN_WIDTH_SLOPE:
                break
            proposed = max(MIN_PLOT_WIDTH_PX, min(design, round(width + spare / slope)))
            if proposed == width:
                break
            width = proposed
        fitting = [entry for entry in tried if entry[0] <= NARROW_WIDTH_PX]
        _, _, variant, svg = max(fitting, key=lambda e: e[0]) if fitting else min(tried, key=lambda e: e[0])
        return variant, svg


def _tenth(match: re.Match[str]) -> str:
    return f"{float(match.group(1)):.1f}".rstrip("0").rstrip(".")


def _compact(svg: str) -> str:
    """Path coordinates to a tenth of a pixel (no screen or printer shows less), no no-op attributes.

    Only path data are rounded, never text. ``aria-hidden`` on parts is redundant: the whole SVG
    is one image for assistive technology.
    """
    svg = _NO_OP.sub("", svg)
    return _PATH_DATA.sub(lambda m: f' d="{_NUMBER.sub(_tenth, m.group(1))}"', svg)


def svg_size(svg: str) -> tuple[float, float]:
    match = _SIZE.search(svg)
    if match is None:
        raise ValueError("vl_convert returned an SVG without width and height")
    return float(match.group(1)), float(match.group(2))


def title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else str(title)


def _own_ids(svg: str, prefix: str) -> str:
    """Ids (gradients, clip paths) made unique to this SVG: two SVGs of a page share none.

    A reference to an id resolves to the first element of the page with that id; if that one
    sits in a hidden variant, a gradient or clip path would not be drawn.
    """
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(map(re.escape, sorted(ids))) + r')(?=[")])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def accessible(svg: str, spec: dict[str, Any], label_id: str) -> str:
    """The SVG announced as one image, with the chart's title and description, and its own ids."""
    svg = _own_ids(svg, label_id)
    title = html.escape(title_text(spec))
    description = html.escape(str(spec.get("description", "")))
    opening = _SVG_OPEN.match(svg)
    if opening is None:
        raise ValueError("vl_convert returned no <svg> element")
    tag = opening.group(0)[:-1] + f' role="img" aria-labelledby="{label_id}-t {label_id}-d">'
    inner = f'<title id="{label_id}-t">{title}</title><desc id="{label_id}-d">{description}</desc>'
    return tag + inner + svg[opening.end():]


def static_chart_html(spec: dict[str, Any], element_id: str, drawer: ChartDrawer) -> str:
    """The SVG variants that fill one chart container, each with the patch that made it."""
    wide = wide_spec(spec)
    wide_svg = drawer.svg(wide)
    variants = [("wide", wide, wide_svg)]
    if svg_size(wide_svg)[0] > NARROW_WIDTH_PX:
        variants.append(("narrow", *drawer.narrow(spec)))
    else:
        variants = [("any", wide, wide_svg)]
    parts = []
    for name, variant, svg in variants:
        width = svg_size(svg)[0]
        patch = html.escape(json.dumps(_patch(spec, variant), sort_keys=True, ensure_ascii=False))
        parts.append(
            f'<div class="chart-variant chart-{name}" data-patch="{patch}" '
            f'style="max-width: {width:g}px">'
            f"{accessible(svg, spec, f'{element_id}-{name}')}</div>"
        )
    return "".join(parts)
