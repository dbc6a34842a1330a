"""The reviewed tables that turn USGS's printed labels into the schema's codes.

Each table is a CSV beside this module with a ``reason`` for every entry, so a reviewer can see
why "Congo (Kinshasa)" is COD, why a row printed "Other" is OTH (never a country), or why
"Gemanium" is germanium. A label missing from a table is never guessed: the importer collects
every unknown label and stops, naming them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_FOOTNOTE = re.compile(r"\d+$")


def _table(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    missing = [row for row in rows if not row.get("reason", "").strip()]
    if missing:
        raise ValueError(f"{name}: entries without a reason: {missing[:3]}")
    return rows


def clean(text: str) -> str:
    """One space between words, non-breaking spaces included."""
    return " ".join(text.replace("\xa0", " ").split())


def key(text: str) -> str:
    return clean(text).lower()


@dataclass(frozen=True)
class Country:
    name: str  # as printed, footnote numbers and estimate mark removed
    iso3: str
    is_rounded: bool
    estimated: bool  # the label carried USGS's estimate mark ("Russiae")


@cache
def _countries() -> dict[str, tuple[str, bool]]:
    return {key(row["label"]): (row["iso3"], row["is_rounded"] == "true") for row in _table("countries.csv")}


def country(printed: str) -> Country | None:
    """The country of a USGS label; None when the label is not in the reviewed table.

    Footnote numbers fused to the label ("New Caledonia11") are removed. A trailing "e" is
    USGS's estimate mark only when the label without it is in the table and the label with it is
    not, so "Chile" stays Chile while "Russiae" is an estimated Russia.
    """
    name = clean(_FOOTNOTE.sub("", clean(printed)))
    table = _countries()
    if key(name) in table:
        iso3, rounded = table[key(name)]
        return Country(name, iso3, rounded, False)
    if name.endswith("e") and key(name[:-1]) in table:
        iso3, rounded = table[key(name[:-1])]
        return Country(name[:-1], iso3, rounded, True)
    return None


@dataclass(frozen=True)
class CommodityRule:
    usgs_commodity: str
    detail_contains: str
    slug: str  # "" = outside the report's commodity set
    measure: str  # production measure when the row's type names none
    reserves_slug: str  # "" = same as slug; "-" = this row's reserves column is not a figure


@cache
def _commodity_rules() -> tuple[CommodityRule, ...]:
    return tuple(
        CommodityRule(key(row["usgs_commodity"]), key(row["detail_contains"]), row["slug"],
                      row["measure"], row["reserves_slug"])
        for row in _table("commodities.csv")
    )  # fmt: skip


def commodity_rule(commodity: str, detail: str) -> CommodityRule | None:
    """The first rule of the commodity whose phrase appears in the row's type; None if unknown."""
    name, detail = key(commodity), key(detail)
    return next(
        (rule for rule in _commodity_rules()
         if rule.usgs_commodity == name and rule.detail_contains in detail),
        None,
    )  # fmt: skip


def covered_slugs() -> list[str]:
    slugs = [rule.slug for rule in _commodity_rules()] + [rule.reserves_slug for rule in _commodity_rules()]
    return list(dict.fromkeys(slug for slug in slugs if slug and slug != "-"))


@cache
def _file_codes() -> dict[str, str]:
    return {row["code"]: row["usgs_commodity"] for row in _table("files.csv")}


def commodity_of_file_code(code: str) -> str | None:
    """USGS's commodity for a per-commodity file code (``raree``); "" outside the report."""
    return _file_codes().get(code.lower())


@cache
def _units() -> dict[str, str]:
    return {key(row["printed"]): row["unit"] for row in _table("units.csv")}


def unit(printed: str) -> str | None:
    return _units().get(key(printed))


def unit_codes() -> list[str]:
    return sorted(set(_units().values()))


@dataclass(frozen=True)
class Value:
    """One printed figure: a number, a marker, or both (">85,000,000", "500–16,000")."""

    value: float | None
    value_high: float | None
    marker: str
    estimated: bool


@cache
def _value_forms() -> tuple[dict[str, str], tuple[tuple[re.Pattern[str], str, bool], ...]]:
    rows = _table("values.csv")
    tokens = {key(row["form"]): row["marker"] for row in rows if row["kind"] == "token"}
    patterns = tuple(
        (re.compile(row["form"]), row["marker"], row["estimated"] == "true") for row in rows if row["kind"] == "pattern"
    )
    return tokens, patterns


def markers() -> list[str]:
    tokens, patterns = _value_forms()
    return list(dict.fromkeys([*tokens.values(), *(marker for _, marker, _ in patterns if marker)]))


def _number(text: str | None) -> float | None:
    return None if text is None else float(text.replace(",", ""))


def value(printed: str) -> Value | None:
    """A USGS cell read through the value-form table; None when empty; ValueError when unknown."""
    text = clean(printed)
    if not text:
        return None
    tokens, patterns = _value_forms()
    if key(text) in tokens:
        return Value(None, None, tokens[key(text)], False)
    compact = re.sub(r"(?<=\d) (?=\d{3}\b)", ",", text)  # "110 000" → "110,000"
    for pattern, marker, estimated in patterns:
        match = pattern.match(compact)
        if match:
            groups = match.groupdict()
            return Value(_number(groups.get("low")), _number(groups.get("high")), marker, estimated)
    raise ValueError(printed)


@cache
def _note_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(row["pattern"]), row["effect"]) for row in _table("notes.csv"))


def estimated_years(note: str) -> tuple[bool, set[int]]:
    """Whether a note marks its figures as estimated, and which other years it marks.

    Notes are read sentence by sentence (USGS joins them with " -- " or ". ").
    """
    estimated, years = False, set()
    for segment in re.split(r" -- |(?<=\.) (?=[A-Z])", clean(note)):
        for pattern, effect in _note_rules():
            match = pattern.match(segment.strip())
            if match and effect == "estimate":
                estimated = True
            elif match and effect == "estimate_year":
                years.add(int(match.group("year")))
    return estimated, years
