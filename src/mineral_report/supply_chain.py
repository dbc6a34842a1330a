"""China's share of mining (USGS) beside its share of refining (IEA), kept as separate sources."""

from __future__ import annotations

import pandas as pd

# IEA mineral names → the USGS commodity whose mine production they correspond to.
IEA_TO_USGS = {"rare earths": "rare-earths", "graphite (battery-grade)": "graphite", "lithium": "lithium", "cobalt": "cobalt"}


def china_mining_and_refining(concentration: pd.DataFrame, processing: pd.DataFrame) -> pd.DataFrame:
    """One row per mineral and stage: China's mining share from USGS, refining share from the IEA.

    Refining shares are the IEA's latest figure for China for a stated year (not a projection;
    an undated figure only when no dated one exists); a share
    the IEA gives only as a lower bound keeps its '>' marker.
    """
    supply = concentration[concentration["kind"] == "supply"].set_index("commodity")
    refining = processing[
        (processing["region"] == "China")
        & processing["stage"].str.startswith("refining")
        & ~processing["period"].str.contains("projection")
        & processing["mineral"].isin(IEA_TO_USGS)
    ]
    rows = []
    for mineral, commodity in IEA_TO_USGS.items():
        if commodity in supply.index:
            usgs = supply.loc[commodity]
            rows.append({"mineral": usgs["mineral"], "stage": "mining", "share_percent": usgs["china_share"] * 100,
                         "bound": "", "period": str(usgs["year"]), "source": f"USGS MCS {usgs['edition']}"})
        found = refining[refining["mineral"] == mineral]
        if not found.empty:
            dated = found[found["period"].str.fullmatch(r"\d{4}")]
            latest = (dated if not dated.empty else found).sort_values("period").iloc[-1]
            rows.append({"mineral": supply.loc[commodity, "mineral"] if commodity in supply.index else mineral,
                         "stage": "refining", "share_percent": latest["share_percent"],
                         "bound": latest["share_bound"] if pd.notna(latest["share_bound"]) else "",
                         "period": latest["period"], "source": latest["publisher"]})
    return pd.DataFrame(rows)
