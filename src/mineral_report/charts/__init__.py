"""The book's chart machinery: an offline, deterministic renderer, one theme, shared helpers."""

from mineral_report.charts.renderer import CHART_MIMETYPE, enable_report_renderer, render_chart_html
from mineral_report.charts.theme import COUNTRY_COLOURS, enable_report_theme

__all__ = [
    "CHART_MIMETYPE",
    "COUNTRY_COLOURS",
    "enable_report_renderer",
    "enable_report_theme",
    "render_chart_html",
]
