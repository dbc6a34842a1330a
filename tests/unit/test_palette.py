"""The reference colours stay distinguishable under colour-vision deficiencies; dark mode is safe."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from mineral_report.charts.palette import SIMULATIONS, smallest_difference
from mineral_report.charts.theme import BACKGROUND, COUNTRY_COLOURS, enable_report_theme
from mineral_report.charts.timeline import CATEGORY_COLOURS

# ΔE*ab of 15 or more separates categorical colours clearly at chart-mark sizes.
MIN_DIFFERENCE = 15.0


@pytest.mark.parametrize("condition", list(SIMULATIONS))
@pytest.mark.parametrize("palette", [COUNTRY_COLOURS, CATEGORY_COLOURS], ids=["countries", "event-categories"])
def test_colours_stay_apart(palette: dict[str, str], condition: str) -> None:
    difference, pair = smallest_difference(palette, condition)
    assert difference >= MIN_DIFFERENCE, f"{pair} too close under {condition}: ΔE {difference:.1f}"


def test_identical_colours_are_caught() -> None:
    difference, _ = smallest_difference({"a": "#0072B2", "b": "#0072B2"}, "deuteranopia")
    assert difference < MIN_DIFFERENCE


def test_charts_carry_their_own_light_background_for_dark_mode() -> None:
    enable_report_theme()
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert spec["config"]["background"] == BACKGROUND == "#FFFFFF"


@pytest.mark.parametrize("condition", list(SIMULATIONS))
def test_india_and_china_never_look_alike(condition: str) -> None:
    """India and China sit side by side in most charts: their colours must differ clearly."""
    pair = {name: COUNTRY_COLOURS[name] for name in ("India", "China")}
    difference, _ = smallest_difference(pair, condition)
    assert difference >= 2 * MIN_DIFFERENCE, f"India and China too close under {condition}: ΔE {difference:.1f}"
