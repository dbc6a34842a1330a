"""Finishing touches every chart gets: title, subtitle with units, description, source."""

from __future__ import annotations

from typing import TypeVar

import altair as alt
import pandas as pd

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


def source_of(*frames: pd.DataFrame) -> str:
    """The source lines carried by loaded frames (see ``mineral_report.data.load``)."""
    lines = [frame.attrs.get("source", "") for frame in frames]
    found = list(dict.fromkeys(line for line in lines if line))
    if not found:
        raise ValueError("these frames carry no source: load them with mineral_report.load")
    return "; ".join(found)


def finish(
    chart: ChartT, *, title: str, subtitle: str | list[str], description: str, source: str
) -> ChartT:
    """Give a chart what every chart in the book must have.

    ``subtitle`` states the units (a list gives one line each); ``description`` is read by screen readers in place of the
    picture; ``source`` is printed under the chart by the renderer.
    """
    return chart.properties(
        title=alt.Title(title, subtitle=subtitle),
        description=description,
        usermeta={"source": source},
    )
