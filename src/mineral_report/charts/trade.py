"""Charts of India's trade series."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mineral_report.charts.layout import finish, source_of
from mineral_report.charts.theme import country_scale

PARTNER_NAMES = {"RUS": "Russia", "CHN": "China", "WLD": "World"}


def with_partner_names(trade: pd.DataFrame) -> pd.DataFrame:
    named = trade.assign(partner=trade["partner_iso3"].map(PARTNER_NAMES))
    named.attrs = dict(trade.attrs)
    return named


def partner_imports_chart(trade: pd.DataFrame, partners: tuple[str, ...] = ("RUS", "CHN")) -> alt.Chart:
    """India's imports from each partner by fiscal year, provisional years marked."""
    named = with_partner_names(trade[trade["partner_iso3"].isin(partners)])
    rows = named[["fiscal_year", "partner", "imports_usd_mn", "data_status"]].assign(
        imports_usd_bn=lambda d: d["imports_usd_mn"] / 1000
    )
    names = [PARTNER_NAMES[p] for p in partners]
    chart = (
        alt.Chart(rows)
        .mark_line(point=True)
        .encode(
            x=alt.X("fiscal_year:O", title="Fiscal year (April–March)"),
            y=alt.Y("imports_usd_bn:Q", title="Imports, US$ billion"),
            color=alt.Color("partner:N", title="Partner", scale=country_scale(names)),
            strokeDash=alt.StrokeDash(
                "data_status:N", title="Status", scale=alt.Scale(domain=["final", "provisional"], range=[[1, 0], [4, 3]])
            ),
            tooltip=[
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                alt.Tooltip("imports_usd_mn:Q", title="Imports, US$ million", format=",.2f"),
                alt.Tooltip("data_status:N", title="Status"),
            ],
        )
        .properties(width=520, height=300)
    )
    first, last = rows["fiscal_year"].min(), rows["fiscal_year"].max()
    return finish(
        chart,
        title="India's merchandise imports from " + " and ".join(names),
        subtitle=f"US$ billion, fiscal years {first} to {last}",
        description=(
            f"Line chart of India's merchandise imports from {' and '.join(names)} by fiscal year "
            f"from {first} to {last}, in US$ billion."
        ),
        source=source_of(named),
    )
