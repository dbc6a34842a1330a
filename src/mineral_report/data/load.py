"""Chapters read data only through these functions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from mineral_report.data.errors import DataValidationError
from mineral_report.data.manifest import Manifest, find_data_dir, read_manifest
from mineral_report.data.validate import check_checksum, read_resource

BOUNDARIES_DATASET = "world-boundaries"


def manifest(data_dir: Path | None = None) -> Manifest:
    return read_manifest(data_dir or find_data_dir())


@lru_cache(maxsize=64)
def _load_cached(data_dir: Path, name: str, sha256: str) -> pd.DataFrame:
    found = read_manifest(data_dir)
    return read_resource(found, found.by_name(name))


def load(dataset: str, vintage: str | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """The pinned (or named) vintage of a dataset, checksum- and schema-verified, typed.

    The frame's ``attrs`` carry the resource's name, vintage and one-line source, so a chart
    helper can print the source line without the chapter restating it.
    """
    found = manifest(data_dir)
    resource = found.resolve(dataset, vintage)
    frame = _load_cached(found.root, resource.name, resource.sha256).copy()
    frame.attrs.update(
        resource=resource.name,
        dataset=resource.dataset,
        vintage=resource.vintage,
        source=resource.source_line(),
        licence=resource.licence_line(),
    )
    return frame


def load_series(dataset: str, data_dir: Path | None = None) -> pd.DataFrame:
    """The pinned vintages of a dataset stacked, oldest edition first, with a ``vintage`` column.

    Exactly the vintages the manifest pins, never an unpinned one: a new edition reaches the
    book only when it is pinned.
    """
    found = manifest(data_dir)
    series = found.pinned_series(dataset)
    frames = [load(dataset, r.vintage, data_dir).assign(vintage=r.vintage) for r in series]
    stacked = pd.concat(frames, ignore_index=True)
    stacked.attrs.update(
        dataset=dataset,
        vintage=", ".join(r.vintage for r in series),
        source="; ".join(dict.fromkeys(r.source_line() for r in series)),
        licence="; ".join(dict.fromkeys(r.licence_line() for r in series)),
    )
    return stacked


# The name chapters and tests have used for the pinned series since before editions were pinned.
load_all_vintages = load_series


def load_boundaries(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Country polygons shipped in data/ (never downloaded), with an ``iso3`` column."""
    found = manifest(data_dir)
    resource = found.resolve(BOUNDARIES_DATASET)
    problems = check_checksum(found, resource)
    if problems:
        raise DataValidationError(problems)
    layer = resource.raw.get("layer", "countries")
    frame = gpd.read_file(found.file(resource), layer=layer)
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    id_field = resource.raw.get("iso3_property", "a3")
    frame = frame.rename(columns={id_field: "iso3"})
    frame.attrs.update(vintage=resource.vintage, source=resource.source_line(), licence=resource.licence_line())
    return frame
