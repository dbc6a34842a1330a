"""The interactive event timeline and the trade chart with events laid over it."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mineral_report.charts.layout import finish, source_of
from mineral_report.charts.theme import COUNTRY_COLOURS
from mineral_report.timeline import DELIVERED, with_fiscal_year

# Okabe–Ito colours (plus black) for the seven event categories.
CATEGORY_COLOURS = {
    "diplomacy": "#0072B2",
    "agreement": "#009E73",
    "company deal": "#E69F00",
    "research cooperation": "#56B4E9",
    "policy — India": "#CC79A7",
    "policy — China export controls": "#D55E00",
    "policy — US/EU sanctions and tariffs": "#000000",
}
CONFIRMATION_SHAPES = alt.Scale(domain=["confirmed", "unconfirmed"], range=["circle", "triangle-up"])


def _event_rows(events: pd.DataFrame) -> pd.DataFrame:
    rows = events.assign(
        first_source=events["source_urls"].str.split(" | ", regex=False).str[0],
        day=events["date"].dt.strftime("%Y-%m-%d"),
    )
    return rows[["day", "category", "forum", "place", "summary", "outcome_status", "confirmation",
                 "first_source", "source_type"]]


def _tooltips() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("day:T", title="Date", format="%-d %b %Y"),
        alt.Tooltip("forum:N", title="Forum"),
        alt.Tooltip("place:N", title="Place"),
        alt.Tooltip("summary:N", title="What happened"),
        alt.Tooltip("outcome_status:N", title="Outcome status"),
        alt.Tooltip("confirmation:N", title="Confirmation"),
        alt.Tooltip("first_source:N", title="Source"),
    ]


def timeline_chart(events: pd.DataFrame) -> alt.Chart:
    """Events on a date axis, one row per category; click the legend to filter categories."""
    pick = alt.selection_point(fields=["category"], bind="legend")
    categories = list(CATEGORY_COLOURS)
    chart = (
        alt.Chart(_event_rows(events))
        .mark_point(size=90, filled=True, opacity=0.85)
        .encode(
            x=alt.X("day:T", title="Date", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("category:N", title=None, sort=categories),
            color=alt.Color("category:N", title="Category",
                            scale=alt.Scale(domain=categories, range=list(CATEGORY_COLOURS.values())),
                            legend=alt.Legend(orient="bottom", columns=2)),
            # Stacked, so both legends fit beside each other within the text column.
            shape=alt.Shape("confirmation:N", title="Confirmation", scale=CONFIRMATION_SHAPES,
                            legend=alt.Legend(direction="vertical")),
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.1)),
            tooltip=_tooltips(),
            href=alt.Href("first_source:N"),
        )
        .add_params(pick)
        .properties(width=500, height=260)
    )
    first, last = events["date"].min().year, events["date"].max().year
    signed = int(events["outcome_status"].isin(DELIVERED).sum())
    return finish(
        chart,
        title=f"{signed} of {len(events)} events reached a signed or working outcome; the rest were announced, stalled or unknown",
        subtitle=f"{len(events)} dated events, {first}–{last}; triangles mark unconfirmed reports.",
        interaction="Click a category in the legend to filter; click a point to open its source.",
        description=(
            f"Timeline of {len(events)} events from {first} to {last}, one row per category: diplomacy, "
            "agreements, company deals, research cooperation, Indian policy, Chinese export controls and "
            "US or EU sanctions and tariffs. Unconfirmed events are drawn as triangles."
        ),
        source=source_of(events),
    )


def trade_with_events_chart(trade: pd.DataFrame, events: pd.DataFrame) -> alt.VConcatChart:
    """Two aligned panels by fiscal year: India's imports from Russia, and the India–Russia events.

    Only events in which both India and Russia take part are counted; policy steps of third
    countries answer another question (see the timeline above).
    """
    russia = trade[trade["partner_iso3"] == "RUS"].assign(
        imports_usd_bn=lambda d: d["imports_usd_mn"] / 1000
    )[["fiscal_year", "imports_usd_bn", "data_status"]]
    years = sorted(russia["fiscal_year"])
    dated = with_fiscal_year(events[events["india_russia"].fillna(False).astype(bool)])
    bilateral = dated[dated["fiscal_year"].isin(set(years))]
    markers = _event_rows(bilateral).assign(fiscal_year=bilateral["fiscal_year"].to_numpy())
    present = [c for c in CATEGORY_COLOURS if c in set(markers["category"])]
    growth = russia.set_index("fiscal_year")["imports_usd_bn"].diff()
    jump = str(growth.idxmax())
    in_jump = int((markers["fiscal_year"] == jump).sum())
    x = alt.X("fiscal_year:O", title="Fiscal year (April–March)", sort=years, scale=alt.Scale(domain=years))
    bars = (
        alt.Chart(russia).mark_bar(color=COUNTRY_COLOURS["Russia"])
        .encode(x=x.axis(None), y=alt.Y("imports_usd_bn:Q", title="Imports, US$ billion"),
                tooltip=[alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                         alt.Tooltip("imports_usd_bn:Q", title="Imports, US$ billion", format=",.1f"),
                         alt.Tooltip("data_status:N", title="Status")])
        .properties(height=200, title=alt.Title("India's imports from Russia", fontSize=12, fontWeight=500))
    )
    counted = (
        alt.Chart(markers).mark_bar()
        .encode(
            x=x,
            y=alt.Y("count():Q", title="Events", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("category:N", title="Event category",
                            scale=alt.Scale(domain=present, range=[CATEGORY_COLOURS[c] for c in present]),
                            legend=alt.Legend(orient="bottom", columns=2)),
            order=alt.Order("day:T"),
            tooltip=_tooltips(),
        )
        .properties(height=120, title=alt.Title("India–Russia events in the year", fontSize=12, fontWeight=500))
    )
    chart = alt.vconcat(bars, counted, spacing=12).resolve_scale(x="shared")
    return finish(
        chart,
        title=f"Imports from Russia jumped in {jump}, a year with {in_jump} India–Russia event{'s' if in_jump != 1 else ''}",
        subtitle=["Top: India's merchandise imports from Russia, US$ billion, by fiscal year.",
                  "Bottom: events in which both India and Russia take part, one block per event."],
        description=(
            "Two aligned bar charts by fiscal year: India's imports from Russia in US$ billion, and below "
            f"the number of India–Russia events in each year ({len(markers)} events), coloured by category."
        ),
        source=source_of(trade, events),
    )
