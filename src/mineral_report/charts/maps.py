"""World choropleths from the shipped boundaries, light enough to inline in a page.

Geometry is simplified and its coordinates rounded once, here, so that a world map adds about
100 KB to a page. ``make_valid`` is deliberately not applied: it splits Russia and Fiji at the
antimeridian and the map then paints Russia's colour across the globe.
"""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd
import shapely

from mineral_report.charts.theme import NO_DATA_COLOUR, SEQUENTIAL_SCHEME

SIMPLIFY_DEGREES = 0.2
GRID_DEGREES = 0.01
# Antarctica holds no minerals in these tables and takes a fifth of the map's area.
EXCLUDED = {"ATA"}
# Areas India shows as its own but China or Pakistan administers: a neutral tone that no
# country and no value takes, outlined with a dash so it reads as "disputed" in any colour mode.
DISPUTED_FILL = "#BDBDBD"
DISPUTED_STROKE = "#4D4D4D"
BOUNDARY_NOTE = ("Darker grey, dashed outline: parts of Jammu and Kashmir and Ladakh that India shows "
                 "as its own, administered by Pakistan or China.")


def light_world(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Country shapes with coarser vertices, keyed by ISO3, ready for Vega-Lite."""
    kept = ~boundaries["iso3"].isin(EXCLUDED)
    world = boundaries.loc[kept, ["iso3", "name", "disputed", "geometry"]].copy()
    simplified = world.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    world["geometry"] = shapely.set_precision(simplified.values, GRID_DEGREES, mode="pointwise")
    return world.sort_values(["disputed", "iso3"]).reset_index(drop=True)


def country_layers(world: gpd.GeoDataFrame, *, clip: bool = False) -> tuple[alt.Chart, alt.Chart]:
    """Countries in the no-data grey, and the disputed areas in their own style, to layer under
    and over a map's own marks: ``(countries, disputed)``."""
    countries = alt.Chart(world[~world["disputed"]]).mark_geoshape(
        fill=NO_DATA_COLOUR, stroke="#FFFFFF", strokeWidth=0.4, clip=clip)
    disputed = alt.Chart(world[world["disputed"]]).mark_geoshape(
        fill=DISPUTED_FILL, stroke=DISPUTED_STROKE, strokeWidth=0.8, strokeDash=[2, 2], clip=clip
    ).encode(tooltip=[alt.Tooltip("name:N", title="Area")])
    return countries, disputed


def choropleth(
    world: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    value_field: str,
    value_title: str,
    tooltip_fields: list[tuple[str, str]] | None = None,
    width: int = 640,
) -> alt.LayerChart:
    """Shade countries by ``value_field``; countries without a value stay grey, not zero.

    ``values`` needs an ``iso3`` column. Extra columns named in ``tooltip_fields`` as
    (field, title) pairs show on hover next to the country name.
    """
    shaded = world[~world["disputed"]].merge(values, on="iso3", how="inner")
    tooltips = [alt.Tooltip("name:N", title="Country")] + [
        alt.Tooltip(f"{field}:N", title=title) for field, title in (tooltip_fields or [])
    ]
    base, disputed = country_layers(world)
    layer = (
        alt.Chart(shaded)
        .mark_geoshape(stroke="#FFFFFF", strokeWidth=0.4)
        .encode(
            color=alt.Color(
                f"{value_field}:Q",
                title=value_title,
                scale=alt.Scale(scheme=SEQUENTIAL_SCHEME, type="sqrt"),
            ),
            tooltip=tooltips,
        )
    )
    return alt.layer(base, layer, disputed).project("equalEarth").properties(width=width, height=width * 0.5)
