"""The chart at the head of every mineral profile: who leads the first stage USGS publishes."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mineral_report.charts.layout import finish, source_of
from mineral_report.charts.theme import COUNTRY_COLOURS
from mineral_report.profiles import Mineral, commodity_label, current_slice, leaders
from mineral_report.reserves import FOCUS, supply_measure


def leaders_chart(item: Mineral, usgs: pd.DataFrame) -> alt.Chart | None:
    """Shares of world supply of the largest countries, with Russia, India and China marked."""
    current = usgs[usgs["edition"] == usgs["edition"].max()]
    for commodity in item.usgs:
        measure = supply_measure(current, commodity)
        rows = current_slice(usgs, commodity, measure) if measure else pd.DataFrame()
        if rows.empty or rows["share"].isna().all():
            continue
        ranked = leaders(rows).dropna(subset=["share"])
        ranked = ranked.assign(
            percent=ranked["share"] * 100,
            group=ranked["country_iso3"].map(FOCUS).fillna("Rest of world"),
        )
        year, edition = int(rows["year"].iloc[0]), int(rows["edition"].iloc[0])
        label = commodity_label(commodity)
        stage = f"{label[:1].lower()}{label[1:]} {measure}"
        groups = [g for g in (*FOCUS.values(), "Rest of world") if g in set(ranked["group"])]
        chart = (
            alt.Chart(ranked[["country", "percent", "share_text", "group"]])
            .mark_bar()
            .encode(
                y=alt.Y("country:N", title=None, sort="-x"),
                x=alt.X("percent:Q", title=f"Share of world {stage}, {year}, %"),
                color=alt.Color("group:N", title=None,
                                scale=alt.Scale(domain=groups, range=[COUNTRY_COLOURS[g] for g in groups])),
                tooltip=[alt.Tooltip("country:N", title="Country"),
                         alt.Tooltip("share_text:N", title="Share of world")],
            )
            .properties(width=420, height=alt.Step(18))
        )
        leader = ranked.iloc[0]
        subtitle = [f"Share of the USGS world total, {year} (MCS {edition}).",
                    "The largest countries, then Russia, India and China if not among them."]
        if (rows.loc[rows["country_iso3"] == "WLD", "marker"] == ">").any():
            subtitle.append("USGS gives the world total as a lower bound: shares are upper bounds.")
        return finish(
            chart,
            title=f"{leader['country']} leads world {stage}",
            subtitle=subtitle,
            description=(f"Horizontal bar chart of the shares of world {stage} in {year} of {len(ranked)} "
                         f"countries; {leader['country']} has the largest share, {leader['share_text']}."),
            source=source_of(usgs),
        )
    return None
