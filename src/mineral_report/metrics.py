"""Measures of supply concentration, defined once for every chapter.

All functions take *shares* of a world total (0–1). Countries whose figure is withheld or not
available have no share and are left out, never counted as zero; the "other countries"
aggregate is not a country and is left out too. Computed over the named countries only, the
Herfindahl–Hirschman index is therefore a lower bound of the true one. USGS rounds its world
totals (and sometimes gives only a lower bound), so the named countries can add up to more than
the total; the reserves module then takes their sum as the denominator (see
``reserves.with_shares``), so shares never add up to more than one.
"""

from __future__ import annotations

import pandas as pd


def herfindahl_hirschman(shares: pd.Series) -> float:
    """HHI on the 0–10,000 scale: the sum of squared percentage shares.

    Three producers with 50%, 30% and 20% give 2,500 + 900 + 400 = 3,800.
    """
    known = shares.dropna()
    if known.empty:
        raise ValueError("HHI needs at least one known share")
    if (known < 0).any():
        raise ValueError("shares cannot be negative")
    return float(((known * 100) ** 2).sum())


def top_n_share(shares: pd.Series, n: int = 3) -> float:
    """Combined share (0–1) of the ``n`` largest known shares."""
    known = shares.dropna()
    if known.empty:
        raise ValueError("a top-n share needs at least one known share")
    return float(known.nlargest(n).sum())
