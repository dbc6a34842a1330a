"""Measures of supply concentration and country shares, defined once for every chapter."""

from __future__ import annotations

import pandas as pd


def shares(values: pd.Series) -> pd.Series:
    """Each entry's share (0–1) of the sum of the entries; missing entries stay missing."""
    total = values.sum(min_count=1)
    return values / total


def herfindahl_hirschman(values: pd.Series) -> float:
    """Herfindahl–Hirschman index on the 0–10,000 scale from country quantities.

    Shares are taken of the sum of the quantities given (in percent), squared and summed.
    Missing quantities are dropped, not treated as zero: a withheld figure is unknown.
    """
    known = values.dropna()
    if known.empty or known.sum() <= 0:
        raise ValueError("HHI needs at least one positive quantity")
    percent = known / known.sum() * 100
    return float((percent**2).sum())


def top_n_share(values: pd.Series, n: int = 3) -> float:
    """Share (0–1) of the ``n`` largest known quantities in the known total."""
    known = values.dropna()
    if known.empty or known.sum() <= 0:
        raise ValueError("a top-n share needs at least one positive quantity")
    return float(known.nlargest(n).sum() / known.sum())
