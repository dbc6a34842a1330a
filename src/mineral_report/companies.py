"""The organisations registry: sites checked against borders, who is linked to whom, sanctions."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd

# The shipped boundaries are at 1:110 million: coastal cities such as Mumbai can fall just
# outside their simplified country. A point this close to its own country counts as inside.
BORDER_TOLERANCE_DEG = 0.5
IDENTITY_FIELDS = {"org_id", "name", "country_iso3", "source_urls", "field_sources"}
ABSENCE_PREFIX = "none found as of"
COUNTRY_NAMES = {"RUS": "Russia", "IND": "India", "ARG": "Argentina"}


def unsourced_fields(organisations: pd.DataFrame) -> list[tuple[str, str]]:
    """(org_id, field) for every filled field that field_sources does not cite.

    A statement of absence ("none found as of <date>") records a search, not a fact, and
    needs no citation.
    """
    missing = []
    for _, row in organisations.iterrows():
        cited = json.loads(row["field_sources"])
        for field in organisations.columns:
            value = row[field]
            if field in IDENTITY_FIELDS or pd.isna(value) or str(value).startswith(ABSENCE_PREFIX):
                continue
            if not str(cited.get(field, "")).startswith("http"):
                missing.append((row["org_id"], field))
    return missing


def sites_outside_country(sites: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Sites farther than the tolerance from their own country's polygon, with no stated reason."""
    points = gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["lon"], sites["lat"]), crs="EPSG:4326")
    shapes = boundaries.set_index("iso3").geometry
    distance = [
        shapes[iso3].distance(point) if iso3 in shapes.index else math.inf
        for iso3, point in zip(points["country_iso3"], points.geometry)
    ]
    outside = pd.Series(distance, index=sites.index) > BORDER_TOLERANCE_DEG
    return sites.loc[outside & sites["outside_boundary_reason"].isna()]


def who_with_whom(organisations: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Every link between two organisations, by name and country, newest first; undated last."""
    named = organisations.set_index("org_id")
    country = named["country_iso3"].map(COUNTRY_NAMES).fillna(named["country_iso3"])
    label = named["name"] + " (" + country + ")"
    table = links.assign(source_org=links["source_org"].map(label), target_org=links["target_org"].map(label))
    table = table.sort_values("date", ascending=False, na_position="last")
    return table[["date", "source_org", "target_org", "link_type", "status", "summary"]].reset_index(drop=True)


def sanctions_overview(organisations: pd.DataFrame, assessment: pd.DataFrame) -> pd.DataFrame:
    """The Russian partners, their dated measures and the report's assessment, riskiest first."""
    order = {"blocked": 0, "elevated": 1, "no current listing found": 2, "no listing found (brief check)": 3}
    table = assessment.merge(organisations, on="org_id", how="left")
    table = table.assign(rank=table["risk"].map(order)).sort_values(["rank", "name"])
    return table[["name", "risk", "us_sanctions", "eu_sanctions", "uk_sanctions", "reason"]].rename(
        columns={"name": "Organisation", "risk": "Assessment", "us_sanctions": "United States",
                 "eu_sanctions": "European Union", "uk_sanctions": "United Kingdom", "reason": "Why"}
    ).set_index("Organisation")
