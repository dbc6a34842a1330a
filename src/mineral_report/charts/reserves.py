"""Charts of USGS production and reserves: shares, revisions, ranges across sources, maps."""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd

from mineral_report.charts.layout import finish, source_of, wrapped
from mineral_report.charts.maps import BOUNDARY_NOTE, choropleth
from mineral_report.charts.theme import COUNTRY_COLOURS
from mineral_report.reserves import FOCUS, describe, latest_slice, revisions, with_shares

LEADER = "Largest other country"
# Labels of two lines at most, so that the chart of every mineral fits on one printed page.
SHARE_LABEL_WIDTH = 46
KIND_TITLES = {"supply": "world production", "reserves": "world reserves"}
MT_PER_UNIT = {"t": 1e-6, "kt": 1e-3, "Mt": 1.0}


def focus_share_chart(table: pd.DataFrame, kind: str, usgs: pd.DataFrame) -> alt.Chart:
    """Russia's, China's and India's share of world supply (or reserves), mineral by mineral.

    Each mineral is labelled with the measure and year its figures are for. Where USGS gives
    the world total only as a lower bound ("more than"), a share is at most the figure shown:
    such bars are drawn pale and their tooltip says "at most".
    """
    rows = table[table["kind"] == kind].assign(
        label=lambda d: (d["mineral"] + " (" + d["measure"] + ", " + d["year"].astype(str) + "; largest: "
                         + d["leader"].fillna("not known") + ")").map(lambda text: wrapped(text, SHARE_LABEL_WIDTH))
    )
    other_leader = rows.assign(other_share=rows["leader_share"].where(~rows["leader_iso3"].isin(FOCUS)))
    long = other_leader.melt(
        id_vars=["label", "measure", "edition", "year", "world_is_lower_bound"],
        value_vars=[*(f"{n.lower()}_share" for n in FOCUS.values()), "other_share"],
        var_name="country", value_name="share",
    ).dropna(subset=["share"])
    long["country"] = long["country"].str.removesuffix("_share").str.title().replace({"Other": LEADER})
    long["percent"] = long["share"] * 100
    long["bound"] = long["world_is_lower_bound"].map({True: "at most (world total is a lower bound)", False: "as published"})
    long["share_text"] = long["world_is_lower_bound"].map({True: "≤ ", False: ""}) + long["percent"].map("{:.1f}%".format)
    order = rows.sort_values("russia_share", ascending=False)["label"].tolist()
    names = [*FOCUS.values(), LEADER]
    leaders = rows[[f"{n.lower()}_share" for n in FOCUS.values()]].fillna(-1).idxmax(axis=1).str.removesuffix("_share").str.title()
    china_leads = int((leaders == "China").sum())
    chart = (
        alt.Chart(long[["label", "country", "percent", "share_text", "bound", "edition"]])
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=order),
            yOffset=alt.YOffset("country:N", sort=names),
            x=alt.X("percent:Q", title=f"Share of {KIND_TITLES[kind]}, %", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("country:N", title="Country",
                            scale=alt.Scale(domain=names, range=[*(COUNTRY_COLOURS[n] for n in FOCUS.values()),
                                                                 COUNTRY_COLOURS["Rest of world"]])),
            opacity=alt.Opacity("bound:N", title="Share",
                                scale=alt.Scale(domain=["as published", "at most (world total is a lower bound)"], range=[1, 0.4])),
            tooltip=[alt.Tooltip("label:N", title="Mineral"), alt.Tooltip("country:N", title="Country"),
                     alt.Tooltip("share_text:N", title="Share of world"),
                     alt.Tooltip("edition:O", title="USGS edition (MCS)")],
        )
        .properties(width=420, height=alt.Step(6))
    )
    return finish(
        chart,
        title=f"China has the largest share of {KIND_TITLES[kind]} of the three in {china_leads} of {len(rows)} minerals",
        subtitle=["% of the USGS world total, latest edition holding each mineral; sorted by Russia's share.",
                  "Grey: the largest country where it is none of the three (named in each label).",
                  "Pale bars are upper bounds (USGS gives the world total as 'more than').",
                  "A missing bar means USGS publishes no figure (withheld, not available or not listed)."],
        description=(
            f"Grouped horizontal bar chart of the shares of Russia, China, India and the largest other country in {KIND_TITLES[kind]} "
            f"for {len(rows)} minerals, each labelled with its measure and year, sorted by Russia's share."
        ),
        source=source_of(usgs),
    )


def revision_chart(usgs_all: pd.DataFrame, commodity: str, label: str, countries: list[str]) -> alt.Chart:
    """How USGS's reserve estimate for each country changed between editions."""
    rows = revisions(usgs_all, commodity)
    rows = rows[rows["country_iso3"].isin(countries)].assign(
        edition_label="MCS " + rows["edition"].astype(str), million_t=rows["value"] / 1e6
    )
    chart = (
        alt.Chart(rows[["edition_label", "country", "million_t", "figure"]])
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True))
        .encode(
            x=alt.X("edition_label:O", title="USGS edition"),
            y=alt.Y("million_t:Q", title="Reserves, million t"),
            color=alt.Color("country:N", title="Country", scale=alt.Scale(scheme="tableau10"),
                            sort=countries),
            tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("edition_label:O", title="Edition"),
                     alt.Tooltip("figure:N", title="USGS figure")],
        )
        .properties(width=420, height=300)
    )
    return finish(
        chart,
        title=f"{label}: how USGS revised its reserve estimates",
        subtitle=["Reserves by country as published in each edition, million tonnes;",
                  "a missing point means that edition gives no figure (e.g. 'NA')."],
        description=f"Line chart of {label.lower()} reserves by country in successive USGS editions.",
        source=source_of(usgs_all),
    )


def reserve_range_chart(usgs_all: pd.DataFrame, claims: pd.DataFrame, commodity: str, iso3: str,
                        country: str, claim_filter: str) -> alt.Chart:
    """Every country-wide figure for one country's reserves: USGS editions beside national statements.

    Figures for single deposits or yearly additions are left out: they answer another question.
    """
    usgs = revisions(usgs_all, commodity)
    usgs = usgs[(usgs["country_iso3"] == iso3) & usgs["value"].notna()]
    usgs_rows = pd.DataFrame({
        "source": "USGS MCS " + usgs["edition"].astype(str),
        "kind": "USGS reserves",
        "million_t": usgs["value"] / 1e6,
        "what": "reserves, rare-earth-oxide equivalent",
    })
    national = claims[(claims["country_iso3"] == iso3) & claims["mineral"].str.contains(claim_filter)
                      & claims["scope"].str.startswith("national")]
    national_rows = pd.DataFrame({
        "source": national["claimant"].str.split(r" \(|,", regex=True).str[0] + " ("
        + national["claim_date"].fillna("undated") + "; " + national["scope"] + ")",
        "kind": "National statement",
        "million_t": national["value"] / 1e6,
        "what": national["measure_description"],
    })
    rows = pd.concat([usgs_rows, national_rows], ignore_index=True)
    rows["source"] = rows["source"].map(wrapped)
    chart = (
        alt.Chart(rows)
        .mark_point(filled=True, size=110)
        .encode(
            y=alt.Y("source:N", title=None, sort=None),
            x=alt.X("million_t:Q", title="Million tonnes"),
            color=alt.Color("kind:N", title="Source", scale=alt.Scale(domain=["USGS reserves", "National statement"],
                                                                        range=["#0072B2", "#E69F00"])),
            shape=alt.Shape("kind:N", title="Source", scale=alt.Scale(domain=["USGS reserves", "National statement"])),
            tooltip=[alt.Tooltip("source:N", title="Source"), alt.Tooltip("million_t:Q", title="Million t", format=",.2f"),
                     alt.Tooltip("what:N", title="What it counts")],
        )
        .properties(width=420, height=alt.Step(34))
    )
    return finish(
        chart,
        title=f"{country}'s rare-earth reserves: one question, many answers",
        subtitle=["Million tonnes. USGS reserves beside figures stated by national officials;",
                  "national figures use national classifications and are not directly comparable."],
        description=f"Dot plot of every published figure for {country}'s rare-earth reserves or resources, USGS and national.",
        source=source_of(usgs_all, claims),
    )


def world_map(world: gpd.GeoDataFrame, usgs: pd.DataFrame, commodity: str, measure: str, label: str) -> alt.LayerChart:
    """Choropleth of one USGS figure by country, in Mt; withheld and unavailable stay grey."""
    rows = with_shares(latest_slice(usgs, commodity, measure))
    countries = rows[~rows["country_iso3"].isin(["WLD", "OTH"])]
    unit = countries["unit"].iloc[0]
    to_mt = MT_PER_UNIT[unit]
    shown = countries.assign(
        iso3=countries["country_iso3"],
        mt=countries["value"] * to_mt,
        figure=countries.apply(describe, axis=1),
        share_text=(countries["share"] * 100).map(lambda s: f"{s:.1f}%" if pd.notna(s) else "—"),
    )[["iso3", "country", "mt", "figure", "share_text"]].dropna(subset=["mt"])
    edition, year = int(rows["edition"].iloc[0]), int(rows["year"].iloc[0])
    top = shown.sort_values("mt").iloc[-1]
    chart = choropleth(world, shown.drop(columns="country"), value_field="mt", value_title=f"{label}, Mt",
                       tooltip_fields=[("figure", "USGS figure"), ("share_text", "Share of world")])
    return finish(
        chart,
        title=f"{top['country']} has the largest {label[0].lower() + label[1:]}, {year}",
        subtitle=[f"Million tonnes (Mt), USGS Mineral Commodity Summaries {edition};",
                  "grey: no figure published (withheld, not available or not listed).", BOUNDARY_NOTE],
        description=f"World map shading each country by {label.lower()} in {year} from USGS MCS {edition}, in million tonnes; countries without a figure are grey.",
        source=source_of(usgs),
    )


def mining_vs_refining_chart(shares: pd.DataFrame, *sources: pd.DataFrame) -> alt.LayerChart:
    """China's share of mining and of refining for each mineral, joined by a line."""
    rows = shares.assign(label=shares["bound"] + shares["share_percent"].round(0).astype(int).astype(str) + "%")
    base = alt.Chart(rows).encode(
        y=alt.Y("mineral:N", title=None),
        x=alt.X("share_percent:Q", title="China's share, %", scale=alt.Scale(domain=[0, 100])),
    )
    line = base.mark_line(color="#B8B8B8", strokeWidth=2).encode(detail="mineral:N")
    points = base.mark_point(filled=True, size=120).encode(
        color=alt.Color("stage:N", title="Stage", scale=alt.Scale(domain=["mining", "refining"], range=["#E69F00", "#D55E00"])),
        shape=alt.Shape("stage:N", title="Stage", scale=alt.Scale(domain=["mining", "refining"])),
        tooltip=[alt.Tooltip("mineral:N", title="Mineral"), alt.Tooltip("stage:N", title="Stage"),
                 alt.Tooltip("label:N", title="China's share"), alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("source:N", title="Source")],
    )
    chart = alt.layer(line, points).properties(width=420, height=alt.Step(34))
    return finish(
        chart,
        title="China mines much, and refines more",
        subtitle=["China's share of world mine production (USGS) and of refining (IEA), %;",
                  "two sources, two measures: shown side by side, never combined."],
        description="Dot plot comparing China's share of world mining (USGS) with its share of refining (IEA) for rare earths, graphite, lithium and cobalt.",
        source=source_of(*sources),
    )
