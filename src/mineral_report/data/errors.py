"""Validation problems carry the file, row and column so a reader can go straight to the cell."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file.

    ``row`` is the line number in the file as a text editor shows it (the header is line 1),
    or ``None`` when the problem concerns the whole file.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """Raised before any chapter runs when a data file disagrees with the manifest."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} data problem(s):\n{shown}{more}")


class ManifestError(ValueError):
    """``data/datapackage.json`` is missing, unreadable or not a manifest; the message is one line."""
