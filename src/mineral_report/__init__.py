"""Data, metrics and charts behind the report on India–Russia cooperation in critical minerals.

Chapters import from here; nothing in a chapter reads a file directly. The data functions are
imported on first use, so that the book's Sphinx extension (``mineral_report.book.sphinx``) starts
without loading pandas and geopandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["DataValidationError", "load", "load_all_vintages", "manifest"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("mineral_report.data"), name)
    raise AttributeError(f"module 'mineral_report' has no attribute {name!r}")
