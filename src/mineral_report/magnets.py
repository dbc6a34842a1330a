"""Rare-earth or ferrite? Reading a published magnet tonnage by what a kilogram of it cost.

India's trade statistics put all permanent magnets under HS 8505.11 (of metal, which is where
neodymium-iron-boron and samarium-cobalt magnets go) and 8505.19 (other, mostly ferrite). Press
figures often give the two together. Their unit value tells them apart, because a
rare-earth magnet cannot cost less than the rare earths it is made of.

The rule, and where each number comes from:

* A sintered neodymium-iron-boron magnet is the compound Nd2Fe14B. With the standard atomic
  weights of the IUPAC Commission on Isotopic Abundances and Atomic Weights (CIAAW,
  https://ciaaw.org/atomic-weights.htm: Nd 144.242, Fe 55.845, B 10.81, O 15.999) neodymium is
  26.7% of its mass. Commercial magnets hold somewhat more rare earth than the formula, so the
  formula is a lower bound.
* That neodymium is made from oxide, Nd2O3, of which the metal is 85.7% by mass: a kilogram of
  metal takes 1.17 kg of oxide.
* The oxide price is the USGS average for neodymium-praseodymium (NdPr) oxide, 99% minimum,
  free on board (dataset ``magnet-unit-value-basis``). For an Indian fiscal year, which spans
  two calendar years, the lower of the two years' prices is used.

Floor = 0.267 × 1.17 × NdPr oxide price: at the 2024 price of US$55/kg it is about US$17/kg of
magnet, before any metal-making, alloying, sintering or margin. A tonnage whose unit value is
below the floor cannot be mostly rare-earth magnets and is labelled ferrite or other magnets
(HS 8505.19 for the most part); one at or above it is *consistent with* rare-earth magnets, not
proof of them. A value in rupees is turned into dollars with the rate in the same dataset; the
rupee rate at which the verdict would flip is reported alongside, so the reader can see that it
does not hang on the rate chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mineral_report.periods import FISCAL_YEAR

ATOMIC_WEIGHT = {"Nd": 144.242, "Fe": 55.845, "B": 10.81, "O": 15.999}
RARE_EARTH = "rare-earth magnets (HS 8505.11), or consistent with them"
FERRITE = "ferrite or other non-rare-earth magnets (mostly HS 8505.19)"
# A crore is ten million; a tonne is a thousand kilograms.
RUPEES_PER_CRORE = 1e7
DOLLARS_PER_MILLION = 1e6
KG_PER_TONNE = 1e3


def neodymium_mass_fraction() -> float:
    """Share of neodymium in the mass of Nd2Fe14B (about 0.267)."""
    nd = 2 * ATOMIC_WEIGHT["Nd"]
    return nd / (nd + 14 * ATOMIC_WEIGHT["Fe"] + ATOMIC_WEIGHT["B"])


def oxide_per_kg_metal() -> float:
    """Kilograms of Nd2O3 that hold one kilogram of neodymium (about 1.17)."""
    nd = 2 * ATOMIC_WEIGHT["Nd"]
    return (nd + 3 * ATOMIC_WEIGHT["O"]) / nd


def rare_earth_floor(ndpr_oxide_usd_per_kg: float) -> float:
    """US$ per kg of magnet below which a magnet cannot be neodymium-iron-boron."""
    if ndpr_oxide_usd_per_kg <= 0:
        raise ValueError("an oxide price must be positive")
    return neodymium_mass_fraction() * oxide_per_kg_metal() * ndpr_oxide_usd_per_kg


def oxide_price_for(period: str, basis: pd.DataFrame) -> float:
    """The NdPr oxide price that applies to a period: the lower of a fiscal year's two years."""
    prices = basis[basis["parameter"] == "ndpr_oxide_price"].set_index("period")["value"]
    match = FISCAL_YEAR.match(period)
    years = [match.group(1), str(int(match.group(1)) + 1)] if match else [period[:4]]
    known = [prices[year] for year in years if year in prices.index]
    if not known:
        raise ValueError(
            f"no NdPr oxide price for {period}: the basis covers {', '.join(prices.index)}"
        )
    return float(min(known))


@dataclass(frozen=True)
class UnitValueVerdict:
    """What a tonnage and its value say about the kind of magnet."""

    period: str
    tonnes: float
    usd_per_kg: float
    inr_per_kg: float | None
    floor_usd_per_kg: float
    breakeven_inr_per_usd: float | None
    label: str


def classify(
    tonnes: float, value: float, unit: str, period: str, basis: pd.DataFrame
) -> UnitValueVerdict:
    """Label a published tonnage rare-earth or ferrite from its value (``inr_crore`` or ``usd_mn``)."""
    if tonnes <= 0:
        raise ValueError("a tonnage must be positive")
    kg = tonnes * KG_PER_TONNE
    floor = rare_earth_floor(oxide_price_for(period, basis))
    if unit == "inr_crore":
        inr_per_kg = value * RUPEES_PER_CRORE / kg
        rate = basis.loc[basis["parameter"] == "inr_per_usd", "value"]
        if rate.empty:
            raise ValueError("a rupee value needs an inr_per_usd rate in the basis")
        usd_per_kg, breakeven = inr_per_kg / float(rate.iloc[0]), inr_per_kg / floor
    elif unit == "usd_mn":
        inr_per_kg, breakeven = None, None
        usd_per_kg = value * DOLLARS_PER_MILLION / kg
    else:
        raise ValueError(f"unit {unit!r} is not a value unit (inr_crore or usd_mn)")
    label = RARE_EARTH if usd_per_kg >= floor else FERRITE
    return UnitValueVerdict(period, tonnes, usd_per_kg, inr_per_kg, floor, breakeven, label)


def magnet_unit_values(observations: pd.DataFrame, basis: pd.DataFrame) -> pd.DataFrame:
    """Every published permanent-magnet tonnage that has a value for the same period and source.

    One row per pair, with the unit value, the rare-earth floor and the label.
    """
    magnets = observations[
        (observations["mineral"] == "permanent magnets")
        & (observations["partner_iso3"] == "WLD")
        & (observations["flow"] == "import")
    ]
    tonnes = magnets[magnets["unit"] == "t"]
    values = magnets[magnets["unit"].isin(["inr_crore", "usd_mn"])]
    pairs = tonnes.merge(values, on=["period", "url"], suffixes=("_t", "_value"))
    rows = []
    for _, pair in pairs.iterrows():
        verdict = classify(
            pair["value_t"], pair["value_value"], pair["unit_value"], pair["period"], basis
        )
        rows.append(
            {
                "period": verdict.period,
                "tonnes": verdict.tonnes,
                "inr_per_kg": verdict.inr_per_kg,
                "usd_per_kg": verdict.usd_per_kg,
                "floor_usd_per_kg": verdict.floor_usd_per_kg,
                "breakeven_inr_per_usd": verdict.breakeven_inr_per_usd,
                "label": verdict.label,
                "publisher": pair["publisher_t"],
                "observations": f"{pair['observation_id_t']}, {pair['observation_id_value']}",
            }
        )
    return pd.DataFrame(rows)


def rare_earth_magnet_estimates(observations: pd.DataFrame, months: int = 2) -> pd.DataFrame:
    """Published estimates of India's rare-earth magnet use and imports, and ``months`` of each.

    ``months`` of supply is the annual figure divided by twelve, times ``months``: it assumes
    an even spread over the year. Use (consumption) comes first, as a stockpile has to cover
    use; each row keeps its source and period.
    """
    estimates = observations[
        (observations["mineral"] == "rare-earth permanent magnets") & (observations["unit"] == "t")
    ]
    order = {"consumption": 0, "import": 1}
    table = estimates.assign(rank=estimates["flow"].map(order)).sort_values(
        ["rank", "period"], ascending=[True, False]
    )
    return pd.DataFrame(
        {
            "measure": table["flow"].map({"consumption": "use in India", "import": "imports"}),
            "annual_t": table["value"],
            "period": table["period"],
            f"{months}_months_t": table["value"] / 12 * months,
            "publisher": table["publisher"],
            "observation": table["observation_id"],
        }
    ).reset_index(drop=True)
