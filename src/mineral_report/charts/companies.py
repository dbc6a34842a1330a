"""The sites map and the organisations network."""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd

from mineral_report.charts.layout import finish, source_of
from mineral_report.charts.theme import COUNTRY_COLOURS, NO_DATA_COLOUR


def sites_map(world: gpd.GeoDataFrame, sites: pd.DataFrame, organisations: pd.DataFrame) -> alt.LayerChart:
    """Every site as a point, coloured by commodity; hollow points are city-level locations."""
    named = sites.merge(organisations[["org_id", "name"]].rename(columns={"name": "organisation"}), on="org_id", how="left")
    rows = named.assign(
        organisation=named["organisation"].fillna("(no registered organisation)"),
        commodity=named["commodity"].fillna("unspecified"),
    )[["name", "organisation", "site_type", "commodity", "lat", "lon", "precision"]]
    base = alt.Chart(world).mark_geoshape(fill=NO_DATA_COLOUR, stroke="#FFFFFF", strokeWidth=0.4)
    points = alt.Chart(rows).mark_point(size=70, strokeWidth=2, opacity=0.9).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("commodity:N", title="Main commodity", scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(columns=3)),
        shape=alt.Shape("site_type:N", title="Site"),
        fill=alt.condition(alt.datum.precision == "site", alt.Color("commodity:N", legend=None), alt.value("transparent")),
        tooltip=[alt.Tooltip("name:N", title="Site"), alt.Tooltip("organisation:N", title="Organisation"),
                 alt.Tooltip("site_type:N", title="Kind"), alt.Tooltip("commodity:N", title="Commodity"),
                 alt.Tooltip("precision:N", title="Location precision")],
    )
    chart = alt.layer(base, points).project("equalEarth", center=[75, 35], scale=210).properties(width=560, height=380)
    return finish(
        chart,
        title="Where the organisations work: headquarters, mines, plants and offices",
        subtitle=["Filled points: the site's own coordinates; hollow points: the city it is in.",
                  "Colour: main commodity; shape: kind of site."],
        description=f"Map of {len(rows)} sites of Russian and Indian organisations in mineral cooperation, coloured by commodity.",
        source=source_of(sites, organisations),
    )


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, links: pd.DataFrame) -> alt.LayerChart:
    """Who is linked to whom: Russian organisations left, Indian right, lines for each link."""
    country_names = {"RUS": "Russia", "IND": "India"}
    node_rows = nodes.assign(country=nodes["country_iso3"].map(country_names).fillna("Other"))
    lines = alt.Chart(edges[["x", "y", "x2", "y2", "link_type", "date", "status", "summary", "source_name", "target_name"]]).mark_rule(
        strokeWidth=2, opacity=0.6
    ).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-1.6, 1.6])), y=alt.Y("y:Q", axis=None),
        x2="x2:Q", y2="y2:Q",
        strokeDash=alt.StrokeDash("link_type:N", title="Link"),
        color=alt.value("#6B6B6B"),
        tooltip=[alt.Tooltip("source_name:N", title="From"), alt.Tooltip("target_name:N", title="To"),
                 alt.Tooltip("link_type:N", title="Link"), alt.Tooltip("date:N", title="Date"),
                 alt.Tooltip("status:N", title="Status"), alt.Tooltip("summary:N", title="What")],
    )
    colours = {"Russia": COUNTRY_COLOURS["Russia"], "India": COUNTRY_COLOURS["India"], "Other": COUNTRY_COLOURS["World"]}
    dots = alt.Chart(node_rows[["x", "y", "name", "country", "org_type"]]).mark_circle(size=160, opacity=1).encode(
        x="x:Q", y="y:Q",
        color=alt.Color("country:N", title="Country", scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        tooltip=[alt.Tooltip("name:N", title="Organisation"), alt.Tooltip("org_type:N", title="Kind")],
    )
    labels = alt.Chart(node_rows[["x", "y", "name"]]).mark_text(fontSize=10, dy=-11, limit=170).encode(
        x="x:Q", y="y:Q", text="name:N"
    )
    chart = alt.layer(lines, dots, labels).properties(width=560, height=420)
    return finish(
        chart,
        title="Who is linked to whom",
        subtitle=["Russian organisations on the left, Indian on the right; each line is a dated link",
                  "(stake, agreement, MoU, declaration of intent, office or reported talks)."],
        description=f"Network diagram of {len(nodes)} organisations and {len(edges)} links between them.",
        source=source_of(links),
    )
