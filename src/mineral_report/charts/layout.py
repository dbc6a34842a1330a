"""Finishing touches every chart gets: title, subtitle with units, description, source."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TypeVar

import altair as alt
import pandas as pd

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)
TITLE_WIDTH = 58
SUBTITLE_WIDTH = 84


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
    chart: ChartT, *, title: str | list[str], subtitle: str | list[str], description: str, source: Citation,
    interaction: str | None = None,
) -> ChartT:
    """Give a chart what every chart in the book must have.

    ``subtitle`` states the units (a list gives one line each); ``description`` is read by screen readers in place of the
    picture; ``source`` is printed under the chart by the renderer, and the book writes it,
    with the licence, at the head of the chart's downloadable data. ``interaction`` tells a
    reader what the interactive chart does ("Click a category…"): the web page prints it under
    the chart, the PDF leaves it out (paper cannot be clicked).
    """
    heads = [title] if isinstance(title, str) else title
    lines = [subtitle] if isinstance(subtitle, str) else subtitle
    usermeta = {"source": source.source, "licence": source.licence}
    if interaction:
        usermeta["interaction"] = interaction
    # Titles are never cut and never widen the chart: long ones are set on several lines.
    return chart.properties(
        title=alt.Title([part for head in heads for part in textwrap.wrap(head, TITLE_WIDTH)],
                        subtitle=[part for line in lines for part in textwrap.wrap(line, SUBTITLE_WIDTH)]),
        description=description,
        usermeta=usermeta,
    )


LABEL_WIDTH = 30


def wrapped(text: str, width: int = LABEL_WIDTH) -> str:
    """A long label broken into lines of at most ``width`` characters, never cut short.

    The report's theme draws each line of an axis label on its own line.
    """
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text
