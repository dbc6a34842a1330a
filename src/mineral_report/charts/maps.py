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
# The shipped boundaries follow Natural Earth's lines of control, not India's official map.
BOUNDARY_NOTE = ("Borders as drawn by Natural Earth: not India's official boundary, which includes "
                 "all of Jammu and Kashmir and Ladakh.")


def light_world(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Country shapes with coarser vertices, keyed by ISO3, ready for Vega-Lite."""
    world = boundaries.loc[~boundaries["iso3"].isin(EXCLUDED), ["iso3", "name", "geometry"]].copy()
    simplified = world.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    world["geometry"] = shapely.set_precision(simplified.values, GRID_DEGREES, mode="pointwise")
    return world.sort_values("iso3").reset_index(drop=True)


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
    shaded = world.merge(values, on="iso3", how="inner")
    tooltips = [alt.Tooltip("name:N", title="Country")] + [
        alt.Tooltip(f"{field}:N", title=title) for field, title in (tooltip_fields or [])
    ]
    base = alt.Chart(world).mark_geoshape(fill=NO_DATA_COLOUR, stroke="#FFFFFF", strokeWidth=0.4)
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
    return alt.layer(base, layer).project("equalEarth").properties(width=width, height=width * 0.5)
