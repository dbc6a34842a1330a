"""Fetch fresh data from their publishers as new vintages, and compare vintages.

A refresh never edits a published vintage: it writes a new one beside it, validates it, and
only then adds it to the manifest. ``--pin`` makes the book use it.
"""

from mineral_report.refresh.errors import RefreshError

__all__ = ["RefreshError"]
