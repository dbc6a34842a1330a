"""One profile per mineral, every profile built by the same template from every dataset.

Which rows of each dataset concern a mineral is a judgement (the datasets name minerals in
their own words), so it lives in data: the mineral vocabulary lists, for each profile, the USGS
commodities, the HS-concordance and trade-observation names, the refining-share names, the
registry's commodity words and a pattern for free text. This module only applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import pycountry

from mineral_report.data.load import load, load_series, manifest
from mineral_report.reserves import (
    AGGREGATES,
    COMMODITY_NAMES,
    FOCUS,
    describe,
    marker_of,
    supply_measure,
    with_shares,
)
from mineral_report.sources import grade_by_url, graded
from mineral_report.watch import build_date, status_text

VOCABULARY = "mineral-profiles"
LEADERS_SHOWN = 5
PROFILE_PAGE = "07-mineral-profiles"
EDITION_LABEL = "MCS {edition}"


@dataclass(frozen=True)
class Mineral:
    """How one mineral is named in each dataset."""

    profile_id: str
    name: str
    usgs: tuple[str, ...]
    concordance: tuple[str, ...]
    trade: tuple[str, ...]
    processing: tuple[str, ...]
    registry: tuple[str, ...]
    pattern: re.Pattern[str]
    coverage_note: str

    @property
    def anchor(self) -> str:
        return f"profile-{self.profile_id}"


def _terms(cell: object) -> tuple[str, ...]:
    return tuple(t.strip() for t in str(cell).split("; ") if t.strip()) if isinstance(cell, str) else ()


def minerals() -> list[Mineral]:
    """The profiles, in the vocabulary's order."""
    return [
        Mineral(
            profile_id=row.profile_id, name=row.name, usgs=_terms(row.usgs_commodities),
            concordance=_terms(row.concordance_minerals), trade=_terms(row.trade_minerals),
            processing=_terms(row.processing_minerals), registry=_terms(row.registry_terms),
            pattern=re.compile(row.text_pattern, re.IGNORECASE),
            coverage_note=row.coverage_note if isinstance(row.coverage_note, str) else "",
        )
        for row in load(VOCABULARY).itertuples()
    ]


def mineral(profile_id: str) -> Mineral:
    found = {m.profile_id: m for m in minerals()}
    if profile_id not in found:
        raise KeyError(f"no mineral profile {profile_id!r}; the vocabulary has: {', '.join(found)}")
    return found[profile_id]


# Names a reader knows, where ISO 3166's formal names differ (the report's focus countries first).
SHORT_NAMES = {
    "WLD": "World", "OTH": "Other countries", "RUS": "Russia", "KOR": "South Korea", "PRK": "North Korea",
    "VNM": "Vietnam", "COD": "DR Congo", "COG": "Republic of the Congo", "IRN": "Iran", "LAO": "Laos",
    "BOL": "Bolivia", "TZA": "Tanzania", "VEN": "Venezuela", "SYR": "Syria", "MDA": "Moldova",
    "TUR": "Türkiye", "GBR": "United Kingdom", "USA": "United States",
}


def country_name(iso3: str) -> str:
    if iso3 in SHORT_NAMES:
        return SHORT_NAMES[iso3]
    found = pycountry.countries.get(alpha_3=iso3)
    if found is None:
        return iso3
    return getattr(found, "common_name", None) or found.name


def share_text(share: float, country_marker: str, world_marker: str) -> str:
    """A share as a reader may quote it: bounds stay bounds, a missing share is a dash."""
    if pd.isna(share):
        return "—"
    if country_marker == ">" and world_marker == ">":
        return "—"  # a lower bound over a lower bound bounds nothing
    if country_marker == ">":
        return f"at least {share:.0%}" if share >= 0.01 else f"at least {share:.1%}"
    if world_marker == ">":
        return f"at most {share:.0%}" if share >= 0.01 else f"at most {share:.1%}"
    return f"{share:.0%}" if share >= 0.01 else f"{share:.1%}"


def current_slice(usgs: pd.DataFrame, commodity: str, measure: str) -> pd.DataFrame:
    """The current edition's newest year of one commodity and measure, with shares."""
    current = usgs[usgs["edition"] == usgs["edition"].max()]
    rows = current[(current["commodity"] == commodity) & (current["measure"] == measure)]
    if rows.empty:
        return rows
    return with_shares(rows[rows["year"] == rows["year"].max()])


def leaders(rows: pd.DataFrame, shown: int = LEADERS_SHOWN) -> pd.DataFrame:
    """The largest countries of a slice, then Russia, India and China where not among them."""
    world = rows[rows["country_iso3"] == "WLD"]
    world_marker = marker_of(world.iloc[0]) if len(world) else ""
    countries = rows[~rows["country_iso3"].isin(AGGREGATES)].sort_values("value", ascending=False)
    top = countries.dropna(subset=["value"]).head(shown)
    focus = countries[countries["country_iso3"].isin(FOCUS) & ~countries["country_iso3"].isin(top["country_iso3"])]
    chosen = pd.concat([top, focus])
    return pd.DataFrame({
        "country_iso3": chosen["country_iso3"],
        "country": chosen["country_iso3"].map(country_name),
        "figure": chosen.apply(describe, axis=1),
        "share": chosen["share"],
        "share_text": [share_text(s, marker_of(r), world_marker) for s, (_, r) in zip(chosen["share"], chosen.iterrows())],
        "is_focus": chosen["country_iso3"].isin(FOCUS),
        "is_leader": chosen["country_iso3"].isin(top["country_iso3"]),
    }).reset_index(drop=True)


def commodity_label(commodity: str) -> str:
    return COMMODITY_NAMES.get(commodity, commodity.replace("-", " ").capitalize())


def _stage_label(commodity: str, measure: str, year: int, edition: int) -> str:
    return f"{commodity_label(commodity)}: {measure}, {year} ({EDITION_LABEL.format(edition=edition)})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def figure_with_share(figure: str, share: str) -> str:
    return figure if share == "—" else f"{figure} ({share})"


def world_position(item: Mineral, usgs: pd.DataFrame) -> pd.DataFrame:
    """Per USGS commodity and stage of the mineral: the leaders, and Russia, India and China."""
    records = []
    for commodity in item.usgs:
        supply = supply_measure(usgs[usgs["edition"] == usgs["edition"].max()], commodity)
        for measure in [m for m in (supply, "reserves") if m]:
            rows = current_slice(usgs, commodity, measure)
            if rows.empty:
                continue
            ranked = leaders(rows)
            top = ranked[ranked["is_leader"]]
            record = {
                "stage": _stage_label(commodity, measure, int(rows["year"].iloc[0]), int(rows["edition"].iloc[0])),
                "leaders": "; ".join(f"{r.country} {r.share_text}" for r in top.itertuples()),
            }
            by_iso = ranked.set_index("country_iso3")
            for iso3, name in FOCUS.items():
                record[name] = (
                    figure_with_share(by_iso.at[iso3, "figure"], by_iso.at[iso3, "share_text"])
                    if iso3 in by_iso.index else "not listed"
                )
            records.append(record)
    return pd.DataFrame(records, columns=["stage", "leaders", *FOCUS.values()])


def reserve_revisions(item: Mineral, series: pd.DataFrame) -> pd.DataFrame:
    """Reserves of Russia, India, China and the world in every pinned edition."""
    rows = series[series["commodity"].isin(item.usgs) & (series["measure"] == "reserves")
                  & series["country_iso3"].isin([*FOCUS, "WLD"])]
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(
        figure=rows.apply(describe, axis=1),
        edition_label=rows["edition"].map(lambda e: EDITION_LABEL.format(edition=e)),
        country=rows["country_iso3"].map(country_name),
        commodity=rows["commodity"].map(commodity_label),
    )
    table = rows.pivot_table(index=["commodity", "country"], columns="edition_label", values="figure", aggfunc="first")
    order = sorted(table.columns, key=lambda label: int(label.split()[-1]))
    return table[order].fillna("not listed").reset_index()


def _partner(iso3: object) -> str:
    return country_name(str(iso3)) if isinstance(iso3, str) else "—"


def india_trade(item: Mineral, observations: pd.DataFrame, grades: pd.Series) -> pd.DataFrame:
    """Published figures on India's trade in the mineral, with the kind of source of each."""
    rows = observations[observations["mineral"].isin(item.trade)].sort_values(["period", "observation_id"])
    return pd.DataFrame({
        "period": rows["period"],
        "what": rows["subject"],
        "partner": rows["partner_iso3"].map(_partner),
        "figure": [f"{v:,.0f} {u}" if pd.notna(v) else "—" for v, u in zip(rows["value"], rows["unit"])],
        "source": rows["publisher"],
        "grade": rows["url"].map(grades).astype(object).where(rows["url"].isin(grades.index), "—"),
    }).reset_index(drop=True)


def refining_shares(item: Mineral, processing: pd.DataFrame) -> pd.DataFrame:
    rows = processing[processing["mineral"].isin(item.processing)]
    bound = rows["share_bound"].fillna("") if "share_bound" in rows else ""
    return pd.DataFrame({
        "stage": rows["stage"], "who": rows["region"],
        "share": [f"{b} {s:.0f}%".strip() for b, s in zip(bound, rows["share_percent"])],
        "period": rows["period"].astype(str), "source": rows["publisher"],
    }).reset_index(drop=True)


def organisations_of(item: Mineral, organisations: pd.DataFrame) -> pd.DataFrame:
    wanted = set(item.registry)
    involved = organisations["commodities"].map(lambda c: bool(wanted & set(_terms(c))))
    rows = organisations[involved]
    return pd.DataFrame({
        "organisation": rows["name"], "country": rows["country_iso3"].map(country_name),
        "minerals": rows["commodities"].fillna("—"),
    }).reset_index(drop=True)


def events_of(item: Mineral, events: pd.DataFrame) -> pd.DataFrame:
    rows = events[events["summary"].str.contains(item.pattern, na=False)].sort_values("date")
    return pd.DataFrame({
        "date": rows["date"].dt.strftime("%d %b %Y"), "what happened": rows["summary"],
        "status": rows["outcome_status"].fillna("—"),
    }).reset_index(drop=True)


def claims_of(item: Mineral, claims: pd.DataFrame) -> pd.DataFrame:
    rows = claims[claims["claim_text"].str.contains(item.pattern, na=False)]
    return pd.DataFrame({
        "claim": rows["claim_text"], "who": rows["claimant"], "verdict": rows["verdict"],
    }).reset_index(drop=True)


def _position_words(ranked: pd.DataFrame, iso3: str) -> str:
    if iso3 not in ranked.index:
        return "not listed"
    share = ranked.at[iso3, "share_text"]
    return ranked.at[iso3, "figure"] if share == "—" else share


def watch_of(item: Mineral, items: pd.DataFrame, today: date) -> pd.DataFrame:
    """Open items whose topic or pending decision names the mineral, as the page states them today."""
    text = items["topic"].fillna("") + " " + items["decision_pending"].fillna("")
    rows = items[text.str.contains(item.pattern, na=False)]
    return pd.DataFrame({
        "item": rows["topic"], "decision pending": rows["decision_pending"],
        "status": [status_text(row, today) for _, row in rows.iterrows()],
    }).reset_index(drop=True)


def lead_sentence(item: Mineral, usgs: pd.DataFrame) -> str:
    """The profile's first sentence: who leads the first stage USGS publishes, and Russia's place."""
    if not item.usgs:
        return item.coverage_note
    for commodity in item.usgs:
        current = usgs[usgs["edition"] == usgs["edition"].max()]
        measure = supply_measure(current, commodity)
        rows = current_slice(usgs, commodity, measure) if measure else pd.DataFrame()
        if rows.empty:
            continue
        ranked = leaders(rows).set_index("country_iso3")
        top = ranked[ranked["is_leader"]].iloc[0]
        year, edition = int(rows["year"].iloc[0]), int(rows["edition"].iloc[0])
        focus = ", ".join(
            f"{name} {_position_words(ranked, iso3)}" for iso3, name in FOCUS.items()
        )
        sentence = (
            f"In {year} {top['country']} led world {_lower_first(commodity_label(commodity))} {measure} with "
            f"{top['share_text']} of the USGS world total ({EDITION_LABEL.format(edition=edition)}); {focus}."
        )
        return f"{sentence} {item.coverage_note}".strip()
    return f"The current USGS edition publishes no world production figures for {item.name.lower()}. {item.coverage_note}".strip()


@dataclass(frozen=True)
class ProfileData:
    """Everything one profile shows, each part a table ready for the page."""

    mineral: Mineral
    lead: str
    position: pd.DataFrame
    revisions: pd.DataFrame
    trade: pd.DataFrame
    refining: pd.DataFrame
    organisations: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    watch: pd.DataFrame


def build(profile_id: str) -> ProfileData:
    item = mineral(profile_id)
    series = load_series("usgs-mcs-world")
    grades = grade_by_url(graded(manifest()))
    return ProfileData(
        mineral=item,
        lead=lead_sentence(item, series),
        position=world_position(item, series),
        revisions=reserve_revisions(item, series),
        trade=india_trade(item, load("india-mineral-trade-observations"), grades),
        refining=refining_shares(item, load("processing-shares")),
        organisations=organisations_of(item, load("organisations")),
        events=events_of(item, load("india-russia-events")),
        claims=claims_of(item, load("claims-ledger")),
        watch=watch_of(item, load("watch-items"), build_date()),
    )


_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*")


def _normalised(text: str) -> str:
    """A name without what its parentheses add (nested ones too), in lower case, on one line."""
    text = " ".join(text.split())
    while _PARENTHESES.search(text):
        text = _PARENTHESES.sub(" ", text)
    return text.strip().lower()


def profile_names() -> dict[str, str]:
    """Every way the datasets name a profiled mineral (normalised), mapped to its profile."""
    names: dict[str, str] = {}
    for item in minerals():
        for name in (item.name, item.profile_id, *item.concordance, *item.trade, *item.processing):
            names.setdefault(_normalised(name), item.profile_id)
        for commodity in item.usgs:
            names.setdefault(_normalised(commodity_label(commodity)), item.profile_id)
            names.setdefault(_normalised(commodity.replace("-", " ")), item.profile_id)
    return names


def profile_of(text: str, names: dict[str, str] | None = None) -> str | None:
    """The profile a mineral named in a table belongs to, in any dataset's wording, if any."""
    lookup = profile_names() if names is None else names
    return lookup.get(_normalised(text)) if isinstance(text, str) else None


def profile_link(profile_id: str) -> str:
    """The address of a profile, relative to a chapter page."""
    return f"{PROFILE_PAGE}.html#profile-{profile_id}"


def _data_texts(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _data_texts(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _data_texts(value)


def _name_pattern(name: str) -> re.Pattern[str]:
    """A name as words of running text: hyphens or spaces between words, a plural's s optional."""
    words = [re.escape(word) for word in re.split(r"[-\s]+", name.strip())]
    if words[-1].endswith("s"):
        words[-1] = words[-1][:-1] + "s?"
    return re.compile(r"\b" + r"[-\s]+".join(words) + r"\b", re.IGNORECASE)


def _title_texts(spec: Mapping[str, Any]) -> list[str]:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return [" ".join(text)] if isinstance(text, list) else [str(text)]


def profiles_named_in(spec: Mapping[str, Any]) -> list[dict[str, str]]:
    """The profile of each mineral a chart shows, in the vocabulary's order, as the book links
    them under the chart: name, the profile chapter's document and the profile's anchor.

    A mineral is shown when a value of the chart's data names it whole ("Nickel", "Rare earths
    (REO) (mine production, 2025)"), or its title names it ("China has the largest rare-earth
    reserves"); a word inside a longer label does not count ("copper wire").
    """
    names = profile_names()
    named = {names[key] for key in map(_normalised, _data_texts(spec.get("datasets", {}))) if key in names}
    titles = " ".join(_title_texts(spec))
    named |= {profile for name, profile in names.items() if _name_pattern(name).search(titles)}
    return [{"name": item.name, "document": f"chapters/{PROFILE_PAGE}", "anchor": f"profile-{item.profile_id}"}
            for item in minerals() if item.profile_id in named]


# What each part of a profile is called on the page, and what a reader sees when it is empty.
SECTIONS = (
    ("position", "Production and reserves: the leaders, and Russia, India and China",
     "The current USGS edition publishes no world figures for it."),
    ("revisions", "Reserves in each USGS edition",
     "No USGS reserve figures for Russia, India, China or the world."),
    ("trade", "India's trade: published figures",
     "The report's data hold no published figure on India's trade in it."),
    ("refining", "Refining and processing shares",
     "The report's data hold no published refining share for it."),
    ("organisations", "Organisations involved", "No registered organisation names it among its minerals."),
    ("events", "Events", "No event in the timeline mentions it."),
    ("claims", "Claims checked", "No claim in the ledger is about it."),
)
# Shown apart (its own cell): the statuses follow the build date by design, so nbval ignores it.
WATCH_SECTION = ("watch", "What to watch", "No open item on the report's watch list names it.")
COLUMN_TITLES = {
    "stage": "Stage, year (edition)", "leaders": "Largest countries (share of world)",
    "commodity": "Commodity", "country": "Country", "period": "Period", "what": "What was counted",
    "partner": "Partner", "figure": "Figure", "source": "Source", "grade": "Kind of source",
    "who": "Who", "share": "Share", "organisation": "Organisation", "minerals": "Minerals",
    "date": "Date", "what happened": "What happened", "status": "Status", "claim": "Claim",
    "verdict": "Verdict", "item": "Item", "decision pending": "Decision pending",
}


def _display_part(data: ProfileData, attribute: str, caption: str, empty: str) -> None:
    from IPython.display import Markdown, display

    from mineral_report.tables import report_table

    frame: pd.DataFrame = getattr(data, attribute)
    if frame.empty:
        display(Markdown(f"**{caption}.** {empty}"))
        return
    display(report_table(frame, f"{data.mineral.name}: {caption.lower()}", titles=COLUMN_TITLES))


def show(profile_id: str) -> None:
    """Display one profile: its lead sentence, its chart, then each part as a table."""
    from IPython.display import Markdown, display

    from mineral_report.charts.profiles import leaders_chart

    data = build(profile_id)
    display(Markdown(data.lead))
    chart = leaders_chart(data.mineral, load_series("usgs-mcs-world"))
    if chart is not None:
        display(chart)
    for section in SECTIONS:
        _display_part(data, *section)


def show_watch(profile_id: str) -> None:
    """Display the open items that concern one mineral, as of the build date."""
    _display_part(build(profile_id), *WATCH_SECTION)
