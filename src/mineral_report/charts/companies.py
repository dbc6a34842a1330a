"""The sites map."""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd

from mineral_report.charts.layout import finish, source_of
from mineral_report.charts.maps import BOUNDARY_NOTE, country_layers
from mineral_report.charts.theme import COUNTRY_COLOURS


SITE_SHAPES = {"headquarters": "square", "office": "diamond", "mine": "triangle-up", "plant": "circle",
               "research": "cross"}


# The frame of the main map: the Russia–India region, from the Kola peninsula to Yakutia and
# Kerala. Sites outside it (London, Catamarca) appear on the world inset below.
REGION = {"west": 12.0, "east": 128.0, "south": 6.0, "north": 74.0}
# A point holding this many sites or more is named after its city.
CLUSTER = 4


def _region_feature() -> dict:
    w, e, s, n = REGION["west"], REGION["east"], REGION["south"], REGION["north"]
    # Clockwise, as d3 reads spherical polygons: the other way round would mean "all but this box".
    ring = [[w, s], [w, n], [e, n], [e, s], [w, s]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {}}


def _in_region(rows: pd.DataFrame) -> pd.Series:
    return rows["lon"].between(REGION["west"], REGION["east"]) & rows["lat"].between(REGION["south"], REGION["north"])


def site_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """Names for the key sites: each site placed at its own coordinates, and each city with many sites."""
    city = rows["name"].str.split(",").str[-1].str.replace(r"\(.*\)", "", regex=True).str.strip()
    counts = rows.groupby(["lat", "lon"])["name"].transform("size")
    clustered = rows.assign(label=city + " (" + counts.astype(str) + " sites)", kind="city")[counts >= CLUSTER]
    exact = rows[rows["precision"] == "site"]
    exact = exact.assign(label=exact["name"].str.split(r" \(|,| -", regex=True).str[0], kind="site")
    labels = pd.concat([clustered.drop_duplicates(["lat", "lon"]), exact])
    return labels[["label", "kind", "lat", "lon"]].reset_index(drop=True)


def sites_map(world: gpd.GeoDataFrame, sites: pd.DataFrame, organisations: pd.DataFrame) -> alt.VConcatChart:
    """Every site, coloured by its organisation's country and shaped by kind, key sites named.

    The main map shows the Russia–India region; a world inset shows every site, so none is
    left off (two lie outside the region). Sites of one kind at one city are drawn once,
    with their count in the tooltip.
    """
    owners = organisations.set_index("org_id")
    country = sites["org_id"].map(owners["country_iso3"]).map({"RUS": "Russia", "IND": "India"}).fillna("Other")
    rows = sites.assign(
        organisation=sites["org_id"].map(owners["name"]).fillna("(no registered organisation)"),
        country=country,
        exact=sites["precision"].map({"site": "the site itself", "city": "the city it is in"}),
    )
    rows = rows.assign(at_same_place=rows.groupby(["lat", "lon", "site_type"])["name"].transform("size"))
    points = rows.drop_duplicates(["lat", "lon", "site_type"])[
        ["name", "organisation", "site_type", "country", "exact", "at_same_place", "lat", "lon"]
    ]
    colours = {"Russia": COUNTRY_COLOURS["Russia"], "India": COUNTRY_COLOURS["India"], "Other": COUNTRY_COLOURS["World"]}
    base, disputed = country_layers(world, clip=True)

    def marks(frame: pd.DataFrame, size: int) -> alt.Chart:
        return alt.Chart(frame).mark_point(size=size, filled=True, opacity=0.9, stroke="#FFFFFF", strokeWidth=0.8, clip=True).encode(
            longitude="lon:Q", latitude="lat:Q",
            color=alt.Color("country:N", title="Organisation from", scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
            shape=alt.Shape("site_type:N", title="Kind of site",
                            scale=alt.Scale(domain=list(SITE_SHAPES), range=list(SITE_SHAPES.values())),
                            legend=alt.Legend(columns=3)),
            tooltip=[alt.Tooltip("name:N", title="Site"), alt.Tooltip("organisation:N", title="Organisation"),
                     alt.Tooltip("site_type:N", title="Kind"), alt.Tooltip("exact:N", title="Placed at"),
                     alt.Tooltip("at_same_place:Q", title="Sites of this kind at this point")],
        )

    labels = site_labels(rows[_in_region(rows)])
    middle = (REGION["west"] + REGION["east"]) / 2

    def names(east_side: bool) -> alt.Chart:
        # A name runs towards the middle of the map, so it never runs off either edge.
        side = labels[(labels["lon"] >= middle) == east_side][["label", "lat", "lon"]]
        return alt.Chart(side).mark_text(
            align="right" if east_side else "left", dx=-9 if east_side else 9, dy=-7, fontSize=11, fontWeight=500
        ).encode(longitude="lon:Q", latitude="lat:Q", text="label:N")

    region = alt.layer(base, disputed, marks(points[_in_region(points)], 110), names(False), names(True)).project(
        "equalEarth", fit=_region_feature()
    ).properties(width=560, height=380)
    outside = int((~_in_region(rows)).sum())
    inset = alt.layer(base, disputed, marks(points, 30)).project("equalEarth").properties(
        width=260, height=130,
        title=alt.Title(f"Every site, world view ({outside} lie outside the map above)", fontSize=11, fontWeight=500),
    )
    chart = alt.vconcat(region, inset, spacing=8)
    in_russia, in_india = int((rows["country_iso3"] == "RUS").sum()), int((rows["country_iso3"] == "IND").sum())
    return finish(
        chart,
        title=f"{in_russia} of the {len(rows)} sites are in Russia and {in_india} in India",
        subtitle=["Colour: the organisation's country; shape: kind of site. Named: cities with several",
                  "sites, and the sites placed at their own coordinates (the others sit at their city).", BOUNDARY_NOTE],
        description=(f"Map of {len(rows)} sites of Russian and Indian organisations in mineral cooperation: {in_russia} in "
                     f"Russia, {in_india} in India; a world inset shows the {outside} elsewhere."),
        source=source_of(sites, organisations),
    )
