"""The trade chapter's Comtrade section, computed on a small planted vintage in a copy of data/.

The planted figures are chosen so every rule shows: a heading counted without its own
subheadings, a code shared by three minerals counted once in the basket, a missing weight
left missing, a partner with no record counted as no imports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from mineral_report import load
from mineral_report.charts.trade import comtrade_basket_chart, comtrade_minerals_chart, comtrade_shares_chart
from mineral_report.refresh import comtrade
from mineral_report.refresh.vintage import NewVintage, csv_bytes, publish
from mineral_report.trade import (
    COMTRADE_MISSING,
    COMTRADE_MISSING_HEADLINE,
    comtrade_basket_imports,
    comtrade_findings,
    comtrade_items_table,
    comtrade_mineral_imports,
    comtrade_mineral_table,
    comtrade_shares,
    comtrade_top_items,
    counted_codes,
    pinned_comtrade,
)

VINTAGE = "2027-01-15"
# (year, partner, HS code, US$, kg or None)
PLANTED = [
    (2024, "WLD", "2846", 100e6, 1_000_000), (2024, "RUS", "2846", 10e6, 50_000),
    (2024, "CHN", "2846", 60e6, 700_000),
    (2024, "WLD", "284610", 40e6, 400_000),  # inside heading 2846: never added to it
    (2024, "WLD", "280530", 20e6, None), (2024, "CHN", "280530", 15e6, 9_000),
    (2024, "WLD", "7502", 200e6, 20_000_000), (2024, "RUS", "7502", 150e6, 15_000_000),
    (2024, "WLD", "811292", 30e6, 1_000), (2024, "CHN", "811292", 27e6, 900),  # gallium, germanium, vanadium
    (2024, "WLD", "2701", 1000e6, 9e9), (2024, "RUS", "2701", 300e6, 3e9),
    (2024, "WLD", "270112", 900e6, 8e9),  # inside heading 2701
    (2023, "WLD", "2846", 50e6, 600_000), (2023, "RUS", "2846", 1e6, 10_000),
    (2023, "CHN", "2846", 40e6, 500_000),
]  # fmt: skip


def planted_rows() -> list[dict[str, str]]:
    return [
        {
            "calendar_year": str(year), "partner_iso3": partner, "hs_code": code,
            "hs_description": f"Planted goods of HS {code}", "classification": "H6", "flow": "import",
            "trade_value_usd": str(int(usd)), "net_weight_kg": "" if kg is None else str(int(kg)),
            "qty": "", "qty_unit": "", "is_qty_estimated": "", "is_net_weight_estimated": "false",
        }
        for year, partner, code, usd, kg in PLANTED
    ]  # fmt: skip


def publish_planted(data_dir: Path, pin: bool) -> None:
    new = NewVintage(
        dataset=comtrade.DATASET,
        vintage=VINTAGE,
        path=f"{comtrade.SOURCE_FOLDER}/{VINTAGE}/{comtrade.FILE_NAME}",
        content=csv_bytes(planted_rows(), comtrade.COLUMNS),
        title="Planted Comtrade vintage for tests",
        description="Planted values, not data",
        sources=({"publisher": "Test", "title": "Planted values"},),
        licenses=({"name": "none", "title": "test data"},),
        schema=comtrade.SCHEMA,
    )
    publish(data_dir, new, pin=pin, accessed=date(2027, 1, 15))


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from ..conftest import DATA

    target = tmp_path_factory.mktemp("planted") / "data"
    shutil.copytree(DATA, target)
    publish_planted(target, pin=True)
    return target


@pytest.fixture(scope="module")
def planted(planted_dir: Path) -> pd.DataFrame:
    found = pinned_comtrade(planted_dir)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def concordance(planted_dir: Path) -> pd.DataFrame:
    return load("critical-mineral-hs-concordance", data_dir=planted_dir)


def test_a_pinned_vintage_is_read_and_an_unpinned_one_is_not(data_copy, planted) -> None:
    assert planted.attrs["vintage"] == VINTAGE
    assert len(planted) == len(PLANTED)
    before = pinned_comtrade(data_copy)  # none in the shipped data; the latest pinned after a refresh
    publish_planted(data_copy, pin=False)
    after = pinned_comtrade(data_copy)
    assert (after is None and before is None) or after.attrs["vintage"] == before.attrs["vintage"]


def test_without_a_pinned_vintage_the_finding_says_so_in_plain_words(concordance) -> None:
    assert comtrade_findings(None, concordance) == {
        "comtrade_finding": COMTRADE_MISSING, "comtrade_headline": COMTRADE_MISSING_HEADLINE, "comtrade_items_lead": "",
    }  # fmt: skip
    for text in (COMTRADE_MISSING, COMTRADE_MISSING_HEADLINE):
        assert "does not yet carry" in text
        assert "refresh" not in text and "make" not in text and "vintage" not in text


def test_a_heading_is_counted_without_its_own_subheadings() -> None:
    assert counted_codes(["2846", "284610", "284690", "280530", "7502", "750210", "811292"]) == [
        "280530", "2846", "7502", "811292",
    ]  # fmt: skip


def test_mineral_totals_and_shares_are_the_planted_ones(planted, concordance) -> None:
    imports = comtrade_mineral_imports(planted, concordance).set_index(["mineral", "calendar_year", "partner_iso3"])
    rare_earths = imports.loc[("rare earths", 2024)]
    assert rare_earths.at["WLD", "imports_usd"] == 120e6  # 2846 + 280530, not 284610
    assert rare_earths.at["CHN", "imports_usd"] == 75e6
    assert pd.isna(rare_earths.at["WLD", "imports_t"])  # 280530 has no weight: no total weight
    assert rare_earths.at["CHN", "imports_t"] == 709
    assert imports.at[("coal", 2024, "WLD"), "imports_usd"] == 1000e6  # 270112 is inside 2701
    assert imports.at[("coal", 2024, "RUS"), "imports_t"] == 3e6
    for mineral in ("gallium", "germanium", "vanadium"):
        assert imports.at[(mineral, 2024, "CHN"), "imports_usd"] == 27e6
        assert bool(imports.at[(mineral, 2024, "CHN"), "shared"])

    shares = comtrade_shares(imports.reset_index()).set_index(["mineral", "calendar_year"])
    assert shares.at[("rare earths", 2024), "rus_share"] == pytest.approx(100 / 12)
    assert shares.at[("rare earths", 2024), "chn_share"] == pytest.approx(62.5)
    assert shares.at[("rare earths", 2023), "rus_share"] == pytest.approx(2.0)
    assert shares.at[("nickel", 2024), "chn_share"] == 0  # no record from China: none reported
    assert shares.at[("nickel", 2024), "rus_share"] == pytest.approx(75.0)
    assert shares.attrs["vintage"] == VINTAGE and "Planted values" in shares.attrs["source"]


def test_the_basket_counts_each_code_once(planted, concordance) -> None:
    basket = comtrade_basket_imports(planted, concordance).set_index(["calendar_year", "partner_iso3"])
    assert basket.at[(2024, "WLD"), "imports_usd"] == 1350e6  # 811292 once, not for three minerals
    assert basket.at[(2024, "RUS"), "imports_usd"] == 460e6
    assert basket.at[(2024, "CHN"), "imports_usd"] == 102e6


def test_the_largest_items_from_russia(planted, concordance) -> None:
    items = comtrade_top_items(planted, concordance, "RUS", 2024)
    assert list(items["hs_code"]) == ["2701", "7502", "2846"]
    assert list(items["share_of_india_imports"]) == pytest.approx([30.0, 75.0, 10.0])
    assert items.at[0, "minerals"] == "coal"
    table = comtrade_items_table(items)
    assert table.at["7502", "US$ million"] == "150"
    assert table.at["2846", "tonnes"] == "50"


def test_the_findings_are_computed_from_the_vintage(planted, concordance) -> None:
    found = comtrade_findings(planted, concordance)
    assert found["comtrade_latest_year"] == 2024
    assert found["comtrade_first_year"] == 2023
    assert found["comtrade_basket_world_usd_bn"] == pytest.approx(1.35)
    assert found["comtrade_basket_rus_share"] == pytest.approx(460 / 1350 * 100)
    assert found["comtrade_basket_chn_share"] == pytest.approx(102 / 1350 * 100)
    assert found["comtrade_basket_rus_share_first"] == pytest.approx(2.0)
    assert found["comtrade_top_rus_code"] == "2701"
    assert found["comtrade_top_rus_usd_mn"] == pytest.approx(300)
    assert found["comtrade_n_minerals"] == 6  # rare earths, nickel, gallium, germanium, vanadium, coal
    assert found["comtrade_n_minerals_rus_above_chn"] == 2  # nickel and coal
    assert found["comtrade_headline"] == (
        "In 2024, Russia supplied 34.1% and China 7.6% of the US$ 1.4 billion of critical-mineral goods "
        "India imported, by UN Comtrade's records."
    )
    text = found["comtrade_finding"]
    assert text.startswith("In 2024, the latest year in the series, India imported US$ 1.4 billion")
    assert "Russia supplied 34.1% of that value and China 7.6%" in text
    assert "In 2023, Russia's share was 2.0%" in text
    assert "The largest mineral by value was coal, at US$ 1.0 billion." in text
    assert "HS 2701 (Planted goods of HS 2701), at US$ 300.0 million" in text
    assert "Of the 6 minerals India imported in 2024, Russia's share was larger than China's for 2." in text


def test_the_reader_table_says_what_is_missing(planted, concordance) -> None:
    table = comtrade_mineral_table(comtrade_mineral_imports(planted, concordance), 2024)
    assert table.at["rare earths", "from the world, US$ million"] == "120"
    assert table.at["rare earths", "Russia's share, %"] == "8.3"
    assert table.at["rare earths", "from the world, tonnes"] == "not reported"
    assert table.at["nickel", "from China, US$ million"] == "none reported"
    assert table.at["nickel", "China's share, %"] == "0"
    assert table.at["gallium", "from Russia, tonnes"] == "none reported"
    assert not table.isna().any().any()
    assert "nan" not in table.to_string().lower()


def test_the_charts_carry_the_vintage_and_the_planted_series(planted, concordance) -> None:
    imports = comtrade_mineral_imports(planted, concordance)
    charts = {
        "shares": comtrade_shares_chart(comtrade_shares(imports), 2024).to_dict(),
        "basket": comtrade_basket_chart(comtrade_basket_imports(planted, concordance)).to_dict(),
        "minerals": comtrade_minerals_chart(imports).to_dict(),
    }
    for spec in charts.values():
        assert f"(vintage {VINTAGE})" in spec["usermeta"]["source"]
        assert spec["description"] and spec["title"]["subtitle"]

    def rows(spec: dict) -> list[dict]:
        return next(iter(spec["datasets"].values()))

    shares = {(r["mineral"], r["partner"]): r["share_percent"] for r in rows(charts["shares"])}
    assert len(shares) == 12  # six minerals imported in 2024, two partners
    assert shares[("nickel", "Russia")] == pytest.approx(75.0)
    basket = {(r["calendar_year"], r["partner"]): r["imports_usd_mn"] for r in rows(charts["basket"])}
    assert basket == {(2023, "Russia"): 1, (2023, "China"): 40, (2024, "Russia"): 460, (2024, "China"): 102}
    grid = rows(charts["minerals"])
    assert {r["partner"] for r in grid} == {"Russia", "China", "World"}
    assert {"imports_usd_mn", "imports_t", "calendar_year"} <= set(grid[0])


def test_the_chapter_shows_the_planted_series_when_it_is_pinned(planted_dir, monkeypatch) -> None:
    """The trade chapter, run on the copy with the planted vintage pinned, glues and draws it."""
    import nbformat
    from nbclient import NotebookClient

    from ..conftest import REPO

    chapter = REPO / "chapters" / "03-trade-flows.ipynb"
    monkeypatch.setenv("MINERAL_REPORT_DATA", str(planted_dir))
    notebook = nbformat.read(chapter, as_version=4)
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(chapter.parent)}}).execute()

    glued = {
        output["metadata"]["scrapbook"]["name"]: output["data"]["application/papermill.record/text/plain"]
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", []) if "scrapbook" in output.get("metadata", {})
    }  # fmt: skip
    assert float(glued["comtrade_basket_rus_share"]) == pytest.approx(460 / 1350 * 100)
    assert glued["comtrade_latest_year"] == "2024"
    assert "Russia supplied 34.1% of that value and China 7.6%" in glued["comtrade_finding"]
    drawn = [
        " ".join(output["data"]["application/vnd.vegalite.v6+json"]["title"]["text"])
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", []) if "application/vnd.vegalite.v6+json" in output.get("data", {})
    ]  # fmt: skip
    assert "China supplies more than Russia for 4 of 6 basket minerals, Russia for 2 Shares of India's imports, 2024" in drawn
    assert "India's critical-mineral imports from Russia: US$ 1 million in 2023, US$ 460 million in 2024" in drawn
    assert "India's imports of each basket mineral from Russia, China and the world" in drawn
