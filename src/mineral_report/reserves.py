"""USGS world production and reserves: shares, concentration, revisions between editions."""

from __future__ import annotations

import pandas as pd

from mineral_report.metrics import herfindahl_hirschman, top_n_share

AGGREGATES = ("WLD", "OTH")
FOCUS = {"RUS": "Russia", "CHN": "China", "IND": "India"}
# Where USGS publishes no mine production, the first processing stage it does publish.
SUPPLY_MEASURES = ("mine production", "refinery production", "smelter production")
COMMODITY_NAMES = {
    "rare-earths": "Rare earths (REO)",
    "nickel": "Nickel",
    "cobalt": "Cobalt",
    "lithium": "Lithium",
    "graphite": "Graphite (natural)",
    "platinum": "Platinum",
    "palladium": "Palladium",
    "platinum-group-metals": "Platinum-group metals",
    "bauxite": "Bauxite",
    "alumina": "Alumina",
    "aluminum": "Aluminium",
    "ilmenite": "Titanium: ilmenite",
    "rutile": "Titanium: rutile",
    "titanium-sponge": "Titanium sponge",
    "tungsten": "Tungsten",
    "gallium": "Gallium",
    "germanium": "Germanium",
    "vanadium": "Vanadium",
    "copper": "Copper",
    "antimony": "Antimony",
    "industrial-diamond": "Industrial diamond",
}
# Russia's share of world supply that makes it a real alternative source, and below which it
# is marginal. The thresholds are the report's judgement, stated so a reader can change them.
MAJOR_SHARE = 0.10
MARGINAL_SHARE = 0.02


def supply_measure(usgs: pd.DataFrame, commodity: str) -> str | None:
    measures = set(usgs.loc[usgs["commodity"] == commodity, "measure"])
    return next((m for m in SUPPLY_MEASURES if m in measures), None)


def latest_slice(usgs: pd.DataFrame, commodity: str, measure: str) -> pd.DataFrame:
    """The rows of the newest edition and newest year holding this commodity and measure."""
    rows = usgs[(usgs["commodity"] == commodity) & (usgs["measure"] == measure)]
    if rows.empty:
        return rows
    newest = rows[rows["edition"] == rows["edition"].max()]
    return newest[newest["year"] == newest["year"].max()]


def with_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Adds each country's share of the USGS world total of the same slice.

    USGS rounds its world totals, so the named countries can add up to more than the total
    (gallium in MCS 2026: China alone equals the world figure, and Russia comes on top). There
    the countries' sum is the denominator, so that no share, top-3 share or HHI exceeds its
    maximum; elsewhere the published world total is.
    """
    world = rows.loc[rows["country_iso3"] == "WLD"]
    total = world["value"].iloc[0] if len(world) == 1 else float("nan")
    named = rows.loc[~rows["country_iso3"].isin(AGGREGATES), "value"].sum()
    return rows.assign(share=rows["value"] / max(total, named) if pd.notna(total) else float("nan"))


def marker_of(row: pd.Series) -> str:
    return "" if pd.isna(row["marker"]) else str(row["marker"])


def describe(row: pd.Series) -> str:
    if pd.notna(row["value"]):
        prefix = ">" if marker_of(row) == ">" else ""
        return f"{prefix}{row['value']:,.0f} {row['unit']}"
    return {"W": "withheld (W)", "NA": "not available (NA)", "XX": "not applicable (XX)",
            "—": "zero (—)", "incl. in world": "in world total", "incl. elsewhere": "in another row"}.get(
        marker_of(row), "not listed")


def concentration_row(rows: pd.DataFrame) -> dict[str, object]:
    shared = with_shares(rows)
    countries = shared[~shared["country_iso3"].isin(AGGREGATES)].set_index("country_iso3")
    world = shared[shared["country_iso3"] == "WLD"]
    record: dict[str, object] = {
        "edition": int(shared["edition"].iloc[0]),
        "year": int(shared["year"].iloc[0]),
        "unit": shared["unit"].iloc[0],
        "world": describe(world.iloc[0]) if len(world) else "not listed",
        "world_is_lower_bound": bool(len(world)) and marker_of(world.iloc[0]) == ">",
        "hhi": herfindahl_hirschman(countries["share"]) if countries["share"].notna().any() else None,
        "top3_share": top_n_share(countries["share"]) if countries["share"].notna().any() else None,
    }
    ranked = countries["share"].dropna().rank(ascending=False, method="min")
    for iso3, name in FOCUS.items():
        record[f"{name.lower()}_share"] = countries["share"].get(iso3, float("nan"))
        record[f"{name.lower()}_figure"] = describe(countries.loc[iso3]) if iso3 in countries.index else "not listed"
        record[f"{name.lower()}_rank"] = ranked.get(iso3)
    return record


def russia_role(share: float) -> str:
    if pd.isna(share):
        return "no published figure"
    if share >= MAJOR_SHARE:
        return "major supplier"
    if share >= MARGINAL_SHARE:
        return "minor supplier"
    return "marginal"


def concentration_table(usgs: pd.DataFrame) -> pd.DataFrame:
    """Per commodity: the latest supply and reserves figures, shares of the focus countries, HHI."""
    records = []
    for commodity in COMMODITY_NAMES:
        for kind in ("supply", "reserves"):
            measure = supply_measure(usgs, commodity) if kind == "supply" else "reserves"
            rows = latest_slice(usgs, commodity, measure) if measure else pd.DataFrame()
            if rows.empty:
                continue
            record = concentration_row(rows)
            record.update(commodity=commodity, mineral=COMMODITY_NAMES[commodity], kind=kind, measure=measure)
            records.append(record)
    table = pd.DataFrame(records)
    table["russia_role"] = table["russia_share"].map(russia_role)
    first = ["mineral", "commodity", "kind", "measure", "edition", "year", "unit", "world"]
    return table[first + [c for c in table.columns if c not in first]]


def revisions(usgs_all: pd.DataFrame, commodity: str, measure: str = "reserves") -> pd.DataFrame:
    """One row per edition and country: how the same measure changed between editions.

    Reserves are compared edition to edition (each edition's end-of-year estimate); production
    is compared for the year that two editions share.
    """
    rows = usgs_all[(usgs_all["commodity"] == commodity) & (usgs_all["measure"] == measure)]
    if measure != "reserves":
        rows = rows[rows["year"] == rows.groupby("edition")["year"].transform("min")]
    return rows.assign(figure=rows.apply(describe, axis=1))[
        ["edition", "year", "country", "country_iso3", "value", "unit", "marker", "figure"]
    ].sort_values(["country_iso3", "edition"]).reset_index(drop=True)


OVERVIEW_COLUMNS = {
    "mineral": "Mineral", "measure": "Measure", "year": "Year", "edition": "MCS", "world": "World (USGS)",
    "china_figure": "China", "russia_figure": "Russia", "india_figure": "India",
    "hhi": "HHI", "top3_share": "Top-3 share", "russia_role": "Russia's role",
}


def supply_overview(table: pd.DataFrame) -> pd.DataFrame:
    """The supply rows of the concentration table, formatted for reading (missing shows as —)."""
    view = table[table["kind"] == "supply"][list(OVERVIEW_COLUMNS)].rename(columns=OVERVIEW_COLUMNS)
    view["HHI"] = view["HHI"].map(lambda v: "—" if pd.isna(v) else f"{v:,.0f}")
    view["Top-3 share"] = view["Top-3 share"].map(lambda v: "—" if pd.isna(v) else f"{v:.0%}")
    return view.set_index("Mineral")
