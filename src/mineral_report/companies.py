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


DESIGNATED = "blocked"
NEEDS_CHECKS = "elevated"


def linked_russian_organisations(organisations: pd.DataFrame, links: pd.DataFrame,
                                 assessment: pd.DataFrame) -> pd.DataFrame:
    """Russian organisations with at least one recorded link to an Indian party, and their risk.

    A link counts in either direction and whatever its kind (stake, agreement, memorandum,
    office, reported talks), because any of them is a dealing an Indian party would have to
    clear. Russian organisations linked only to other Russian ones are left out: the sanctions
    question matters to India only where an Indian party is involved.
    """
    country = organisations.set_index("org_id")["country_iso3"]
    name = organisations.set_index("org_id")["name"]
    ends = pd.concat([
        links.rename(columns={"source_org": "org", "target_org": "partner"}),
        links.rename(columns={"target_org": "org", "source_org": "partner"}),
    ])
    cross = ends[(ends["org"].map(country) == "RUS") & (ends["partner"].map(country) == "IND")]
    grouped = cross.groupby("org").agg(
        indian_partners=("partner", lambda ids: ", ".join(sorted(set(ids.map(name))))),
        links=("link_type", lambda kinds: ", ".join(sorted(set(kinds)))),
    )
    risk = assessment.set_index("org_id")["risk"]
    table = grouped.assign(organisation=grouped.index.map(name), risk=grouped.index.map(risk))
    return table.sort_values("organisation").reset_index(drop=True)[["organisation", "risk", "indian_partners", "links"]]


def sanctions_among_linked(linked: pd.DataFrame) -> dict[str, object]:
    """Counts and names behind the sanctions finding, over the organisations linked to India."""
    designated = linked.loc[linked["risk"] == DESIGNATED, "organisation"].tolist()
    checks = linked.loc[linked["risk"] == NEEDS_CHECKS, "organisation"].tolist()
    return {
        "n_linked": len(linked),
        "n_designated": len(designated),
        "designated": designated,
        "n_needs_checks": len(checks),
        "needs_checks": checks,
    }
