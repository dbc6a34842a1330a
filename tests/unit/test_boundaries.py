"""India's claimed areas are drawn as disputed, never in the administering country's shape or fill."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, shape

from mineral_report.charts.maps import BOUNDARY_NOTE, DISPUTED_FILL, choropleth, light_world
from mineral_report.data import load_boundaries
from mineral_report.data.errors import DataValidationError
from mineral_report.data.manifest import find_data_dir

AKSAI_CHIN = Point(79.2, 35.2)
GILGIT_BALTISTAN = Point(74.3, 35.9)
LEH = Point(77.6, 34.2)


@pytest.fixture(scope="module")
def world():
    return light_world(load_boundaries())


def _holder(frame, point: Point) -> list[tuple[str | None, bool]]:
    hits = frame[frame.contains(point)]
    return [(None if pd.isna(row.iso3) else row.iso3, bool(row.disputed)) for row in hits.itertuples()]


def test_claimed_areas_are_disputed_features_not_china_or_pakistan(world) -> None:
    # world-boundaries 1.0.0 alone puts Aksai Chin in CHN and Gilgit-Baltistan in PAK.
    assert _holder(world, AKSAI_CHIN) == [(None, True)]
    assert _holder(world, GILGIT_BALTISTAN) == [(None, True)]
    assert _holder(world, LEH) == [("IND", False)]
    disputed = world[world["disputed"]].set_index("name")
    assert set(disputed.index) == {"Administered by China, claimed by India",
                                   "Administered by Pakistan, claimed by India"}


def test_choropleth_draws_claimed_areas_in_the_disputed_style_over_every_fill(world) -> None:
    values = world.loc[world["iso3"].isin(["CHN", "PAK", "IND"]), ["iso3"]].assign(mt=[1.0, 2.0, 3.0])
    spec = choropleth(world, values, value_field="mt", value_title="Mt").to_dict()
    filled = spec["layer"][1]
    top = spec["layer"][-1]
    assert top["mark"]["fill"] == DISPUTED_FILL and top["mark"]["strokeDash"]

    def shapes(layer):
        return [shape(f["geometry"]) for f in spec["datasets"][layer["data"]["name"]]]

    # No country shape that takes a value covers either point; the top layer holds both.
    assert not any(s.contains(AKSAI_CHIN) or s.contains(GILGIT_BALTISTAN) for s in shapes(filled))
    assert any(s.contains(AKSAI_CHIN) for s in shapes(top))
    assert any(s.contains(GILGIT_BALTISTAN) for s in shapes(top))
    assert "administered by Pakistan or China" in BOUNDARY_NOTE


def test_map_geometry_stays_within_the_page_budget(world) -> None:
    spec = choropleth(world, world[["iso3"]].dropna().assign(mt=1.0), value_field="mt", value_title="Mt").to_dict()
    sizes = [len(json.dumps(records, separators=(",", ":"))) for records in spec["datasets"].values()]
    assert max(sizes) <= 200_000  # the site's budget for one map's inline geometry


def test_a_corrupted_india_outline_fails_loudly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(find_data_dir(), data)
    outline = data / "boundaries/world-geojson/3.5.3/ladakh.json"
    outline.write_bytes(outline.read_bytes().replace(b"7", b"8", 1))
    with pytest.raises(DataValidationError, match="ladakh"):
        load_boundaries(data)


def test_disputed_rows_carry_no_country_code() -> None:
    frame = load_boundaries()
    assert frame.loc[frame["disputed"], "iso3"].isna().all()
    assert not shapely.intersects(frame.loc[frame["iso3"] == "CHN", "geometry"].iloc[0], AKSAI_CHIN)
