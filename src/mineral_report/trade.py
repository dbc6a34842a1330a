"""India's trade series: balances, headline figures and the per-mineral evidence table."""

from __future__ import annotations

import re

import pandas as pd

from mineral_report.periods import fiscal_year_start

QUANTITY_UNITS = ("t", "Mt")
VALUE_UNITS = ("usd_mn", "inr_crore")


def partner_table(trade: pd.DataFrame, column: str) -> pd.DataFrame:
    """One column per partner (ISO3), one row per fiscal year, in chronological order."""
    table = trade.pivot(index="fiscal_year", columns="partner_iso3", values=column)
    return table.loc[sorted(table.index, key=fiscal_year_start)]


def latest_final_year(trade: pd.DataFrame) -> str:
    final = trade.loc[trade["data_status"] == "final", "fiscal_year"]
    return max(final, key=fiscal_year_start)


def russia_share_of_imports(trade: pd.DataFrame) -> pd.Series:
    """Russia's share (0–1) of India's total merchandise imports, by fiscal year."""
    imports = partner_table(trade, "imports_usd_mn")
    return imports["RUS"] / imports["WLD"]


def period_start(period: str, period_type: str) -> str:
    """Where a period begins, as YYYY-MM, so periods of different kinds can be ordered."""
    if period_type == "fiscal_year":
        return f"{fiscal_year_start(period)}-04"
    if period_type == "calendar_year":
        return f"{period}-01"
    return period[:7]


def _latest(rows: pd.DataFrame) -> pd.Series | None:
    """The most recent full-year observation, or the most recent partial one if no full year."""
    if rows.empty:
        return None
    ranked = rows.assign(
        full_year=rows["period_type"] != "months",
        start=[period_start(p, t) for p, t in zip(rows["period"], rows["period_type"])],
    ).sort_values(["full_year", "start"], kind="stable")
    return ranked.iloc[-1]


def latest_observation(observations: pd.DataFrame, **attributes: str) -> pd.Series:
    """The latest full-year import observation with these attributes (mineral, partner_iso3, unit, period…).

    Chapters find a figure by what it is, never by its row id, so a new vintage that adds or
    renumbers observations still yields the right one.
    """
    rows = observations[observations["flow"] == "import"]
    for column, value in attributes.items():
        rows = rows[rows[column] == value]
    found = _latest(rows)
    if found is None:
        wanted = ", ".join(f"{c}={v!r}" for c, v in attributes.items())
        raise LookupError(f"no import observation with {wanted}")
    return found


# A partner's share of India's imports of a good, as the observations' subjects word it. Other
# percentages (a good's share of the imports from Russia, India's share of a supplier's sales)
# measure something else and stay out of the share columns.
PARTNER_SHARE_SUBJECTS = {
    "CHN": re.compile(r"^China( and Hong Kong)? share of"),
    "RUS": re.compile(r"^Russia share of"),
}


UNIT_LABELS = {"inr_crore": "₹ crore", "usd_mn": "US$ million"}


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def mineral_evidence(observations: pd.DataFrame) -> pd.DataFrame:
    """Per mineral: the latest published import quantity, value and shares from China and Russia.

    Full-year figures are preferred to part-year ones, whatever their dates.

    Every cell comes from one cited observation and names its period and what it measures
    (the sources often cover part of a good: compounds only, one HS code, one kind of
    magnet); a mineral with no observation of a kind shows a missing cell, never a zero.
    """
    imports = observations[observations["flow"] == "import"]
    rows = []
    for mineral, group in imports.groupby("mineral", sort=True):
        world = group[group["partner_iso3"] == "WLD"]
        shares = {
            partner: _latest(group[(group["partner_iso3"] == partner) & (group["unit"] == "percent")
                                   & group["subject"].str.match(pattern)])
            for partner, pattern in PARTNER_SHARE_SUBJECTS.items()
        }

        def cell(obs: pd.Series | None) -> str | None:
            if obs is None:
                return None
            unit = UNIT_LABELS.get(obs["unit"], obs["unit"])
            return f"{_number(obs['value'])} {unit} ({obs['period']}): {obs['subject']}"

        rows.append({
            "mineral": mineral,
            "imports, quantity": cell(_latest(world[world["unit"].isin(QUANTITY_UNITS)])),
            "imports, value": cell(_latest(world[world["unit"].isin(VALUE_UNITS)])),
            "share from China": cell(shares["CHN"]),
            "share from Russia": cell(shares["RUS"]),
        })
    table = pd.DataFrame(rows).set_index("mineral")
    return table.astype("string")


# The latest full-year published figures that cover each good whole, by observation id: rare-earth
# metals and compounds together (tonnes; later years are published only for the two apart),
# permanent magnets (tonnes, rupees, dollars).
STOCKPILE_BASIS = {
    "rare-earth metals and compounds": ("OBS001",),
    "permanent magnets": ("OBS019", "OBS024", "OBS027"),
}


def stockpile_need(observations: pd.DataFrame, months: int = 2) -> pd.DataFrame:
    """What ``months`` of imports amount to: the annual figure divided by 12, times ``months``.

    The method assumes imports spread evenly over the year; it uses each good's latest
    published annual figure and keeps that figure's period and unit. A good with no published
    value in some unit has no row for it: nothing is converted or estimated.
    """
    by_id = observations.set_index("observation_id")
    rows = []
    for good, ids in STOCKPILE_BASIS.items():
        for obs_id in ids:
            obs = by_id.loc[obs_id]
            rows.append({
                "good": good,
                "annual_imports": obs["value"],
                "unit": obs["unit"],
                "period": obs["period"],
                f"{months}_months": obs["value"] / 12 * months,
                "observation": obs_id,
            })
    return pd.DataFrame(rows)
