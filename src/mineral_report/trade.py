"""India's trade series: balances, headline figures and the per-mineral evidence table."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from mineral_report.data.load import load, manifest
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


def _significant_digits(value: float) -> int:
    """How precisely a published figure is given: 53,700 has three significant digits, 53,000 two."""
    digits = f"{abs(value):.6g}".replace(".", "").replace("-", "").lstrip("0").rstrip("0")
    return len(digits)


def _latest(rows: pd.DataFrame) -> pd.Series | None:
    """The most recent full-year observation, or the most recent partial one if no full year;
    of two figures for the same period, the more precisely published one."""
    if rows.empty:
        return None
    ranked = rows.assign(
        full_year=rows["period_type"] != "months",
        start=[period_start(p, t) for p, t in zip(rows["period"], rows["period_type"])],
    ).sort_values(["full_year", "start"], kind="stable")
    same_period = ranked[ranked["period"] == ranked["period"].iloc[-1]]
    precision = same_period["value"].map(_significant_digits)
    return same_period[precision == precision.max()].iloc[-1]


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


# -- UN Comtrade: India's imports of the basket's HS codes, by partner and calendar year ------

COMTRADE_DATASET = "india-imports-by-hs-comtrade"
COMTRADE_PARTNERS = ("RUS", "CHN")


def pinned_comtrade(data_dir: Path | None = None) -> pd.DataFrame | None:
    """The pinned Comtrade vintage, or None when this edition of the report carries none.

    An unpinned vintage is never read: publishing one changes nothing until it is pinned.
    """
    if COMTRADE_DATASET not in manifest(data_dir).pinned:
        return None
    return load(COMTRADE_DATASET, data_dir=data_dir)


def counted_codes(codes: Iterable[str]) -> list[str]:
    """The codes a total adds up: a subheading whose heading is also listed is already inside it."""
    listed = set(codes)
    return sorted(code for code in listed if not (len(code) == 6 and code[:4] in listed))


def _with_attrs(frame: pd.DataFrame, *sources: pd.DataFrame) -> pd.DataFrame:
    """Carry the loaded frames' source and licence lines, so a chart can cite them."""
    for key in ("source", "licence"):
        lines = [source.attrs.get(key, "") for source in sources]
        frame.attrs[key] = "; ".join(dict.fromkeys(line for line in lines if line))
    frame.attrs["vintage"] = sources[0].attrs.get("vintage", "")
    return frame


def _totals(records: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """US$ and tonnes per group; tonnes stay missing when any record of the group has no weight."""
    grouped = records.groupby(keys, sort=True)
    totals = grouped.agg(
        imports_usd=("trade_value_usd", "sum"),
        net_weight_kg=("net_weight_kg", lambda kg: kg.sum(min_count=1)),
        records=("hs_code", "size"),
        records_without_weight=("net_weight_kg", lambda kg: int(kg.isna().sum())),
    ).reset_index()
    complete = totals["records_without_weight"] == 0
    totals["imports_t"] = (totals["net_weight_kg"] / 1000).where(complete)
    return totals.drop(columns=["net_weight_kg"])


def comtrade_mineral_imports(comtrade: pd.DataFrame, concordance: pd.DataFrame) -> pd.DataFrame:
    """India's imports of each basket mineral by calendar year and partner (RUS, CHN, WLD).

    Each mineral adds up its own codes, a heading once and never with its own subheadings.
    A code the concordance gives to several minerals counts in each of them (``shared``), so
    minerals never add up to the basket: :func:`comtrade_basket_imports` counts each code once.
    A partner with no record for a mineral in a year has no row: Comtrade publishes no zeros.
    """
    frames = []
    for mineral, codes in concordance.groupby("mineral", sort=True)["hs_code"]:
        counted = counted_codes(codes)
        records = comtrade[comtrade["hs_code"].isin(counted)]
        if records.empty:
            continue
        shared = concordance.loc[concordance["hs_code"].isin(counted), "shared_with"].notna().any()
        frames.append(_totals(records, ["calendar_year", "partner_iso3"]).assign(mineral=mineral, shared=bool(shared)))
    columns = ["mineral", "calendar_year", "partner_iso3", "imports_usd", "imports_t", "records",
               "records_without_weight", "shared"]
    table = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return _with_attrs(table, comtrade, concordance)


def comtrade_basket_imports(comtrade: pd.DataFrame, concordance: pd.DataFrame) -> pd.DataFrame:
    """India's imports of the whole basket by calendar year and partner, each code counted once."""
    records = comtrade[comtrade["hs_code"].isin(counted_codes(concordance["hs_code"]))]
    return _with_attrs(_totals(records, ["calendar_year", "partner_iso3"]), comtrade, concordance)


def comtrade_shares(imports: pd.DataFrame) -> pd.DataFrame:
    """Russia's and China's shares (%) of India's imports, by the frame's groups and year.

    ``imports`` is :func:`comtrade_mineral_imports` or :func:`comtrade_basket_imports`. A share
    is missing where India reported no imports from the world; a partner with no record where
    the world has one supplied none that India reported, a share of 0.
    """
    keys = [key for key in ("mineral", "calendar_year") if key in imports.columns]
    values = imports.pivot_table(index=keys, columns="partner_iso3", values="imports_usd", aggfunc="sum")
    values = values.reindex(columns=[*COMTRADE_PARTNERS, "WLD"])
    world = values["WLD"].where(values["WLD"] > 0)
    shares = pd.DataFrame(
        {f"{partner.lower()}_share": values[partner].fillna(0).where(world.notna()) / world * 100
         for partner in COMTRADE_PARTNERS}
    )
    shares["world_usd"] = values["WLD"]
    return _with_attrs(shares.reset_index(), imports)


def comtrade_latest_year(comtrade: pd.DataFrame) -> int:
    """The latest calendar year with India's imports from the world in the vintage."""
    return int(comtrade.loc[comtrade["partner_iso3"] == "WLD", "calendar_year"].max())


def comtrade_top_items(comtrade: pd.DataFrame, concordance: pd.DataFrame, partner: str, year: int,
                       count: int = 10) -> pd.DataFrame:
    """The ``count`` largest basket codes India imported from ``partner`` in ``year``, by US$.

    A heading stands for its subheadings (they are not listed again); each row names the
    minerals whose basket holds the code and the partner's share of India's imports of it.
    """
    counted = counted_codes(concordance["hs_code"])
    year_rows = comtrade[(comtrade["calendar_year"] == year) & comtrade["hs_code"].isin(counted)]
    world = year_rows[year_rows["partner_iso3"] == "WLD"].set_index("hs_code")["trade_value_usd"]
    items = year_rows[year_rows["partner_iso3"] == partner].nlargest(count, "trade_value_usd")
    minerals = concordance.groupby("hs_code")["mineral"].agg(lambda names: ", ".join(sorted(set(names))))
    table = pd.DataFrame({
        "hs_code": items["hs_code"].to_numpy(),
        "hs_description": items["hs_description"].to_numpy(),
        "minerals": items["hs_code"].map(minerals).to_numpy(),
        "imports_usd": items["trade_value_usd"].to_numpy(),
        "imports_t": (items["net_weight_kg"] / 1000).to_numpy(),
        "share_of_india_imports": (items["trade_value_usd"] / items["hs_code"].map(world) * 100).to_numpy(),
    })
    return _with_attrs(table, comtrade, concordance)


def _usd(value: float) -> str:
    """A dollar amount as a reader would say it."""
    if value >= 1e9:
        return f"US$ {value / 1e9:,.1f} billion"
    if value >= 1e6:
        return f"US$ {value / 1e6:,.1f} million"
    return f"US$ {value:,.0f}"


def _percent(share: float) -> str:
    return f"{share:.1f}%" if share >= 0.1 or share == 0 else "under 0.1%"


COMTRADE_MISSING = (
    "This edition of the report does not yet carry UN Comtrade's series of India's imports by HS "
    "code and partner, so it cannot say, code by code, how much of each mineral India buys from "
    "Russia or from China; the figures in the next section are the ones published elsewhere, each "
    "with its own period and coverage."
)


COMTRADE_MISSING_HEADLINE = (
    "This edition does not yet carry UN Comtrade's series of India's critical-mineral imports by "
    "partner, so Russia's and China's shares of them are not measured here."
)


def comtrade_findings(comtrade: pd.DataFrame | None, concordance: pd.DataFrame) -> dict[str, object]:
    """The values the chapter glues: ``comtrade_finding`` always, the figures when there are data.

    Everything is computed from the vintage: its latest and first calendar years, the basket's
    totals (each code once), Russia's and China's shares, the largest item from Russia.
    """
    if comtrade is None:
        return {"comtrade_finding": COMTRADE_MISSING, "comtrade_headline": COMTRADE_MISSING_HEADLINE,
                "comtrade_items_lead": ""}
    world_years = comtrade.loc[comtrade["partner_iso3"] == "WLD", "calendar_year"]
    latest, first = comtrade_latest_year(comtrade), int(world_years.min())
    basket = comtrade_shares(comtrade_basket_imports(comtrade, concordance)).set_index("calendar_year")
    by_mineral = comtrade_shares(comtrade_mineral_imports(comtrade, concordance))
    minerals = by_mineral[(by_mineral["calendar_year"] == latest) & by_mineral["world_usd"].notna()]
    top = comtrade_top_items(comtrade, concordance, "RUS", latest, count=1)
    values: dict[str, object] = {
        "comtrade_first_year": first,
        "comtrade_latest_year": latest,
        "comtrade_basket_world_usd_bn": basket.at[latest, "world_usd"] / 1e9,
        "comtrade_basket_rus_share": basket.at[latest, "rus_share"],
        "comtrade_basket_chn_share": basket.at[latest, "chn_share"],
        "comtrade_basket_rus_share_first": basket.at[first, "rus_share"],
        "comtrade_n_minerals": len(minerals),
        "comtrade_n_minerals_rus_above_chn": int((minerals["rus_share"] > minerals["chn_share"]).sum()),
    }
    sentences = [
        f"In {latest}, the latest year in the series, India imported {_usd(basket.at[latest, 'world_usd'])} "
        "of the basket's goods from the world, each HS code counted once. "
        f"Russia supplied {_percent(values['comtrade_basket_rus_share'])} of that value and China "
        f"{_percent(values['comtrade_basket_chn_share'])}."
    ]
    if first != latest:
        sentences.append(f"In {first}, Russia's share was {_percent(values['comtrade_basket_rus_share_first'])}.")
    largest = minerals.loc[minerals["world_usd"].idxmax()]
    sentences.append(f"The largest mineral by value was {largest['mineral']}, at {_usd(largest['world_usd'])}.")
    if not top.empty:
        item = top.iloc[0]
        values.update(comtrade_top_rus_code=item["hs_code"], comtrade_top_rus_item=item["hs_description"],
                      comtrade_top_rus_usd_mn=item["imports_usd"] / 1e6)
        sentences.append(
            f"The largest item India bought from Russia was HS {item['hs_code']} ({item['hs_description']}), "
            f"at {_usd(item['imports_usd'])}."
        )
    else:
        sentences.append(f"India reported no imports of the basket's goods from Russia in {latest}.")
    sentences.append(
        f"Of the {len(minerals)} minerals India imported in {latest}, Russia's share was larger than "
        f"China's for {values['comtrade_n_minerals_rus_above_chn']}."
    )
    values["comtrade_finding"] = " ".join(sentences)
    values["comtrade_headline"] = (
        f"In {latest}, Russia supplied {_percent(values['comtrade_basket_rus_share'])} and China "
        f"{_percent(values['comtrade_basket_chn_share'])} of the {_usd(basket.at[latest, 'world_usd'])} "
        "of critical-mineral goods India imported, by UN Comtrade's records."
    )
    values["comtrade_items_lead"] = (
        f"The largest basket items India imported from Russia in {latest}, by value, and Russia's share "
        "of India's imports of each:" if not top.empty else ""
    )
    return values


def _table_value(value: float, scale: float, none: str) -> str:
    if pd.isna(value):
        return none
    scaled = value / scale
    return "under 0.1" if 0 < scaled < 0.05 else _number(round(scaled, 1))


def comtrade_mineral_table(imports: pd.DataFrame, year: int) -> pd.DataFrame:
    """For readers: each mineral's imports in ``year`` from the world, Russia and China, with shares.

    "none reported": Comtrade has no record of imports from that partner; "not reported": it
    has the value but not the weight of every record.
    """
    year_rows = imports[imports["calendar_year"] == year]
    shares = comtrade_shares(year_rows).set_index("mineral").sort_values("world_usd", ascending=False)
    cells = year_rows.set_index(["mineral", "partner_iso3"])

    def amount(mineral: str, partner: str, column: str, scale: float) -> str:
        if (mineral, partner) not in cells.index:
            return "none reported"
        return _table_value(cells.at[(mineral, partner), column], scale, "not reported")

    rows = [
        {
            "mineral": mineral,
            "from the world, US$ million": amount(mineral, "WLD", "imports_usd", 1e6),
            "from Russia, US$ million": amount(mineral, "RUS", "imports_usd", 1e6),
            "from China, US$ million": amount(mineral, "CHN", "imports_usd", 1e6),
            "Russia's share, %": _table_value(shares.at[mineral, "rus_share"], 1, "no imports"),
            "China's share, %": _table_value(shares.at[mineral, "chn_share"], 1, "no imports"),
            "from the world, tonnes": amount(mineral, "WLD", "imports_t", 1),
            "from Russia, tonnes": amount(mineral, "RUS", "imports_t", 1),
        }
        for mineral in shares.index
    ]
    return pd.DataFrame(rows).set_index("mineral").astype("string")


def comtrade_items_table(items: pd.DataFrame) -> pd.DataFrame:
    """For readers: the largest items from one partner, with the minerals each code belongs to."""
    return pd.DataFrame({
        "HS code": items["hs_code"],
        "goods": items["hs_description"],
        "basket minerals": items["minerals"],
        "US$ million": [_table_value(v, 1e6, "none reported") for v in items["imports_usd"]],
        "tonnes": [_table_value(v, 1, "not reported") for v in items["imports_t"]],
        "share of India's imports of the code, %": [_table_value(v, 1, "not reported")
                                                    for v in items["share_of_india_imports"]],
    }).set_index("HS code").astype("string")


def concordance_table(concordance: pd.DataFrame) -> pd.DataFrame:
    """For readers: the basket, one row per mineral and code; an empty cell where no other mineral shares it."""
    table = concordance[["mineral", "stage", "hs_code", "hs_description", "shared_with"]].rename(columns={
        "hs_code": "HS code", "hs_description": "goods", "shared_with": "also covers",
    })
    return table.fillna("").set_index("mineral").astype("string")
