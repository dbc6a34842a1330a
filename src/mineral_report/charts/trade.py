"""Charts of India's trade series."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from mineral_report.charts.layout import finish, source_of, wrapped
from mineral_report.charts.theme import COUNTRY_COLOURS, country_scale

PARTNER_NAMES = {"RUS": "Russia", "CHN": "China", "WLD": "World"}


def with_partner_names(trade: pd.DataFrame) -> pd.DataFrame:
    named = trade.assign(partner=trade["partner_iso3"].map(PARTNER_NAMES))
    named.attrs = dict(trade.attrs)
    return named


def _line_per_partner(rows: pd.DataFrame, *, x: alt.X, y: alt.Y, names: list[str], tooltip: list[alt.Tooltip],
                      height: int, **encodings: object) -> alt.Chart:
    """One line, with a point per year, for each partner in the partners' own colours."""
    return (
        alt.Chart(rows)
        .mark_line(point=True)
        .encode(x=x, y=y, color=alt.Color("partner:N", title="Partner", scale=country_scale(names)),
                tooltip=tooltip, **encodings)
        .properties(width=520, height=height)
    )


def partner_imports_chart(trade: pd.DataFrame, partners: tuple[str, ...] = ("RUS", "CHN")) -> alt.Chart:
    """India's imports from each partner by fiscal year, provisional years marked."""
    named = with_partner_names(trade[trade["partner_iso3"].isin(partners)])
    rows = named[["fiscal_year", "partner", "imports_usd_mn", "data_status"]].assign(
        imports_usd_bn=lambda d: d["imports_usd_mn"] / 1000
    ).drop(columns="imports_usd_mn")
    names = [PARTNER_NAMES[p] for p in partners]
    chart = _line_per_partner(
        rows,
        x=alt.X("fiscal_year:O", title="Fiscal year (April–March)"),
        y=alt.Y("imports_usd_bn:Q", title="Imports, US$ billion"),
        names=names,
        tooltip=[
            alt.Tooltip("partner:N", title="Partner"),
            alt.Tooltip("fiscal_year:O", title="Fiscal year"),
            alt.Tooltip("imports_usd_bn:Q", title="Imports, US$ billion", format=",.1f"),
            alt.Tooltip("data_status:N", title="Status"),
        ],
        height=300,
        # Points, not dashes: the provisional year is a single point at the line's end.
        shape=alt.Shape(
            "data_status:N", title="Status", scale=alt.Scale(domain=["final", "provisional"], range=["circle", "diamond"])
        ),
    )
    first, last = rows["fiscal_year"].min(), rows["fiscal_year"].max()
    by_year = rows.pivot(index="fiscal_year", columns="partner", values="imports_usd_bn")
    lead = names[0]
    growth = by_year.at[last, lead] / by_year.at[first, lead]
    title = f"India's imports from {lead} in {last} were {growth:,.0f} times those of {first}"
    if len(names) == 2 and (by_year[names[1]] > by_year[lead]).all():
        title += f"; {names[1]} still sells India more"
    return finish(
        chart,
        title=title,
        subtitle=f"US$ billion, fiscal years {first} to {last}",
        description=(
            f"Line chart of India's merchandise imports from {' and '.join(names)} by fiscal year "
            f"from {first} to {last}, in US$ billion."
        ),
        source=source_of(named),
    )


def balance_chart(trade: pd.DataFrame, partners: tuple[str, ...] = ("RUS", "CHN")) -> alt.Chart:
    """India's trade balance with each partner by fiscal year (negative = deficit)."""
    named = with_partner_names(trade[trade["partner_iso3"].isin(partners)])
    rows = named.assign(balance_usd_bn=(named["exports_usd_mn"] - named["imports_usd_mn"]) / 1000)[
        ["fiscal_year", "partner", "balance_usd_bn", "data_status"]
    ]
    names = [PARTNER_NAMES[p] for p in partners]
    chart = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=alt.X("fiscal_year:O", title="Fiscal year (April–March)"),
            xOffset=alt.XOffset("partner:N", sort=names),
            y=alt.Y("balance_usd_bn:Q", title="India's balance, US$ billion"),
            color=alt.Color("partner:N", title="Partner", scale=country_scale(names)),
            tooltip=[alt.Tooltip("partner:N", title="Partner"), alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                     alt.Tooltip("balance_usd_bn:Q", title="Balance, US$ billion", format=",.1f"),
                     alt.Tooltip("data_status:N", title="Status")],
        )
        .properties(width=520, height=280)
    )
    last = rows["fiscal_year"].max()
    latest = rows[rows["fiscal_year"] == last].set_index("partner")["balance_usd_bn"]
    gaps = " and ".join(f"US${-latest[n]:,.0f} billion with {n}" for n in names)
    return finish(
        chart,
        title=f"India buys far more than it sells: a deficit of {gaps} in {last}",
        subtitle="Exports minus imports, US$ billion, by fiscal year; below zero is a deficit",
        description=f"Grouped bar chart of India's merchandise trade balance with {' and '.join(names)} by fiscal year, in US$ billion.",
        source=source_of(named),
    )


def chapter_composition_chart(by_chapter: pd.DataFrame, fiscal_year: str) -> alt.Chart:
    """India's largest import chapters from each partner in one fiscal year."""
    year = by_chapter[(by_chapter["fiscal_year"] == fiscal_year) & (by_chapter["partner_iso3"] != "WLD")]
    named = with_partner_names(year).assign(
        chapter=lambda d: (d["hs_chapter"] + " " + d["hs_chapter_description"]).map(wrapped),
        imports_usd_bn=lambda d: d["imports_usd_mn"] / 1000,
    )
    top = named[named["partner"] == "Russia"].sort_values("imports_usd_bn").iloc[-1]
    short = re.split(r"[,;]", top["hs_chapter_description"])[0]
    chart = (
        alt.Chart(named[["partner", "chapter", "imports_usd_bn"]])
        .mark_bar()
        .encode(
            y=alt.Y("chapter:N", title=None, sort="-x"),
            x=alt.X("imports_usd_bn:Q", title="Imports, US$ billion"),
            color=alt.Color("partner:N", title="Partner", scale=country_scale(["Russia", "China"]), legend=None),
            row=alt.Row("partner:N", title=None, sort=["Russia", "China"]),
            tooltip=[alt.Tooltip("partner:N", title="Partner"), alt.Tooltip("chapter:N", title="HS chapter"),
                     alt.Tooltip("imports_usd_bn:Q", title="Imports, US$ billion", format=",.2f")],
        )
        .properties(width=360, height=alt.Step(26))
        .resolve_scale(y="independent")
    )
    return finish(
        chart,
        title=f"{short} (HS {top['hs_chapter']}) lead India's imports from Russia in {fiscal_year}",
        subtitle=f"US$ billion, fiscal year {fiscal_year} (provisional); chapters outside each partner's top ten are not published in the source",
        description=f"Two horizontal bar charts of India's ten largest import chapters from Russia and from China in {fiscal_year}, in US$ billion.",
        source=source_of(by_chapter),
    )


def china_share_chart(observations: pd.DataFrame) -> alt.Chart:
    """Published shares of China in India's imports of critical-mineral goods."""
    shares = observations[(observations["partner_iso3"] == "CHN") & (observations["unit"] == "percent")]
    rows = shares.assign(label=(shares["subject"] + " (" + shares["period"] + ")").map(wrapped))[
        ["label", "mineral", "value", "period", "publisher"]
    ]
    over_half = int((rows["value"] > 50).sum())
    chart = (
        alt.Chart(rows)
        .mark_bar(color=COUNTRY_COLOURS["China"])
        .encode(
            # Labels in full: several figures differ only in their period, at the label's end.
            y=alt.Y("label:N", title=None, sort="-x"),
            x=alt.X("value:Q", title="Share from China, % of India's imports", scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("label:N", title="Figure"), alt.Tooltip("value:Q", title="Share, %", format=".0f"),
                     alt.Tooltip("publisher:N", title="Reported by")],
        )
        .properties(width=280, height=alt.Step(30))
    )
    return finish(
        chart,
        title=f"China supplies more than half of India's imports in {over_half} of {len(rows)} published figures",
        subtitle="Published shares, % of India's imports of each good; each bar is one cited figure with its own period",
        description="Horizontal bar chart of published shares of China in India's imports of rare earths, magnets, graphite, titanium and lithium products, each labelled with its period.",
        source=source_of(observations),
    )


MINERAL_CHAPTERS = ("25", "26", "28", "71", "74", "75", "76", "81")


def mineral_chapters_over_time(by_chapter: pd.DataFrame) -> alt.Chart:
    """India's imports from the world in the chapters that hold minerals and metals, by year."""
    world = by_chapter[(by_chapter["partner_iso3"] == "WLD") & by_chapter["hs_chapter"].isin(MINERAL_CHAPTERS)]
    rows = world.assign(
        chapter=(world["hs_chapter"] + " " + world["hs_chapter_description"]).map(wrapped),
        imports_usd_bn=world["imports_usd_mn"] / 1000,
    )[["fiscal_year", "chapter", "imports_usd_bn"]]
    years = sorted(rows["fiscal_year"].unique())
    chart = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            y=alt.Y("chapter:N", title=None, sort=sorted(rows["chapter"].unique())),
            yOffset=alt.YOffset("fiscal_year:O", sort=years),
            x=alt.X("imports_usd_bn:Q", title="Imports from the world, US$ billion"),
            color=alt.Color("fiscal_year:O", title="Fiscal year", scale=alt.Scale(scheme="blues"), sort=years),
            tooltip=[alt.Tooltip("chapter:N", title="HS chapter"), alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                     alt.Tooltip("imports_usd_bn:Q", title="Imports, US$ billion", format=",.2f")],
        )
        .properties(width=300, height=alt.Step(9))
    )
    latest = rows[rows["fiscal_year"] == years[-1]].sort_values("imports_usd_bn").iloc[-1]
    first_line = latest["chapter"].split("\n")[0]
    return finish(
        chart,
        title=f"Of India's mineral and metal imports, chapter {first_line.split(' ')[0]} is the largest in {years[-1]}",
        subtitle=[f"US$ billion, fiscal years {years[0]} to {years[-1]} ({years[-1]} provisional);",
                  "chapter 71 includes diamonds and precious metals, 28 rare-earth and lithium compounds."],
        description=f"Grouped bar chart of India's imports from the world in eight mineral and metal HS chapters, fiscal years {years[0]} to {years[-1]}.",
        source=source_of(by_chapter),
    )


# -- UN Comtrade: the basket by HS code, partner and calendar year ---------------------------

SHARE_PARTNERS = {"rus_share": "Russia", "chn_share": "China"}


def comtrade_shares_chart(shares: pd.DataFrame, year: int) -> alt.Chart:
    """Russia's and China's shares of India's imports of each basket mineral in one calendar year.

    ``shares`` is :func:`mineral_report.trade.comtrade_shares` of the minerals' imports.
    """
    imported = shares[(shares["calendar_year"] == year) & shares["world_usd"].notna()]
    order = list(imported.sort_values("world_usd", ascending=False)["mineral"])
    rows = imported.melt(id_vars=["mineral", "world_usd"], value_vars=list(SHARE_PARTNERS),
                         var_name="partner", value_name="share_percent")
    rows = rows.assign(partner=rows["partner"].map(SHARE_PARTNERS), world_usd_mn=rows["world_usd"] / 1e6)[
        ["mineral", "partner", "share_percent", "world_usd_mn"]
    ]
    names = list(SHARE_PARTNERS.values())
    chart = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            y=alt.Y("mineral:N", title=None, sort=order, axis=alt.Axis(labelLimit=150)),
            yOffset=alt.YOffset("partner:N", sort=names),
            x=alt.X("share_percent:Q", title="Share of India's imports of the mineral, %",
                    scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("partner:N", title="Partner", scale=country_scale(names)),
            tooltip=[alt.Tooltip("mineral:N", title="Mineral"), alt.Tooltip("partner:N", title="Partner"),
                     alt.Tooltip("share_percent:Q", title="Share, %", format=".1f"),
                     alt.Tooltip("world_usd_mn:Q", title="India's imports from the world, US$ million", format=",.1f")],
        )
        .properties(width=300, height=alt.Step(9))
    )
    return finish(
        chart,
        title=[f"China supplies more than Russia for {(imported['chn_share'] > imported['rus_share']).sum()} "
               f"of {len(order)} basket minerals, Russia for {(imported['rus_share'] > imported['chn_share']).sum()}",
               f"Shares of India's imports, {year}"],
        subtitle=[f"% of the value India imported from the world, calendar year {year};",
                  "minerals ordered by that value, largest first"],
        description=f"Grouped horizontal bar chart of Russia's and China's shares of India's imports of "
                    f"{len(order)} critical minerals in {year}, in percent of the value imported from the world.",
        source=source_of(shares),
    )


def _from_russia(rows: pd.DataFrame, year: int) -> float:
    """US$ million from Russia in ``year``; 0 when India reported none (Comtrade lists no zeros)."""
    return float(rows.loc[(rows["partner"] == "Russia") & (rows["calendar_year"] == year), "imports_usd_mn"].sum())


def comtrade_basket_chart(basket: pd.DataFrame) -> alt.Chart:
    """India's imports of the whole basket from Russia and China by calendar year."""
    names = [PARTNER_NAMES[p] for p in ("RUS", "CHN")]
    rows = with_partner_names(basket[basket["partner_iso3"].isin(["RUS", "CHN"])])
    rows = rows.assign(imports_usd_mn=rows["imports_usd"] / 1e6)[
        ["calendar_year", "partner", "imports_usd_mn", "imports_t"]
    ]
    first, last = int(rows["calendar_year"].min()), int(rows["calendar_year"].max())
    chart = _line_per_partner(
        rows,
        x=alt.X("calendar_year:O", title="Calendar year"),
        y=alt.Y("imports_usd_mn:Q", title="Imports, US$ million"),
        names=names,
        tooltip=[alt.Tooltip("partner:N", title="Partner"), alt.Tooltip("calendar_year:O", title="Year"),
                 alt.Tooltip("imports_usd_mn:Q", title="Imports, US$ million", format=",.1f"),
                 alt.Tooltip("imports_t:Q", title="Net weight, tonnes", format=",.0f")],
        height=280,
    )
    return finish(
        chart,
        title=[f"India's critical-mineral imports from Russia: US$ {_from_russia(rows, first):,.0f} million",
               f"in {first}, US$ {_from_russia(rows, last):,.0f} million in {last}"],
        subtitle=[f"Imports from Russia and from China, US$ million, calendar years {first} to {last};",
                  "each HS code of the basket counted once"],
        description=f"Line chart of India's imports of the basket's HS codes from Russia and from China "
                    f"by calendar year from {first} to {last}, in US$ million.",
        source=source_of(basket),
    )


def comtrade_minerals_chart(imports: pd.DataFrame) -> alt.Chart:
    """India's imports of each basket mineral from Russia, China and the world, by calendar year."""
    rows = with_partner_names(imports)
    rows = rows.assign(imports_usd_mn=rows["imports_usd"] / 1e6)[
        ["mineral", "partner", "calendar_year", "imports_usd_mn", "imports_t"]
    ]
    years = sorted(rows["calendar_year"].unique())
    order = list(rows[rows["partner"] == "World"].groupby("mineral")["imports_usd_mn"].sum().sort_values(ascending=False).index)
    partners = [PARTNER_NAMES[p] for p in ("RUS", "CHN", "WLD")]
    chart = (
        alt.Chart(rows)
        .mark_rect()
        .encode(
            x=alt.X("calendar_year:O", title="Calendar year", sort=years),
            y=alt.Y("mineral:N", title=None, sort=order, axis=alt.Axis(labelLimit=150)),
            color=alt.Color("imports_usd_mn:Q", title="US$ million", scale=alt.Scale(type="log", scheme="blues")),
            column=alt.Column("partner:N", title=None, sort=partners),
            tooltip=[alt.Tooltip("mineral:N", title="Mineral"), alt.Tooltip("partner:N", title="From"),
                     alt.Tooltip("calendar_year:O", title="Year"),
                     alt.Tooltip("imports_usd_mn:Q", title="Imports, US$ million", format=",.2f"),
                     alt.Tooltip("imports_t:Q", title="Net weight, tonnes", format=",.1f")],
        )
        .properties(width=alt.Step(18), height=alt.Step(16))
    )
    return finish(
        chart,
        title=["India's imports of each basket mineral from Russia, China and the world"],
        subtitle=[f"US$ million by calendar year, {years[0]} to {years[-1]} (logarithmic colour scale);",
                  "a blank cell: no imports reported from that partner"],
        description=f"Three grids, for Russia, China and the world, of India's imports of each basket mineral "
                    f"by calendar year from {years[0]} to {years[-1]}, shaded by value in US$ million.",
        source=source_of(imports),
    )
