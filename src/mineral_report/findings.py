"""The numbers behind the executive summary, each computed from the pinned data.

Nothing here names a year or an edition: the period of each finding is read from the data
(the latest final fiscal year, the only year with a product breakdown, the first and current
USGS editions), so a new vintage moves the summary with it.
"""

from __future__ import annotations

import pandas as pd

from mineral_report.periods import fiscal_year_start
from mineral_report.sources import GRADES

FUELS_CHAPTER = "27"


def names_in_prose(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'; 'none' for an empty list."""
    if not names:
        return "none"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def import_mix(
    trade: pd.DataFrame, by_chapter: pd.DataFrame, partner: str = "RUS"
) -> dict[str, object]:
    """A partner's imports and their fuel share, both for the one year that has a breakdown.

    The year is the latest one the chapter table covers for the partner; the total is that
    same year's, so a share is never taken of another year's total.
    """
    chapters = by_chapter[by_chapter["partner_iso3"] == partner]
    if chapters.empty:
        raise ValueError(f"no import breakdown by HS chapter for {partner}")
    year = max(chapters["fiscal_year"], key=fiscal_year_start)
    row = trade[(trade["fiscal_year"] == year) & (trade["partner_iso3"] == partner)]
    if row.empty:
        raise ValueError(f"no total imports from {partner} for {year}")
    total = float(row["imports_usd_mn"].iloc[0])
    in_year = chapters[chapters["fiscal_year"] == year]
    fuels = float(in_year.loc[in_year["hs_chapter"] == FUELS_CHAPTER, "imports_usd_mn"].sum())
    return {
        "year": year,
        "status": str(row["data_status"].iloc[0]),
        "total_bn": total / 1000,
        "fuels_bn": fuels / 1000,
        "fuels_share": fuels / total * 100,
    }


def russia_as_supplier(observations: pd.DataFrame, grades: pd.Series) -> pd.DataFrame:
    """Where published official figures place Russia among India's suppliers of a good.

    One row per good and place, with every source that carries it and the strongest of their
    grades (``grades`` maps a cited address to its grade, see :func:`mineral_report.sources.graded`),
    so a reader, and the summary, can tell a figure read in a press report from one known only
    through republished copies.
    """
    ranks = observations[(observations["partner_iso3"] == "RUS") & (observations["unit"] == "rank")]
    rank_of = {grade: rank for rank, grade in enumerate(GRADES)}
    rows = []
    for (good, place), group in ranks.groupby(["mineral", "value"], sort=False):
        graded_here = group["url"].map(grades)
        if graded_here.isna().any():
            raise ValueError(f"no grade for {', '.join(group.loc[graded_here.isna(), 'url'])}")
        first = group.iloc[0]
        rows.append({
            "good": good,
            "place": int(place),
            "period": period_label(first["period"], first["period_type"]),
            "what the source says": first["quote_summary"],
            "carried by": "; ".join(group["publisher"]),
            "strongest source": min(graded_here, key=rank_of.__getitem__),
            "observation": ", ".join(group["observation_id"]),
        })
    named = pd.DataFrame(rows).sort_values(["place", "good"]).reset_index(drop=True)
    repeated = named["good"].duplicated(keep=False)
    if repeated.any():
        raise ValueError(f"sources disagree on Russia's place for {', '.join(sorted(set(named.loc[repeated, 'good'])))}")
    return named


def period_label(period: str, period_type: str) -> str:
    """A run of whole fiscal years given in months ('2019-04 to 2024-03') as '2019-20 to 2023-24'."""
    if period_type == "months":
        start, _, end = period.partition(" to ")
        if start.endswith("-04") and end.endswith("-03"):
            first, last = int(start[:4]), int(end[:4]) - 1
            return f"{first}-{(first + 1) % 100:02d} to {last}-{(last + 1) % 100:02d}"
    return period


def ordinal(number: int) -> str:
    """1 → 'first', 2 → 'second' … for the small places a supplier list names."""
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    if number not in words:
        raise ValueError(f"no word for place {number}")
    return words[number]


def reserve_change(revisions: pd.DataFrame, iso3: str) -> dict[str, object]:
    """A country's reserves in the first and the current edition of the series."""
    rows = revisions[(revisions["country_iso3"] == iso3) & revisions["value"].notna()].sort_values(
        "edition"
    )
    if len(rows) < 2:
        raise ValueError(f"{iso3} has fewer than two editions with a reserves figure")
    first, current = rows.iloc[0], rows.iloc[-1]
    return {
        "first_edition": int(first["edition"]),
        "first_mt": float(first["value"]) / 1e6,
        "current_edition": int(current["edition"]),
        "current_mt": float(current["value"]) / 1e6,
        "change_share": (float(current["value"]) / float(first["value"]) - 1) * 100,
    }
