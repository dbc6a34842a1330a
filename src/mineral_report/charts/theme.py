"""One look for every chart: fonts, the four reference colours, an explicit background.

India, Russia, China and the world keep their colours in every chart: Okabe–Ito orange and
blue for India and Russia, a dark red for China (Okabe–Ito's vermilion sits too close to the
orange under deuteranopia) and grey for the world, checked by ``charts.palette``. Labels are
never cut: a label that holds a line break (see ``layout.wrapped``) is drawn on several lines. The background is set explicitly (not transparent) so a
chart stays readable when the reader's page switches to dark mode.
"""

from __future__ import annotations

import altair as alt

COUNTRY_COLOURS: dict[str, str] = {
    "India": "#E69F00",
    "Russia": "#0072B2",
    "China": "#8B1A1A",
    "World": "#6B6B6B",
    "Rest of world": "#B8B8B8",
}
NO_DATA_COLOUR = "#E8E8E8"
SEQUENTIAL_SCHEME = "blues"
BACKGROUND = "#FFFFFF"
TEXT = "#1F1F1F"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
THEME_NAME = "report"


def country_scale(names: list[str] | None = None) -> alt.Scale:
    """A colour scale that gives India, Russia, China and the World the same colour everywhere."""
    chosen = names or list(COUNTRY_COLOURS)
    return alt.Scale(domain=chosen, range=[COUNTRY_COLOURS[n] for n in chosen])


def _config() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "background": BACKGROUND,
            "font": FONT,
            "padding": 8,
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 300},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "color": TEXT,
                      "subtitleColor": "#4A4A4A", "subtitleFontSize": 12, "offset": 10},
            "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 11,
                     "titleFontSize": 12, "gridColor": "#E3E3E3", "domainColor": "#8A8A8A",
                     # No limit: Vega would end a long label in an ellipsis. Labels that are
                     # too long carry line breaks and are drawn as several lines.
                     "labelLimit": 0, "labelExpr": "split(datum.label, '\\n')"},
            "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 11,
                       "titleFontSize": 12, "orient": "bottom", "labelLimit": 0,
                       "titleLimit": 0},
            "range": {"category": list(COUNTRY_COLOURS.values())},
            "text": {"color": TEXT},
            # Country shapes are decoration for screen readers: the chart's description and
            # its data table carry the content, so each shape is not announced on its own.
            "geoshape": {"aria": False},
        }
    }


def enable_report_theme() -> None:
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(_config)
    alt.theme.enable(THEME_NAME)
