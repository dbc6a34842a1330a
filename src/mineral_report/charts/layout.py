"""Finishing touches every chart gets: title, subtitle with units, description, source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import altair as alt
import pandas as pd

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


@dataclass(frozen=True)
class Citation:
    """Where a chart's data come from, and under which licence they may be reused."""

    source: str
    licence: str


def _joined(frames: tuple[pd.DataFrame, ...], key: str) -> str:
    lines = [frame.attrs.get(key, "") for frame in frames]
    return "; ".join(dict.fromkeys(line for line in lines if line))


def source_of(*frames: pd.DataFrame) -> Citation:
    """The sources and licences carried by loaded frames (see ``mineral_report.data.load``)."""
    source = _joined(frames, "source")
    if not source:
        raise ValueError("these frames carry no source: load them with mineral_report.load")
    return Citation(source=source, licence=_joined(frames, "licence"))


def finish(
    chart: ChartT, *, title: str, subtitle: str | list[str], description: str, source: Citation,
    interaction: str | None = None,
) -> ChartT:
    """Give a chart what every chart in the book must have.

    ``subtitle`` states the units (a list gives one line each); ``description`` is read by screen readers in place of the
    picture; ``source`` is printed under the chart by the renderer, and the book writes it,
    with the licence, at the head of the chart's downloadable data. ``interaction`` tells a
    reader what the interactive chart does ("Click a category…"): the web page prints it under
    the chart, the PDF leaves it out (paper cannot be clicked).
    """
    usermeta = {"source": source.source, "licence": source.licence}
    if interaction:
        usermeta["interaction"] = interaction
    return chart.properties(
        title=alt.Title(title, subtitle=subtitle), description=description, usermeta=usermeta
    )
