"""USGS world production and reserves: shares, concentration, revisions between editions."""

from __future__ import annotations

import pandas as pd

from mineral_report.editions import Editions
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
    "phosphate-rock": "Phosphate rock",
    "potash": "Potash (K2O)",
    "iron-ore": "Iron ore",
    "chromium": "Chromium (chromite)",
    "manganese": "Manganese",
    "tin": "Tin",
    "gold": "Gold",
}
# Where USGS gives one measure on two bases (iron ore as usable ore and iron content), the
# basis compared: a phrase of USGS's type, used only when a slice holds more than one basis.
PREFERRED_BASIS = {"iron-ore": "iron content", "potash": "k2o", "chromium": "ore"}
# Figures that can be a share of a world total: exact values and lower bounds (">"); an upper
# bound ("<") or a range is no single figure, and is described but not shared.
SHAREABLE_MARKERS = ("", ">")
# Russia's share of world supply that makes it a real alternative source, and below which it
# is marginal. The thresholds are the report's judgement, stated so a reader can change them.
MAJOR_SHARE = 0.10
MARGINAL_SHARE = 0.02


def with_schema_defaults(usgs: pd.DataFrame) -> pd.DataFrame:
    """The USGS frame with the columns older vintages lack, filled in one place.

    Vintages before the common schema have no ``value_high`` (no ranges), ``is_rounded`` (a
    world total labelled "rounded" is one) or ``source_table`` (the edition is the citation).
    """
    frame = usgs.copy()
    if "value_high" not in frame:
        frame["value_high"] = float("nan")
    rounded = (frame["country_iso3"] == "WLD") & frame["country"].str.contains("rounded", case=False, na=False)
    frame["is_rounded"] = (frame["is_rounded"] if "is_rounded" in frame else pd.Series(pd.NA, index=frame.index))
    frame["is_rounded"] = frame["is_rounded"].astype("boolean").fillna(rounded).astype(bool)
    source = "MCS " + frame["edition"].astype(str)
    frame["source_table"] = frame["source_table"].fillna(source) if "source_table" in frame else source
    return frame


def supply_measure(usgs: pd.DataFrame, commodity: str) -> str | None:
    measures = set(usgs.loc[usgs["commodity"] == commodity, "measure"])
    return next((m for m in SUPPLY_MEASURES if m in measures), None)


def latest_slice(usgs: pd.DataFrame, commodity: str, measure: str) -> pd.DataFrame:
    """The rows of the newest edition and newest year holding this commodity and measure."""
    rows = usgs[(usgs["commodity"] == commodity) & (usgs["measure"] == measure)]
    if rows.empty:
        return rows
    newest = rows[rows["edition"] == rows["edition"].max()]
    newest = newest[newest["year"] == newest["year"].max()]
    phrase = PREFERRED_BASIS.get(commodity)
    if phrase and newest["basis"].nunique() > 1:
        newest = newest[newest["basis"].str.lower().str.contains(phrase, regex=False)]
    return newest


def with_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Adds each country's share of the USGS world total of the same slice.

    USGS rounds its world totals, so the named countries can add up to more than the total
    (gallium in MCS 2026: China alone equals the world figure, and Russia comes on top). There
    the countries' sum is the denominator, so that no share, top-3 share or HHI exceeds its
    maximum; elsewhere the published world total is.
    """
    values = rows["value"].where(rows["marker"].fillna("").isin(SHAREABLE_MARKERS))
    world = values[rows["country_iso3"] == "WLD"]
    total = world.iloc[0] if len(world) == 1 else float("nan")
    named = values[~rows["country_iso3"].isin(AGGREGATES)].sum()
    return rows.assign(share=values / max(total, named) if pd.notna(total) else float("nan"))


def marker_of(row: pd.Series) -> str:
    return "" if pd.isna(row["marker"]) else str(row["marker"])


def describe(row: pd.Series) -> str:
    marker = marker_of(row)
    if pd.notna(row["value"]):
        if marker == "range" and pd.notna(row.get("value_high")):
            return f"{row['value']:,.0f}–{row['value_high']:,.0f} {row['unit']}"
        prefix = marker if marker in {">", "<"} else ""
        return f"{prefix}{row['value']:,.0f} {row['unit']}"
    return {"W": "withheld (W)", "NA": "not available (NA)", "XX": "not applicable (XX)",
            "—": "zero (—)", "incl. in world": "in world total", "incl. elsewhere": "in another row",
            "Large": "large (not quantified)", "Small": "small (not quantified)"}.get(marker, "not listed")


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
    # The largest country, so that a chart of Russia, India and China never hides who leads.
    leader = countries["share"].dropna().idxmax() if countries["share"].notna().any() else None
    record["leader_iso3"] = leader
    record["leader"] = countries.at[leader, "country"] if leader else None
    record["leader_share"] = countries.at[leader, "share"] if leader else float("nan")
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
    usgs = with_schema_defaults(usgs)
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
    usgs_all = with_schema_defaults(usgs_all)
    rows = usgs_all[(usgs_all["commodity"] == commodity) & (usgs_all["measure"] == measure)]
    phrase = PREFERRED_BASIS.get(commodity)
    if phrase and rows["basis"].nunique() > 1:
        rows = rows[rows["basis"].str.lower().str.contains(phrase, regex=False)]
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


def edition_figure(usgs: pd.DataFrame, edition: int, commodity: str, measure: str, iso3: str) -> pd.Series | None:
    """One country's figure in one edition, for the newest year that edition gives it."""
    rows = usgs[(usgs["edition"] == edition) & (usgs["commodity"] == commodity) & (usgs["measure"] == measure)
                & (usgs["country_iso3"] == iso3)]
    if rows.empty:
        return None
    return rows.sort_values("year").iloc[-1]


def million_tonnes(row: pd.Series | None) -> str:
    """A tonnage figure in words for the prose: "3.8 million tonnes", "more than 85 million tonnes"."""
    if row is None:
        return "not listed"
    if pd.isna(row["value"]):
        return describe(row)
    bound = {">": "more than ", "<": "less than "}.get(marker_of(row), "")
    return f"{bound}{row['value'] / 1e6:,.1f} million tonnes"


def change_in_words(before: float, after: float) -> str:
    """How a figure moved between two editions: "kept", "cut by more than half", "raised by 21%"."""
    if pd.isna(before) or pd.isna(after) or before == 0:
        return "not comparable"
    ratio = after / before
    if ratio == 1:
        return "kept"
    if ratio < 0.5:
        return "cut by more than half"
    if ratio < 1:
        return f"cut by {1 - ratio:.0%}"
    if ratio > 2:
        return "more than doubled"
    return f"raised by {ratio - 1:.0%}"


def headline_change(before: float, after: float, subject: str) -> str:
    """A finding's opening words: "USGS cut its estimate of <subject> by more than half"."""
    change = change_in_words(before, after)
    if change == "kept":
        return f"USGS kept its estimate of {subject} unchanged"
    if change == "more than doubled":
        return f"USGS more than doubled its estimate of {subject}"
    if change == "not comparable":
        return f"USGS's estimates of {subject} cannot be compared across editions"
    verb, _, amount = change.partition(" ")
    return f"USGS {verb} its estimate of {subject} {amount}"


def later_editions_in_words(previous: tuple[int, pd.Series | None], current: tuple[int, pd.Series | None]) -> str:
    """What the previous and the current edition say, and whether the current keeps or revises it."""
    (prev_edition, prev_row), (cur_edition, cur_row) = previous, current
    said = f"in MCS {prev_edition} at {million_tonnes(prev_row)}"
    if prev_row is not None and cur_row is not None and (
        prev_row["value"] == cur_row["value"] or (pd.isna(prev_row["value"]) and pd.isna(cur_row["value"])
                                                  and marker_of(prev_row) == marker_of(cur_row))
    ):
        return f"{said}, a figure MCS {cur_edition} keeps"
    return f"{said}, which MCS {cur_edition} revises to {million_tonnes(cur_row)}"


def share_in_words(share: float, of_lower_bound: bool) -> str:
    """A share of a world total; of a total given only as a lower bound, the share is an upper bound."""
    if pd.isna(share):
        return "an unknown share"
    return f"at most {share:.1%}" if of_lower_bound else f"{share:.1%}"


def prose_name(commodity: str) -> str:
    """A commodity's name inside a sentence: "rare earths (REO)", "titanium: rutile"."""
    name = COMMODITY_NAMES[commodity]
    return name[0].lower() + name[1:]


def _names(commodities: list[str]) -> str:
    names = [prose_name(c) for c in commodities]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def edition_coverage(usgs: pd.DataFrame) -> str:
    """How many of the report's minerals each pinned edition carries: "MCS 2024: 21 minerals; …"."""
    counts = usgs[usgs["commodity"].isin(COMMODITY_NAMES)].groupby("edition")["commodity"].nunique()
    return "; ".join(f"MCS {edition}, {n} of {len(COMMODITY_NAMES)} minerals" for edition, n in counts.items())


def coverage_gaps(usgs: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Plain sentences on what each pinned edition lacks, computed from the data.

    Which minerals an edition carries no figures for; which figures the current edition lacks
    (the chapter then uses the latest edition that has them); which figures USGS withholds or
    does not give by country in the edition used.
    """
    editions = Editions.of(usgs)
    current = editions.current
    sentences = []
    for edition in editions.all:
        carried = set(usgs.loc[usgs["edition"] == edition, "commodity"])
        missing = [c for c in COMMODITY_NAMES if c not in carried]
        if not missing:
            continue
        present = [c for c in COMMODITY_NAMES if c in carried]
        if len(present) < len(missing):
            sentences.append(f"MCS {edition} is on file for {_names(present)} only.")
        else:
            sentences.append(f"MCS {edition} carries no figures for {_names(missing)}.")
    older = table[table["edition"] < current]
    for edition, rows in older.groupby("edition"):
        labels = [f"{prose_name(c)} {m}" for c, m in zip(rows["commodity"], rows["measure"])]
        listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        sentences.append(f"The current edition, MCS {current}, lacks {listed}; for these the chapter uses MCS {edition}.")
    for record in table.itertuples():
        if record.hhi is None or pd.isna(record.hhi):
            sentences.append(
                f"MCS {record.edition} gives no {record.measure} of {prose_name(record.commodity)}"
                " by country."
            )
    for record in table.itertuples():
        used = usgs[(usgs["edition"] == record.edition) & (usgs["commodity"] == record.commodity)
                    & (usgs["measure"] == record.measure) & (usgs["year"] == record.year) & (usgs["marker"] == "W")]
        for country in used["country"]:
            sentences.append(
                f"USGS withholds the {record.measure} of {prose_name(record.commodity)} in"
                f" {country} (MCS {record.edition}, {record.year})."
            )
    return sentences


def rare_earth_findings(usgs: pd.DataFrame, table: pd.DataFrame) -> dict[str, object]:
    """The rare-earth figures and sentences the chapter and the landing page glue, by name.

    Every edition is the pinned series' own: first on file, previous and current. Numbers
    are in million tonnes of rare-earth-oxide equivalent; ``*_text`` values are sentences
    or phrases that depend on what the editions say.
    """
    editions = Editions.of(usgs)
    first, current = editions.first, editions.current
    previous = editions.previous or current
    reserves = table[table["kind"] == "reserves"].set_index("commodity").loc["rare-earths"]

    def figure(edition: int, iso3: str) -> pd.Series | None:
        return edition_figure(usgs, edition, "rare-earths", "reserves", iso3)

    def mt(edition: int, iso3: str) -> float:
        row = figure(edition, iso3)
        return float("nan") if row is None else row["value"] / 1e6

    rus_first, rus_current = mt(first, "RUS"), mt(current, "RUS")
    return {
        "edition_first": first,
        "edition_previous": previous,
        "edition_current": current,
        "ree_rus_res_first_mt": rus_first,
        "ree_rus_res_previous_mt": mt(previous, "RUS"),
        "ree_rus_res_current_mt": rus_current,
        "ree_chn_res_current_mt": mt(current, "CHN"),
        "ree_ind_res_first_mt": mt(first, "IND"),
        "ree_ind_res_current_text": million_tonnes(figure(current, "IND")),
        "ree_world_res_current_text": million_tonnes(figure(current, "WLD")),
        "ree_rus_res_change_text": change_in_words(rus_first, rus_current),
        "ree_rus_res_headline_text": headline_change(rus_first, rus_current, "Russia's rare-earth reserves"),
        "ree_rus_res_later_text": later_editions_in_words((previous, figure(previous, "RUS")),
                                                          (current, figure(current, "RUS"))),
        "ree_rus_res_share": reserves["russia_share"] * 100,
        "ree_rus_res_share_text": share_in_words(reserves["russia_share"], bool(reserves["world_is_lower_bound"])),
        "ree_world_res_bound_text": (
            " (USGS gives the world total only as a lower bound, so every share of it is an upper bound)"
            if reserves["world_is_lower_bound"] else ""
        ),
    }


def _published_number(text: object) -> tuple[float, bool]:
    """A figure as a revision note prints it ("21,000,000", ">85,000,000"): value and lower-bound flag."""
    cleaned = str(text).strip()
    return float(cleaned.lstrip(">").replace(",", "")), cleaned.startswith(">")


def publisher_revision_text(
    revisions_data: pd.DataFrame, usgs: pd.DataFrame, commodity: str, iso3: str = "RUS"
) -> str:
    """What USGS's own revisions of the current edition changed in a commodity's reserves, and
    what they did to one country's share of the world total; empty when nothing moved."""
    current = Editions.of(usgs).current
    moved = revisions_data[(revisions_data["edition"] == current) & (revisions_data["commodity"] == commodity)
                           & (revisions_data["measure"] == "reserves") & revisions_data["after"].notna()]
    if moved.empty:
        return ""
    country = edition_figure(usgs, current, commodity, "reserves", iso3)
    changes = "; ".join(
        f"{'the world total' if row.country_iso3 == 'WLD' else row.country} from {row.before} {row.unit} "
        f"to {row.after} {row.unit}" for row in moved.itertuples()
    )
    last = moved.sort_values("date").iloc[-1]
    sentence = (f"USGS revised MCS {current} after publication (version {last['version']} of "
                f"{last['date']:%-d %B %Y}): {changes}.")
    world = moved[moved["country_iso3"] == "WLD"]
    if country is None or world.empty or pd.isna(country["value"]):
        return sentence
    before, before_bound = _published_number(world.iloc[0]["before"])
    after, after_bound = _published_number(world.iloc[0]["after"])
    # The same denominator as every share in the book (see with_shares): the world total, or the
    # named countries' sum where USGS's rounded total is smaller.
    slice_now = latest_slice(usgs[usgs["edition"] == current], commodity, "reserves")
    named_now = slice_now.loc[~slice_now["country_iso3"].isin(AGGREGATES), "value"].sum()
    countries_moved = moved[moved["country_iso3"] != "WLD"]
    named_before = named_now + sum(_published_number(b)[0] - _published_number(a)[0]
                                   for b, a in zip(countries_moved["before"], countries_moved["after"]))
    name = country["country"]
    return (f"{sentence} On the figures first published {name} held "
            f"{share_in_words(country['value'] / max(before, named_before), before_bound)} of world reserves; "
            f"on the revised ones {share_in_words(country['value'] / max(after, named_now), after_bound)}.")
