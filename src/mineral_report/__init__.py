"""Data, metrics and charts behind the report on India–Russia cooperation in critical minerals.

Chapters import from here; nothing in a chapter reads a file directly.
"""

from mineral_report.data import DataValidationError, load, load_all_vintages, manifest

__all__ = ["DataValidationError", "load", "load_all_vintages", "manifest"]
