"""What every chapter runs first: the renderer, the theme and table display settings."""

from __future__ import annotations

import pandas as pd

from mineral_report.charts import enable_report_renderer, enable_report_theme


def setup() -> None:
    enable_report_renderer()
    enable_report_theme()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)


def glue_value(name: str, value: object) -> None:
    """Glue a number for the prose, as a plain Python value so format specs apply cleanly."""
    from myst_nb import glue

    plain = value.item() if hasattr(value, "item") else value
    glue(name, plain, display=False)
