"""The whole promise: fresh data published by the real refresh commands reach every page.

In a temporary copy of the repository, a new USGS edition (in the newest layout, the flat
``MCS<edition>_Commodities_Data.csv``, cut from the MCS 2026 release with planted values) and a
Comtrade vintage are published and pinned through ``mineral-report refresh`` against a stand-in
publisher on 127.0.0.1; the book is built once; the landing page, the reserves and trade chapters
and the claims ledger must show the planted values, and the copy's own unit tests must pass.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mineral_report.data.manifest import read_manifest
from mineral_report.refresh import comtrade

from ..conftest import DATA, REPO
from ..unit.publisher_server import PublisherServer, Reply, Request
from ..unit.test_refresh import answer, record

USGS = "usgs-mcs-world"
CUT = REPO / "tests" / "fixtures" / "usgs" / "MCS2026_Commodities_Data_cut.csv"
ITEM = "6a0c0ffee0000000000f2e5a"
EDITION = 1 + max(r.edition or 0 for r in read_manifest(DATA).resources if r.dataset == USGS)
RARE_EARTHS = "RARE EARTHS,World Mine Production and Reserves,Rare Earths,"
# Planted in the new edition: Russia's and China's rare-earth reserves, China's latest output.
PLANTED = {
    f"{RARE_EARTHS}Russia,Reserves,Reserves,metric tons,": ("3,800,000", "4,600,000"),
    f"{RARE_EARTHS}China,Reserves,Reserves,metric tons,": ("44,000,000", "46,000,000"),
    f"{RARE_EARTHS}China,Production,Mine production,metric tons,2025,": ("270,000", "300,000"),
}
RUSSIAN_ITEM, RUSSIAN_VALUE = "2846", 7_770_000.0  # the planted largest item from Russia
YEARS = "2024-2025"


def new_edition_release() -> bytes:
    """The rare-earths world table of the MCS 2026 cut as the next edition's release.

    Every year is one later and the planted values are in place; bytes stay Windows-1252 with
    CRLF line ends, as USGS publishes them.
    """
    lines = CUT.read_bytes().decode("cp1252").split("\r\n")
    shifted = [lines[0]]
    for line in (line for line in lines[1:] if line.startswith(RARE_EARTHS)):
        for prefix, (old, new) in PLANTED.items():
            if line.startswith(prefix):
                assert f'"{old}"' in line, line
                line = line.replace(f'"{old}"', f'"{new}"', 1)
        shifted.append(re.sub(r",(20\d\d),", lambda m: f",{int(m.group(1)) + 1},", line, count=1))
    return "\r\n".join(shifted).encode("cp1252")


def comtrade_answer(request: Request) -> Reply:
    """Comtrade's preview answers: a record per asked code and partner; one planted Russian item."""
    year = request.query["period"]
    records = []
    for code in request.query["cmdCode"].split(","):
        for partner in request.query["partnerCode"].split(","):
            planted = partner == "643" and code == RUSSIAN_ITEM
            records.append(record(year, code, partner, RUSSIAN_VALUE if planted else 1000.0))
    return answer(records)


def grade_stand_in(data_dir: Path, host: str) -> None:
    """Grade the stand-in publisher like the publishers it stands for, as a new register vintage.

    The refreshes cite the address they read, and the book refuses an ungraded address.
    """
    found = read_manifest(data_dir)
    pinned = found.resolve("source-hosts")
    vintage = f"{pinned.vintage}-stand-in"
    relative = f"{Path(pinned.path).parent.parent.as_posix()}/{vintage}/{Path(pinned.path).name}"
    text = (data_dir / pinned.path).read_text(encoding="utf-8")
    ending = "\r\n" if "\r\n" in text else "\n"
    content = (text + f"{host},Stand-in publisher for the test of fresh data,primary,the publishers' own data"
               + ending).encode("utf-8")  # fmt: skip
    (data_dir / relative).parent.mkdir(parents=True)
    (data_dir / relative).write_bytes(content)
    raw = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    entry = {**pinned.raw, "name": f"source-hosts-{vintage}", "vintage": vintage, "path": relative,
             "hash": "sha256:" + hashlib.sha256(content).hexdigest()}  # fmt: skip
    raw["resources"].append(entry)
    raw["pinned"]["source-hosts"] = vintage
    (data_dir / "datapackage.json").write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def copy_repository(target: Path) -> None:
    """The tracked files of the repository (a build never sees local leftovers)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def text_of(page: Path) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("fresh") / "report"
    copy_repository(copy)
    bin_dir = Path(sys.executable).parent
    publisher = PublisherServer()
    publisher.start()
    grade_stand_in(copy / "data", "127.0.0.1")
    release = f"MCS{EDITION}_Commodities_Data.csv"
    files = [{"name": release, "url": f"{publisher.url}/files/{release}"}]
    publisher.on(f"/catalog/item/{ITEM}", Reply(200, json.dumps({"id": ITEM, "files": files}).encode()))
    publisher.on(f"/files/{release}", Reply(200, new_edition_release(), {"Content-Type": "text/csv"}))
    publisher.on_call(comtrade.PREVIEW_PATH, comtrade_answer)
    env = {k: v for k, v in os.environ.items() if k not in {"MINERAL_REPORT_DATA", "COMTRADE_API_KEY"}}
    env.update(
        PYTHONPATH=str(copy / "src"), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        SCIENCEBASE_BASE_URL=publisher.url, COMTRADE_BASE_URL=publisher.url,
    )  # fmt: skip
    cli = [sys.executable, "-m", "mineral_report"]
    try:
        run([*cli, "refresh", "usgs", "--edition", str(EDITION), "--item", ITEM, "--pin"], copy, env)
        run([*cli, "refresh", "comtrade", "--years", YEARS, "--pin"], copy, env)
    finally:
        publisher.stop()
    run([*cli, "validate"], copy, env)
    run([str(bin_dir / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"], copy, env, timeout=900)
    return copy


def test_the_refresh_pins_the_new_edition_and_the_comtrade_vintage(refreshed) -> None:
    found = read_manifest(refreshed / "data")
    assert found.series[USGS][-1] == f"{EDITION}-release"
    assert found.series[USGS][:-1] == read_manifest(DATA).series[USGS]
    assert comtrade.DATASET in found.pinned


def test_the_landing_page_shows_the_new_edition(refreshed) -> None:
    pasted = re.findall(r'<span class="pasted-text">([^<]*)</span>',
                        (refreshed / "_build/html/index.html").read_text(encoding="utf-8"))
    assert "4.6" in pasted and str(EDITION) in pasted  # Russia's planted reserves, in the current edition
    assert "72" in pasted  # China's share of mine production from its planted output


def test_the_reserves_chapter_shows_the_planted_values(refreshed) -> None:
    text = text_of(refreshed / "_build/html/chapters/02-reserves-production.html")
    assert f"which MCS {EDITION} revises to 4.6 million tonnes" in text
    assert f"China’s stand at 46 million tonnes in MCS {EDITION}" in text
    mined = re.search(rf"In {EDITION - 1} China mined (\d+) ?%", text)
    assert mined and int(mined.group(1)) == 72  # the planted 300,000 t over the countries' sum, 416,410 t


def test_the_trade_chapter_shows_the_comtrade_vintage(refreshed) -> None:
    text = text_of(refreshed / "_build/html/chapters/03-trade-flows.html")
    assert "does not yet carry" not in text
    assert f"The largest item India bought from Russia was HS {RUSSIAN_ITEM}" in text
    assert "In 2025, the latest year in the series" in text


def test_the_claims_ledger_is_decided_by_the_new_edition(refreshed) -> None:
    text = text_of(refreshed / "_build/html/chapters/06-claims.html")
    assert f"MCS {EDITION} gives 4,600,000 t; the claim does not agree with it" in text  # C02: 3.8 Mt
    assert f"the current edition, MCS {EDITION}" in text


def test_the_suite_holds_on_the_refreshed_copy(refreshed) -> None:
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k != "MINERAL_REPORT_DATA"}
    env.update(PYTHONPATH=str(refreshed / "src"))
    run([str(bin_dir / "pytest"), "tests/unit", "tests/site/test_pdf_and_findings.py::test_summary_findings_equal_the_values_the_package_computes",
         "-q", "-p", "no:cacheprovider"], refreshed, env, timeout=600)  # fmt: skip
