"""The registry: citations for every field, sites inside their countries, links to known bodies."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.companies import sites_outside_country, unsourced_fields, who_with_whom
from mineral_report.data import load_boundaries


@pytest.fixture(scope="module")
def organisations() -> pd.DataFrame:
    return report.load("organisations")


def test_every_filled_field_cites_a_source(organisations) -> None:
    assert unsourced_fields(organisations) == []


def test_an_uncited_field_is_caught(organisations) -> None:
    broken = organisations.copy()
    broken.loc[broken["org_id"] == "irel", "field_sources"] = "{}"
    assert ("irel", "headquarters_city") in unsourced_fields(broken)


def test_every_site_lies_in_its_country() -> None:
    sites = report.load("sites")
    assert sites_outside_country(sites, load_boundaries()).empty


def test_a_misplaced_site_is_caught() -> None:
    sites = report.load("sites")
    moved = sites.assign(country_iso3=sites["country_iso3"].where(sites["site_id"] != "S25", "RUS"))  # IREL, Mumbai
    assert list(sites_outside_country(moved, load_boundaries())["site_id"]) == ["S25"]


def test_links_and_sites_refer_to_registered_organisations(organisations) -> None:
    known = set(organisations["org_id"])
    links = report.load("org-links")
    assert set(links["source_org"]) | set(links["target_org"]) <= known
    sites = report.load("sites")
    assert set(sites["org_id"].dropna()) <= known


def test_links_name_both_sides_and_their_countries(organisations) -> None:
    links = report.load("org-links")
    table = who_with_whom(organisations, links)
    assert len(table) == len(links)
    first = links.set_index("link_id").loc["L01"]
    row = table[(table["date"] == first["date"]) & (table["link_type"] == "stake")].iloc[0]
    assert row["source_org"].endswith("(Russia)")
    assert row["target_org"].endswith("(India)")
    assert not table["source_org"].isin(organisations["org_id"]).any()
    assert table["date"].isna().sum() == links["date"].isna().sum() and table["date"].iloc[-1:].isna().all()


def test_sanctions_assessment_covers_the_russian_partners(organisations) -> None:
    assessment = report.load("sanctions-assessment").set_index("org_id")
    russian = set(organisations.loc[organisations["country_iso3"] == "RUS", "org_id"])
    assert set(assessment.index) == russian
    assert assessment.at["alrosa", "risk"] == "blocked"
    assert "2022-04-07" in organisations.set_index("org_id").at["alrosa", "us_sanctions"]


def test_sites_map_names_the_crowded_cities_and_keeps_every_site() -> None:
    from mineral_report.charts.companies import REGION, site_labels, sites_map
    from mineral_report.charts.maps import light_world
    from mineral_report.data import load_boundaries

    sites = report.load("sites", vintage="2026-11-22")
    labels = site_labels(sites).set_index("label")
    assert "Moscow (7 sites)" in labels.index
    assert set(labels[labels["kind"] == "site"].index) >= {"Olimpiada gold deposit/mine"}
    spec = sites_map(light_world(load_boundaries()), sites, report.load("organisations")).to_dict()
    inset_points = next(layer for layer in spec["vconcat"][1]["layer"] if layer["mark"]["type"] == "point")
    drawn = spec["datasets"][inset_points["data"]["name"]]
    assert {(p["lat"], p["lon"]) for p in drawn} == set(zip(sites["lat"], sites["lon"]))
    outside = ~sites["lon"].between(REGION["west"], REGION["east"])
    assert outside.sum() == 2  # London and Catamarca: shown on the world inset only
