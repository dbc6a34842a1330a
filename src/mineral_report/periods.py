"""India's fiscal year (April–March) and the calendar year, kept apart on purpose."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

FISCAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def fiscal_year_of(day: date | pd.Timestamp) -> str:
    """The Indian fiscal year containing a date: 15 May 2023 → '2023-24', 15 Feb 2024 → '2023-24'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def fiscal_year_start(label: str) -> int:
    """The calendar year in which a fiscal year starts; refuses anything but 'YYYY-YY'."""
    match = FISCAL_YEAR.match(label)
    if not match:
        raise ValueError(f"{label!r} is not a fiscal year label of the form 2023-24")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise ValueError(f"{label!r} is not a fiscal year: {end:02d} does not follow {start}")
    return start
