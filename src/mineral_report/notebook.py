"""What every chapter runs first: the renderer, the theme and table display settings."""

from __future__ import annotations

import pandas as pd

from mineral_report.charts import enable_report_renderer, enable_report_theme


def setup() -> None:
    enable_report_renderer()
    enable_report_theme()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    # A table in a research report is shown whole: pandas would otherwise cut every cell at
    # 50 characters and drop the middle rows of any table longer than 60. The page budget
    # test guards against a table too long for the page.
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", None)


def glue_value(name: str, value: object) -> None:
    """Glue a number for the prose, as a plain Python value so format specs apply cleanly."""
    from myst_nb import glue

    plain = value.item() if hasattr(value, "item") else value
    glue(name, plain, display=False)
