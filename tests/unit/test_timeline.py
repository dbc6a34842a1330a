"""The event log: required fields, controlled categories, and honest confirmation."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.charts.timeline import timeline_chart
from mineral_report.timeline import DELIVERED, dialogue_to_delivery, status_counts


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return report.load("india-russia-events")


def test_every_event_has_date_category_and_source(events) -> None:
    fields = {field.name: field for field in report.manifest().resolve("india-russia-events").fields}
    categories = set(fields["category"].enum or ())
    assert len(events) >= 30
    assert events["date"].notna().all()
    assert set(events["category"]) <= categories and len(categories) == 7
    assert events["source_urls"].str.match(r"https?://").all()


def test_unconfirmed_events_are_never_drawn_as_confirmed(events) -> None:
    spec = timeline_chart(events).to_dict()
    shapes = spec["encoding"]["shape"]
    assert shapes["field"] == "confirmation"
    values = spec["datasets"][spec["data"]["name"]]
    drawn = {(row["summary"], row["confirmation"]) for row in values}
    for _, event in events.iterrows():
        assert (event["summary"], event["confirmation"]) in drawn
    assert "unconfirmed" in json.dumps(spec["encoding"]["shape"]["scale"])


def test_status_counts_add_up(events) -> None:
    counts = status_counts(events)
    assert counts["total"].sum() == len(events)
    assert counts.loc["signed", "total"] == (events["outcome_status"] == "signed").sum()


def test_delivery_table_counts_only_confirmed_signed_outcomes(events) -> None:
    table = dialogue_to_delivery(events)
    reached = table["outcome_status"].isin(DELIVERED)
    confirmed = table["confirmation"] == "confirmed"
    assert (table["delivered"] == "yes").sum() == (reached & confirmed).sum()
    assert (table.loc[reached & ~confirmed, "delivered"] == "reported, not confirmed").all()
    assert set(table["delivered"]) == {"yes", "no", "reported, not confirmed"}


def test_delivery_table_holds_only_india_russia_events(events) -> None:
    table = dialogue_to_delivery(events)
    assert len(table) == events["india_russia"].sum() == 27
    # India-only deals and a US-hosted ministerial are logged for context, not as India–Russia events
    assert "2024-01-15" not in set(table["date"]) and "2026-02-04" not in set(table["date"])
