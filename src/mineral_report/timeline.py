"""The event log: counts by status, and the gap between what was announced and delivered."""

from __future__ import annotations

import pandas as pd

from mineral_report.periods import fiscal_year_of

# Outcomes with a signed, dated instrument or a measure in effect count as delivered.
DELIVERED = ("signed", "in force", "implemented")
NOT_DELIVERED = ("announced", "unknown", "lapsed", "suspended")


def with_fiscal_year(events: pd.DataFrame) -> pd.DataFrame:
    dated = events.assign(fiscal_year=events["date"].map(fiscal_year_of))
    dated.attrs = dict(events.attrs)
    return dated


def status_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per outcome status, split by confirmation, in a fixed status order."""
    order = list(DELIVERED + NOT_DELIVERED)
    counts = (
        events.groupby(["outcome_status", "confirmation"]).size().unstack(fill_value=0)
        .reindex(order, fill_value=0)
        .reindex(columns=["confirmed", "unconfirmed"], fill_value=0)
    )
    counts["total"] = counts.sum(axis=1)
    return counts


def dialogue_to_delivery(events: pd.DataFrame) -> pd.DataFrame:
    """India–Russia events: what was said, and whether a signed, dated outcome exists.

    An outcome counts as delivered only when the event is confirmed; an unconfirmed event that
    reports one is marked so, never counted as delivered.
    """
    bilateral = events[events["india_russia"]]
    reached = bilateral["outcome_status"].isin(DELIVERED)
    confirmed = bilateral["confirmation"] == "confirmed"
    delivered = pd.Series("no", index=bilateral.index)
    delivered[reached & confirmed] = "yes"
    delivered[reached & ~confirmed] = "reported, not confirmed"
    table = bilateral.assign(delivered=delivered, date=bilateral["date"].dt.strftime("%Y-%m-%d"))[
        ["date", "forum", "summary", "outcome_status", "delivered", "confirmation"]
    ]
    return table.sort_values("date", ascending=False).reset_index(drop=True)


def company_deals(events: pd.DataFrame) -> pd.DataFrame:
    """India–Russia company deals, each counted once however many events it took.

    Events are grouped by their ``deal`` name (a signing and its completion are one deal),
    whatever forum they happened at. A deal is delivered when at least one of its events has a
    confirmed, signed or implemented outcome.
    """
    deals = events[events["india_russia"] & (events["category"] == "company deal")]
    if deals["deal"].isna().any():
        missing = deals.loc[deals["deal"].isna(), "event_id"].tolist()
        raise ValueError(f"company-deal events without a deal name: {', '.join(missing)}")
    delivered = deals["outcome_status"].isin(DELIVERED) & (deals["confirmation"] == "confirmed")
    table = deals.assign(delivered=delivered).groupby("deal").agg(
        first_date=("date", "min"), last_date=("date", "max"), events=("event_id", "size"), delivered=("delivered", "any"),
    )
    return table.sort_values("first_date").reset_index()
