"""The sites map."""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd

from mineral_report.charts.layout import finish, source_of
from mineral_report.charts.maps import BOUNDARY_NOTE
from mineral_report.charts.theme import COUNTRY_COLOURS, NO_DATA_COLOUR


SITE_SHAPES = {"headquarters": "square", "office": "diamond", "mine": "triangle-up", "plant": "circle",
               "research": "cross"}


def sites_map(world: gpd.GeoDataFrame, sites: pd.DataFrame, organisations: pd.DataFrame) -> alt.LayerChart:
    """Every site, coloured by its organisation's country and shaped by kind; mines labelled.

    The whole world is drawn, so no site falls off the map (two lie outside Russia and India). Sites at the same city are
    drawn once with their count in the tooltip (seven Moscow head offices share one point).
    """
    owners = organisations.set_index("org_id")
    country = sites["org_id"].map(owners["country_iso3"]).map({"RUS": "Russia", "IND": "India"}).fillna("Other")
    rows = sites.assign(
        organisation=sites["org_id"].map(owners["name"]).fillna("(no registered organisation)"),
        country=country,
        exact=sites["precision"].map({"site": "the site itself", "city": "the city it is in"}),
    )
    here = rows.groupby(["lat", "lon", "site_type"])
    rows = rows.assign(at_same_place=here["name"].transform("size"))
    points = rows.drop_duplicates(["lat", "lon", "site_type"])
    mines = rows[rows["site_type"] == "mine"].assign(label=lambda d: d["name"].str.split(r" \(|,| -", regex=True).str[0])
    base = alt.Chart(world).mark_geoshape(fill=NO_DATA_COLOUR, stroke="#FFFFFF", strokeWidth=0.4)
    colours = {"Russia": COUNTRY_COLOURS["Russia"], "India": COUNTRY_COLOURS["India"], "Other": COUNTRY_COLOURS["World"]}
    marks = alt.Chart(points[["name", "organisation", "site_type", "country", "exact", "at_same_place", "lat", "lon"]]).mark_point(
        size=90, filled=True, opacity=0.9, stroke="#FFFFFF", strokeWidth=0.8
    ).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("country:N", title="Organisation from", scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        shape=alt.Shape("site_type:N", title="Kind of site",
                        scale=alt.Scale(domain=list(SITE_SHAPES), range=list(SITE_SHAPES.values())),
                        legend=alt.Legend(columns=3)),
        tooltip=[alt.Tooltip("name:N", title="Site"), alt.Tooltip("organisation:N", title="Organisation"),
                 alt.Tooltip("site_type:N", title="Kind"), alt.Tooltip("exact:N", title="Placed at"),
                 alt.Tooltip("at_same_place:Q", title="Sites of this kind at this point")],
    )
    labels = alt.Chart(mines[["label", "lat", "lon"]]).mark_text(align="left", dx=7, dy=-4, fontSize=10).encode(
        longitude="lon:Q", latitude="lat:Q", text="label:N"
    )
    chart = alt.layer(base, marks, labels).project("equalEarth").properties(width=560, height=300)
    in_russia, in_india = int((rows["country_iso3"] == "RUS").sum()), int((rows["country_iso3"] == "IND").sum())
    return finish(
        chart,
        title=f"{in_russia} of the {len(rows)} sites are in Russia and {in_india} in India",
        subtitle=["Colour: the organisation's country; shape: kind of site; mines are named.",
                  "Most points are placed at the city a site is in, not at the site itself.", BOUNDARY_NOTE],
        description=f"Map of {len(rows)} sites of Russian and Indian organisations in mineral cooperation: {in_russia} in Russia, {in_india} in India, the rest elsewhere.",
        source=source_of(sites, organisations),
    )
