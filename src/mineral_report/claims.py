"""The claims ledger's quantitative verdicts, recomputed from the pinned data at build time.

A quantitative claim names, in the ledger's data, the dataset that decides it, the figure (a
selector such as ``commodity=rare-earths; measure=reserves; country_iso3=RUS``, optionally a
second figure it is a share of), how to read the figure's value, and the rule: a comparator
and a relative tolerance. The figure is read from every pinned edition of the dataset:

* the rule holds on the current edition: **consistent**;
* it fails there but holds on an earlier pinned edition: **outdated**;
* it holds on none: **inconsistent**;
* the current edition gives no number for the figure: **unverifiable**.

A new edition, once pinned, can therefore change a verdict, and the ledger says which edition
decided it. Claims without a rule keep the verdict recorded in the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from mineral_report.reserves import marker_of

COMPARATORS = ("equal", "within", "at_least", "at_most")
RULE_COLUMNS = ("check_figure", "check_of", "check_value", "check_scale", "check_comparator", "check_tolerance")
_TERM = re.compile(r"\s*([+-]?)\s*([A-Za-z_][A-Za-z0-9_]*)")
_RANGE = re.compile(r"^\s*([\d.]+)\s*[-–]\s*([\d.]+)\s*$")


def parse_selector(text: str) -> dict[str, str]:
    """"commodity=rare-earths; country_iso3=RUS" → {"commodity": "rare-earths", "country_iso3": "RUS"}."""
    selector = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{text!r} is not a selector of the form column=value; column=value")
        selector[key.strip()] = value.strip()
    return selector


def parse_claimed(text: str) -> tuple[float, float]:
    """A claimed number or range as (low, high): "3800000" → (3.8e6, 3.8e6); "85-95" → (85, 95)."""
    match = _RANGE.match(text)
    if match:
        return float(match.group(1)), float(match.group(2))
    number = float(text.replace(",", ""))
    return number, number


def holds(claimed: tuple[float, float], data: float, comparator: str, tolerance: float) -> bool:
    """Whether the data figure supports the claimed value under the rule."""
    low, high = claimed
    slack = tolerance * abs(data)
    if comparator == "equal":
        return abs(low - data) <= slack and abs(high - data) <= slack
    if comparator == "within":
        return low - slack <= data <= high + slack
    if comparator == "at_least":  # the claim says "at least / more than low"
        return data >= low - slack
    if comparator == "at_most":
        return data <= high + slack
    raise ValueError(f"unknown comparator {comparator!r}; use one of {', '.join(COMPARATORS)}")


@dataclass(frozen=True)
class Rule:
    """What decides a claim: the figure, how its value is read, and the comparison."""

    dataset: str
    figure: dict[str, str]
    of: dict[str, str] | None
    value: str
    scale: float
    comparator: str
    tolerance: float

    @classmethod
    def of_claim(cls, claim: pd.Series) -> Rule | None:
        if pd.isna(claim.get("check_figure")):
            return None
        if claim["check_comparator"] not in COMPARATORS:
            raise ValueError(f"claim {claim['claim_id']}: unknown comparator {claim['check_comparator']!r}")
        return cls(
            dataset=str(claim["data_dataset"]),
            figure=parse_selector(str(claim["check_figure"])),
            of=parse_selector(str(claim["check_of"])) if pd.notna(claim.get("check_of")) else None,
            value=str(claim["check_value"]) if pd.notna(claim.get("check_value")) else "value",
            scale=float(claim["check_scale"]) if pd.notna(claim.get("check_scale")) else 1.0,
            comparator=str(claim["check_comparator"]),
            tolerance=float(claim["check_tolerance"]) if pd.notna(claim.get("check_tolerance")) else 0.0,
        )


@dataclass(frozen=True)
class Reading:
    """A figure as one edition gives it."""

    number: float  # in the claim's unit; NaN when the edition gives no number
    text: str  # as a reader sees it, with any bound
    bound: str  # "", "more than", "less than", "at least" or "at most"


def _row(frame: pd.DataFrame, selector: dict[str, str], claim_id: str) -> pd.Series:
    rows = frame
    for column, wanted in selector.items():
        rows = rows[rows[column].astype("string") == wanted]
    if "year" in rows.columns and len(rows) > 1:
        rows = rows[rows["year"] == rows["year"].max()]
    if len(rows) != 1:
        wanted = "; ".join(f"{c}={v}" for c, v in selector.items())
        raise LookupError(f"claim {claim_id}: {len(rows)} rows match {wanted}, expected one")
    return rows.iloc[0]


def _value(row: pd.Series, expression: str) -> float:
    total = 0.0
    for sign, column in _TERM.findall(expression):
        number = row[column]
        if pd.isna(number):
            return float("nan")
        total += -float(number) if sign == "-" else float(number)
    return total


def _bound(row: pd.Series) -> str:
    return {">": "more than", "<": "less than"}.get(marker_of(row), "") if "marker" in row.index else ""


def with_unit(number: str, unit: str) -> str:
    """A number and its unit as the prose writes them: "4.5% of world reserves", "US$ 68.7 bn"."""
    if unit.startswith("US$ "):
        return f"US$ {number} {unit[4:]}"
    return f"{number}{'' if unit.startswith('%') else ' '}{unit}".strip()


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def read(rule: Rule, frame: pd.DataFrame, claim_id: str, unit: str) -> Reading:
    """The rule's figure in one edition's rows, scaled to the claim's unit."""
    row = _row(frame, rule.figure, claim_id)
    number = _value(row, rule.value)
    bound = _bound(row)
    if rule.of is not None:
        base = _row(frame, rule.of, claim_id)
        number = number / _value(base, rule.value) * 100
        # A share of a lower bound is an upper bound, and the other way round.
        bound = {"more than": "at most", "less than": "at least"}.get(_bound(base), "") or bound
    else:
        number *= rule.scale
    if pd.isna(number):
        marker = marker_of(row) if "marker" in row.index else ""
        return Reading(float("nan"), f"no figure ({marker})" if marker else "no figure", "")
    text = with_unit(_number(number), unit)
    return Reading(number, f"{bound} {text}".strip(), bound)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    decided_by: str
    data_value: str
    reason: str


def _editions(frame: pd.DataFrame) -> list[tuple[int | None, pd.DataFrame]]:
    if "edition" in frame.columns:
        return [(int(e), rows) for e, rows in frame.groupby("edition", sort=True)]
    return [(None, frame)]


def _label(dataset_label: str, edition: int | None, vintage: str) -> str:
    return dataset_label.format(edition=edition, vintage=vintage)


def decide(claim: pd.Series, rule: Rule, frame: pd.DataFrame, dataset_label: str) -> Verdict:
    """The verdict on one claim from a dataset's pinned editions (oldest first)."""
    claimed = parse_claimed(str(claim["claimed_value"]))
    unit = "" if pd.isna(claim.get("data_unit")) else str(claim["data_unit"])
    readings = [(edition, read(rule, rows, claim["claim_id"], unit)) for edition, rows in _editions(frame)]
    vintage = str(frame.attrs.get("vintage", "")).split(", ")[-1]
    current_edition, current = readings[-1]
    decided_by = _label(dataset_label, current_edition, vintage)
    agrees = [e for e, r in readings if pd.notna(r.number) and holds(claimed, r.number, rule.comparator, rule.tolerance)]
    context = "" if pd.isna(claim.get("reason")) else f" {claim['reason']}"
    if pd.isna(current.number):
        return Verdict("unverifiable", decided_by, current.text, f"{decided_by} gives {current.text}.{context}")
    tolerance = f" (tolerance {rule.tolerance:.0%})" if rule.tolerance else ""
    if current_edition in agrees:
        verdict, finding = "consistent", f"the claim agrees with it{tolerance}"
    elif agrees:
        older = ", ".join(_label(dataset_label, e, vintage) for e in agrees)
        verdict, finding = "outdated", f"the claim does not agree with it{tolerance}, but agrees with {older}"
    else:
        verdict, finding = "inconsistent", f"the claim does not agree with it{tolerance}"
        earlier = [f"{_label(dataset_label, e, vintage)}: {r.text}" for e, r in readings[:-1]]
        if earlier:
            finding += " nor with earlier editions (" + "; ".join(earlier) + ")"
    return Verdict(verdict, decided_by, current.text, f"{decided_by} gives {current.text}; {finding}.{context}")


def recompute(claims: pd.DataFrame, series: Callable[[str], pd.DataFrame], labels: dict[str, str]) -> pd.DataFrame:
    """The ledger with every rule-checked claim's verdict, data value and reason recomputed.

    ``series(dataset)`` returns a dataset's pinned editions (``load_series``); ``labels`` names
    each dataset for readers, with ``{edition}`` or ``{vintage}`` filled in. The column
    ``decided_by`` says which edition decided each verdict; a claim without a rule keeps its
    recorded verdict and is decided by its cited source.
    """
    result = claims.copy()
    result["decided_by"] = pd.Series("the cited source", index=result.index, dtype="string")
    frames: dict[str, pd.DataFrame] = {}
    for index, claim in claims.iterrows():
        rule = Rule.of_claim(claim)
        if rule is None:
            if pd.isna(claim["verdict"]):
                raise ValueError(f"claim {claim['claim_id']} has neither a recorded verdict nor a rule")
            continue
        if rule.dataset not in frames:
            frames[rule.dataset] = series(rule.dataset)
        found = decide(claim, rule, frames[rule.dataset], labels.get(rule.dataset, "vintage {vintage}"))
        result.loc[index, ["verdict", "decided_by", "data_value", "reason"]] = [
            found.verdict, found.decided_by, found.data_value, found.reason,
        ]
        result.loc[index, "data_unit"] = pd.NA  # the data value carries its unit
    return result
