"""What every chapter runs first leaves tables readable in full."""

from __future__ import annotations

import pandas as pd

from mineral_report.notebook import setup


def test_long_table_cells_are_shown_whole() -> None:
    reason = "US SDN since 2024-02-23. The UK designated its plant on 2023-05-19 and its chairman on 2024-02-22."
    setup()
    html = pd.DataFrame({"Why": [reason]})._repr_html_()
    assert reason in html
    assert "..." not in html


def test_long_tables_keep_every_row() -> None:
    setup()
    html = pd.DataFrame({"code": [f"HS {n:04d}" for n in range(100)]})._repr_html_()
    assert "HS 0050" in html and "HS 0099" in html
    assert "..." not in html
