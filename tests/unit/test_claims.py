"""The claims ledger's verdicts are recomputed from the pinned editions; a new edition can flip one."""

from __future__ import annotations

import pandas as pd
import pytest

import mineral_report as report
from mineral_report.claims import holds, parse_claimed, parse_selector, recompute

USGS = "usgs-mcs-world"
TRADE = "india-trade-by-partner"
LABELS = {USGS: "MCS {edition}", TRADE: "India's trade statistics (vintage {vintage})"}
LEDGER = "2026-12-01"  # the first ledger vintage whose quantitative claims carry rules


def _editions(*vintages: str) -> pd.DataFrame:
    frame = pd.concat([report.load(USGS, vintage=v) for v in vintages], ignore_index=True)
    frame.attrs["vintage"] = ", ".join(vintages)
    return frame


def _series(usgs: pd.DataFrame):
    return lambda dataset: usgs if dataset == USGS else report.load(dataset, vintage="2026-11-22")


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    ledger = report.load("claims-ledger", vintage=LEDGER)
    return recompute(ledger, _series(_editions("2024", "2025", "2026")), LABELS).set_index("claim_id")


def test_every_claim_has_a_verdict_a_reason_and_evidence(shipped) -> None:
    assert len(shipped) == 26
    assert shipped["verdict"].notna().all() and shipped["reason"].notna().all()
    testable = shipped["verdict"] != "unverifiable"
    assert shipped.loc[testable, "data_value"].notna().all()
    assert shipped.loc[testable, "data_reference"].notna().all()
    assert shipped.loc[shipped["claim_located"], "url"].notna().all()


def test_usgs_claims_are_decided_by_the_current_edition(shipped) -> None:
    assert shipped.at["C02", "verdict"] == "consistent"
    assert shipped.at["C02", "decided_by"] == "MCS 2026"
    assert shipped.at["C02", "data_value"] == "3,800,000 t"
    assert shipped.at["C24", "verdict"] == "outdated"  # 110 Mt is MCS 2024's world total
    assert "agrees with MCS 2024" in shipped.at["C24", "reason"]
    assert shipped.at["C01", "verdict"] == "inconsistent"
    assert shipped.at["C01", "data_value"] == "at most 4.5% of world reserves"  # a share of a lower bound
    assert shipped.at["C05", "data_value"] == "69.2% of world mine production"


def test_trade_claims_are_decided_by_the_trade_statistics(shipped) -> None:
    assert shipped.at["C13", "data_value"] == "US$ 68.7 bn"  # 4,881.30 + 63,811.44 US$ mn
    assert shipped.at["C14", "data_value"] == "US$ 58.9 bn"  # 63,811.44 - 4,881.30
    assert shipped.loc[["C13", "C14", "C17"], "verdict"].eq("consistent").all()
    assert shipped.at["C13", "decided_by"] == "India's trade statistics (vintage 2026-11-22)"


def test_claims_without_a_rule_keep_their_recorded_verdict(shipped) -> None:
    recorded = report.load("claims-ledger", vintage=LEDGER).set_index("claim_id")
    for claim in ("C03", "C04", "C22"):
        assert shipped.at[claim, "verdict"] == recorded.at[claim, "verdict"]
        assert shipped.at[claim, "decided_by"] == "the cited source"


def test_the_repm_outlay_quoted_word_for_word_is_consistent(shipped) -> None:
    assert shipped.at["C18", "verdict"] == "consistent"
    assert "word for word" in shipped.at["C18", "reason"]


def _new_edition(russia_reserves: float, world_reserves: float) -> pd.DataFrame:
    """An edition after 2026: the MCS 2026 rows renumbered, with new rare-earth reserves."""
    newer = report.load(USGS, vintage="2026").assign(edition=2027)
    reserves = (newer["commodity"] == "rare-earths") & (newer["measure"] == "reserves")
    newer.loc[reserves & (newer["country_iso3"] == "RUS"), "value"] = russia_reserves
    world = reserves & (newer["country_iso3"] == "WLD")
    newer.loc[world, "value"] = world_reserves
    newer.loc[world, "marker"] = pd.NA
    return newer


def test_a_new_edition_flips_verdicts() -> None:
    usgs = _editions("2024", "2025", "2026")
    usgs = pd.concat([usgs, _new_edition(4_600_000, 110_000_000)], ignore_index=True)
    usgs.attrs["vintage"] = "2024, 2025, 2026, 2027"
    ledger = report.load("claims-ledger", vintage=LEDGER)
    flipped = recompute(ledger, _series(usgs), LABELS).set_index("claim_id")
    assert flipped.at["C02", "verdict"] == "outdated"  # 3.8 Mt was right until MCS 2026
    assert flipped.at["C02", "decided_by"] == "MCS 2027"
    assert flipped.at["C02", "data_value"] == "4,600,000 t"
    assert "agrees with MCS 2025, MCS 2026" in flipped.at["C02", "reason"]
    assert flipped.at["C24", "verdict"] == "consistent"  # the new world total is 110 Mt again
    assert flipped.at["C01", "data_value"] == "4.2% of world reserves"  # no longer a share of a bound


def test_a_figure_the_current_edition_lacks_makes_the_claim_unverifiable() -> None:
    usgs = pd.concat([_editions("2025", "2026"), _new_edition(float("nan"), 110_000_000)], ignore_index=True)
    ledger = report.load("claims-ledger", vintage=LEDGER)
    assert recompute(ledger, _series(usgs), LABELS).set_index("claim_id").at["C02", "verdict"] == "unverifiable"


@pytest.mark.parametrize(
    ("claimed", "data", "comparator", "tolerance", "expected"),
    [("3800000", 3_800_000, "equal", 0, True), ("68", 68.69, "equal", 0.02, True), ("68", 68.69, "equal", 0.005, False),
     ("85-95", 69.2, "within", 0, False), ("85-95", 91, "within", 0, True), ("90", 92, "at_least", 0, True),
     ("90", 88, "at_least", 0, False), ("90", 88, "at_most", 0, True)],
)
def test_comparators(claimed: str, data: float, comparator: str, tolerance: float, expected: bool) -> None:
    assert holds(parse_claimed(claimed), data, comparator, tolerance) is expected


def test_malformed_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="not a selector"):
        parse_selector("commodity rare-earths")
    ledger = report.load("claims-ledger", vintage=LEDGER)
    broken = ledger.assign(check_comparator=ledger["check_comparator"].where(ledger["claim_id"] != "C02", "about"))
    with pytest.raises(ValueError, match="claim C02: unknown comparator 'about'"):
        recompute(broken, _series(_editions("2026")), LABELS)
    silent = ledger.assign(verdict=ledger["verdict"].where(ledger["claim_id"] != "C03", None))
    with pytest.raises(ValueError, match="claim C03 has neither a recorded verdict nor a rule"):
        recompute(silent, _series(_editions("2026")), LABELS)
