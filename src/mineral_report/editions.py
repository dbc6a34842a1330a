"""Which edition and which year a chapter speaks of, computed from the pinned data.

Chapters never name an edition or a fiscal year: "the current edition" is the last pinned one,
"the previous edition" the one before it, "the first edition on file" the oldest pinned one, and
"the latest final fiscal year" the newest year the trade statistics mark final
(``trade.latest_final_year``); whether a year's figures are final or provisional is read from
the statistics (``status_of``). A new edition
changes these only once it is pinned, because the series loaded is exactly the pinned list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mineral_report.periods import fiscal_year_start


@dataclass(frozen=True)
class Editions:
    """The editions of a pinned series, oldest first."""

    all: tuple[int, ...]

    @classmethod
    def of(cls, series: pd.DataFrame) -> Editions:
        """The editions present in a frame from ``load_series`` (its ``edition`` column)."""
        editions = tuple(sorted({int(e) for e in series["edition"].dropna()}))
        if not editions:
            raise ValueError("the series holds no edition")
        return cls(editions)

    @property
    def current(self) -> int:
        return self.all[-1]

    @property
    def previous(self) -> int | None:
        """The edition before the current one; ``None`` when only one edition is pinned."""
        return self.all[-2] if len(self.all) > 1 else None

    @property
    def first(self) -> int:
        return self.all[0]

    def listed(self) -> str:
        """The editions in words: "2024, 2025 and 2026"."""
        names = [str(e) for e in self.all]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def status_of(trade: pd.DataFrame, fiscal_year: str) -> str:
    """"final" or "provisional": how the trade statistics mark a fiscal year."""
    statuses = set(trade.loc[trade["fiscal_year"] == fiscal_year, "data_status"].dropna())
    return "provisional" if "provisional" in statuses else "final"


def latest_year_with(table: pd.DataFrame, **columns: str) -> str:
    """The newest fiscal year of ``table`` holding rows with these column values."""
    mask = pd.Series(True, index=table.index)
    for column, value in columns.items():
        mask &= table[column] == value
    years = table.loc[mask, "fiscal_year"].dropna().unique()
    if not len(years):
        wanted = ", ".join(f"{c}={v}" for c, v in columns.items())
        raise ValueError(f"no fiscal year holds rows with {wanted}")
    return max(years, key=fiscal_year_start)


def year_before_largest_rise(share: pd.Series) -> str:
    """The fiscal year after which a share (indexed by fiscal year) rose most, year on year."""
    ordered = share.loc[sorted(share.index, key=fiscal_year_start)].dropna()
    rises = ordered.diff().shift(-1)
    return str(rises.idxmax())
