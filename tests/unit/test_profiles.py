"""Mineral profiles: the vocabulary matches the datasets, and each part says what the data say."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report import profiles
from mineral_report.profiles import current_slice, leaders, share_text


@pytest.fixture(scope="module")
def vocabulary() -> list[profiles.Mineral]:
    return profiles.minerals()


def test_at_least_twelve_minerals_are_profiled(vocabulary) -> None:
    assert len(vocabulary) >= 12
    assert len({m.profile_id for m in vocabulary}) == len(vocabulary)


def test_every_name_in_the_vocabulary_is_used_by_its_dataset(vocabulary) -> None:
    """A misspelt name would silently empty a part of a profile."""
    used = {
        "usgs": set(report.load_series("usgs-mcs-world")["commodity"]),
        "concordance": set(report.load("critical-mineral-hs-concordance")["mineral"]),
        "trade": set(report.load("india-mineral-trade-observations")["mineral"]),
        "processing": set(report.load("processing-shares")["mineral"]),
        "registry": set(report.load("organisations")["commodities"].dropna().str.split("; ").explode()),
    }
    unused = [
        (m.profile_id, part, name)
        for m in vocabulary for part, names in used.items() for name in getattr(m, part) if name not in names
    ]
    assert unused == []


def test_bounds_stay_bounds() -> None:
    assert share_text(0.52, "", ">") == "at most 52%"
    assert share_text(0.2, ">", "") == "at least 20%"
    assert share_text(0.2, ">", ">") == "—"
    assert share_text(0.007, "", "") == "0.7%"
    assert share_text(float("nan"), "", "") == "—"


def test_leaders_of_nickel_in_mcs_2026() -> None:
    usgs = report.load("usgs-mcs-world", vintage="2026")
    ranked = leaders(current_slice(usgs, "nickel", "mine production"))
    assert ranked.iloc[0]["country"] == "Indonesia" and ranked.iloc[0]["share_text"] == "67%"
    # Russia is among the five largest; India publishes none, so it is not listed at all.
    assert ranked.set_index("country_iso3").at["RUS", "is_leader"]
    assert "IND" not in set(ranked["country_iso3"])


def test_reserve_shares_of_a_lower_bound_total_are_upper_bounds() -> None:
    usgs = report.load("usgs-mcs-world", vintage="2026")
    ranked = leaders(current_slice(usgs, "rare-earths", "reserves")).set_index("country_iso3")
    assert ranked.at["CHN", "share_text"] == "at most 52%"
    assert ranked.at["IND", "figure"] == "not available (NA)" and ranked.at["IND", "share_text"] == "—"


def test_revisions_show_every_pinned_edition() -> None:
    item = profiles.mineral("rare-earths")
    series = report.load_series("usgs-mcs-world")
    table = profiles.reserve_revisions(item, series)
    editions = sorted(series.loc[series["commodity"] == "rare-earths", "edition"].unique())
    assert [c for c in table.columns if c.startswith("MCS")] == [f"MCS {e}" for e in editions]


def test_a_mineral_usgs_does_not_cover_says_so() -> None:
    coal = profiles.mineral("coal")
    assert profiles.lead_sentence(coal, report.load_series("usgs-mcs-world")) == coal.coverage_note
    assert "no chapter on coal" in coal.coverage_note


def test_parts_select_their_mineral_only() -> None:
    item = profiles.mineral("lithium")
    trade = profiles.india_trade(item, report.load("india-mineral-trade-observations"), pd.Series(dtype=object))
    claims = profiles.claims_of(item, report.load("claims-ledger"))
    assert not trade.empty
    assert claims["claim"].str.contains("lithium", case=False).all()


def test_unknown_profile_is_named() -> None:
    with pytest.raises(KeyError, match="no mineral profile 'unobtainium'"):
        profiles.mineral("unobtainium")


def test_tables_link_each_profiled_mineral_to_its_profile() -> None:
    from mineral_report.tables import report_table

    frame = pd.DataFrame({"mineral": ["Rare earths (REO)", "Palladium", "Antimony"], "value": [1, 2, 3]})
    page = report_table(frame, "Minerals")._repr_html_()
    assert '<a href="07-mineral-profiles.html#profile-rare-earths">Rare earths (REO)</a>' in page
    assert '<a href="07-mineral-profiles.html#profile-platinum-group-metals">Palladium</a>' in page
    assert "<td>Antimony</td>" in page  # no profile, no link


def test_a_chart_links_the_profiles_of_the_minerals_it_shows() -> None:
    """Whole data values name a mineral in any dataset's wording, nested parentheses and wrapped
    lines included; a title names one in running text; a word inside a label does not count."""
    spec = {"title": {"text": ["China has the largest rare-earth", "reserves"]},
            "datasets": {"d1": [{"label": "Cobalt (mine production, 2025; largest: Congo\n(Kinshasa))"},
                                {"commodity": "nickel", "note": "nickel and cobalt prices"}],
                         "d2": [{"label": "copper wire made in India"}]}}
    named = profiles.profiles_named_in(spec)
    assert [item["anchor"] for item in named] == ["profile-rare-earths", "profile-nickel", "profile-cobalt"]
    assert {item["document"] for item in named} == {f"chapters/{profiles.PROFILE_PAGE}"}
    assert profiles.profiles_named_in({"title": "Trade with Russia", "datasets": {"d": [{"country": "Russia"}]}}) == []
