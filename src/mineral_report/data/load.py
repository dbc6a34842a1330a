"""Chapters read data only through these functions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from mineral_report.data.boundaries import split_disputed
from mineral_report.data.errors import DataValidationError
from mineral_report.data.manifest import Manifest, Resource, find_data_dir, read_manifest
from mineral_report.data.validate import check_checksum, read_resource

BOUNDARIES_DATASET = "world-boundaries"
# India's official outline of the territories whose lines others dispute.
INDIA_OFFICIAL_DATASETS = ("india-boundary-jammu-kashmir", "india-boundary-ladakh")


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


def _verified_file(found: Manifest, dataset: str) -> tuple[Path, Resource]:
    resource = found.resolve(dataset)
    problems = check_checksum(found, resource)
    if problems:
        raise DataValidationError(problems)
    return found.file(resource), resource


def load_boundaries(data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Country polygons shipped in data/ (never downloaded), with an ``iso3`` column.

    Areas India officially shows as its own but another country administers are separate
    rows with ``disputed`` true and no ``iso3`` (see ``mineral_report.data.boundaries``).
    """
    found = manifest(data_dir)
    path, resource = _verified_file(found, BOUNDARIES_DATASET)
    frame = gpd.read_file(path, layer=resource.raw.get("layer", "countries"))
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    id_field = resource.raw.get("iso3_property", "a3")
    frame = frame.rename(columns={id_field: "iso3"})
    official = [_verified_file(found, dataset) for dataset in INDIA_OFFICIAL_DATASETS]
    claimed = shapely.union_all([gpd.read_file(file).geometry.union_all() for file, _ in official])
    frame = split_disputed(frame, claimed)
    resources = [resource] + [r for _, r in official]
    frame.attrs.update(vintage=resource.vintage,
                       source="; ".join(dict.fromkeys(r.source_line() for r in resources)),
                       licence="; ".join(dict.fromkeys(r.licence_line() for r in resources)))
    return frame
