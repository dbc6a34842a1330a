"""The one way into ``data/``: a manifest, a validator and a loader."""

from mineral_report.data.errors import DataValidationError, Problem
from mineral_report.data.load import load, load_all_vintages, load_boundaries, load_series, manifest

__all__ = [
    "DataValidationError",
    "Problem",
    "load",
    "load_all_vintages",
    "load_boundaries",
    "load_series",
    "manifest",
]
