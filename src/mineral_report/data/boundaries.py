"""Areas India shows as its own but does not administer, cut out of the countries that do.

The world file draws lines of actual control, so Aksai Chin lies inside China and
Gilgit-Baltistan inside Pakistan. India's official outline of Jammu and Kashmir and of Ladakh
is shipped separately; where it reaches beyond India's polygon, that area becomes a row of its
own, flagged ``disputed``, and leaves the administering country's shape.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

CLAIMANT = "IND"
# The two files are drawn at different scales, so their shared lines do not coincide exactly;
# the slivers that leaves (well under 0.1 square degree) are not territory.
MIN_AREA_SQ_DEGREES = 0.1


def _parts(geometry: shapely.Geometry) -> list[shapely.Geometry]:
    parts = shapely.get_parts(shapely.make_valid(geometry))
    return [part for part in parts if part.geom_type == "Polygon" and part.area >= MIN_AREA_SQ_DEGREES]


def split_disputed(countries: gpd.GeoDataFrame, claimed: shapely.Geometry) -> gpd.GeoDataFrame:
    """``countries`` with every area of ``claimed`` held by another country moved to its own row.

    Each new row has ``disputed`` true, no ``iso3`` (so no value ever colours it), the
    administering country in ``administered_by`` and a plain-words ``name``.
    """
    countries = countries.assign(disputed=False, administered_by=pd.NA)
    claimant_shape = countries.loc[countries["iso3"] == CLAIMANT, "geometry"].union_all()
    outside = claimed.difference(claimant_shape)
    rows = []
    for index, country in countries[countries.intersects(outside)].iterrows():
        if country["iso3"] == CLAIMANT:
            continue
        held = _parts(outside.intersection(country.geometry))
        if not held:
            continue
        countries.at[index, "geometry"] = country.geometry.difference(shapely.MultiPolygon(held))
        for part in held:
            rows.append({"iso3": pd.NA, "name": f"Administered by {country['name']}, claimed by India",
                         "disputed": True, "administered_by": country["iso3"], "geometry": part})
    disputed = gpd.GeoDataFrame(rows, geometry="geometry", crs=countries.crs)
    return pd.concat([countries, disputed], ignore_index=True)
