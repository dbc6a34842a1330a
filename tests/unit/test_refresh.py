"""Refreshing from UN Comtrade: a new validated vintage, or an error and data/ untouched.

Every test talks to a stand-in server on 127.0.0.1; nothing here reaches a real API.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mineral_report import load
from mineral_report.cli import main
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all
from mineral_report.refresh import RefreshError, comtrade, vintage
from mineral_report.refresh.comtrade import ComtradeClient
from mineral_report.refresh.http import HttpClient, redact_url

from ..conftest import digests, free_vintages
from .publisher_server import (  # noqa: F401 (publisher is a fixture)
    PublisherServer,
    Reply,
    Request,
    closed_port,
    publisher,
)

TODAY = date(2027, 1, 15)
NEW_FILE = "comtrade/2027-01-15/india_imports_by_hs.csv"
FAKE_KEY = "test-key-9f8e7d6c5b4a"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "comtrade"
RECORDED = json.loads((FIXTURES / "preview-chn-2846-cut.json").read_text(encoding="utf-8"))
KEYED_ANSWER = json.loads((FIXTURES / "comtradr-HS-60a6ad.json").read_text(encoding="utf-8"))
PARTNER_NAMES = {"643": ("RUS", "Russian Federation"), "156": ("CHN", "China"), "0": ("W00", "World")}
REAL_FIELDS = 47


def basket(data_dir: Path) -> list[str]:
    codes = load("critical-mineral-hs-concordance", data_dir=data_dir)["hs_code"]
    return sorted(set(codes))


def as_india(recorded: dict[str, Any], partner: str = "0", **changes: Any) -> dict[str, Any]:
    """A recorded real record with India as reporter: every other field keeps its real shape."""
    iso, name = PARTNER_NAMES[partner]
    return {
        **recorded, "reporterCode": 699, "reporterISO": "IND", "reporterDesc": "India",
        "partnerCode": int(partner), "partnerISO": iso, "partnerDesc": name, **changes,
    }  # fmt: skip


def record(year: str, code: str, partner: str, value: float = 1000.0) -> dict[str, Any]:
    """One record in the layout of Comtrade's JSON answers, cut from a recorded one (all 47 fields)."""
    return as_india(
        RECORDED["2024"]["data"][0], partner,
        refPeriodId=int(f"{year}0101"), refYear=int(year), period=year, cmdCode=code,
        cmdDesc=f"Goods of HS {code}", aggrLevel=len(code), isLeaf=len(code) == 6, qty=250.0,
        netWgt=250.0 if partner != "156" else None, cifvalue=value, primaryValue=value,
    )  # fmt: skip


def answer(records: list[dict[str, Any]]) -> Reply:
    body = {"elapsedTime": "0.1 secs", "count": len(records), "data": records, "error": ""}
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


def every_code(request: Request) -> Reply:
    """What Comtrade answers: a record per asked code and partner for the asked year."""
    year = request.query["period"]
    return answer(
        [
            record(year, code, partner)
            for code in request.query["cmdCode"].split(",")
            for partner in request.query["partnerCode"].split(",")
        ]
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(publisher: PublisherServer, sleeps: list[float]) -> ComtradeClient:
    http = HttpClient(timeout=0.5, attempts=3, backoff_seconds=0.0, max_wait_seconds=2.0, sleep=sleeps.append)
    return ComtradeClient(base_url=publisher.url, http=http)



def refresh_fails(data_dir: Path, client: ComtradeClient, years: list[int] | None = None) -> str:
    with pytest.raises(RefreshError) as raised:
        comtrade.refresh(data_dir, years or [2024], pin=True, client=client, today=TODAY)
    return str(raised.value)


# -- the happy path ------------------------------------------------------------------------


def test_refresh_writes_a_validated_vintage_listed_but_not_pinned(data_copy, publisher, client) -> None:
    problems_before = [str(p) for p in validate_all(read_manifest(data_copy))]
    pinned_before = read_manifest(data_copy).pinned.get(comtrade.DATASET)
    files_before = digests(data_copy)
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)

    resource = comtrade.refresh(data_copy, [2023, 2024], pin=False, client=client, today=TODAY)

    assert resource.path == NEW_FILE
    found = read_manifest(data_copy)
    assert found.by_name("india-imports-by-hs-comtrade-2027-01-15").vintage == "2027-01-15"
    assert found.pinned.get(comtrade.DATASET) == pinned_before  # not pinned without --pin
    assert [str(p) for p in validate_all(found)] == problems_before
    changed = {path for path, digest in digests(data_copy).items() if files_before.get(path) != digest}
    assert changed == {NEW_FILE, "datapackage.json"}

    table = load(comtrade.DATASET, vintage="2027-01-15", data_dir=data_copy)
    codes = basket(data_copy)
    assert len(table) == 2 * len(codes) * 3
    assert set(table["partner_iso3"]) == {"RUS", "CHN", "WLD"}
    assert set(table["calendar_year"]) == {2023, 2024}
    assert table["net_weight_kg"].isna().sum() == 2 * len(codes)  # China's records carry none
    assert "CALENDAR years" in resource.raw["description"]
    assert resource.sources[0]["retrieved"] == "2027-01-15"

    assert len(publisher.requests) == 2
    for request in publisher.requests:
        assert request.query["reportercode"] == "699"
        assert request.query["partnerCode"] == "643,156,0"
        assert request.query["flowCode"] == "M"
        assert request.query["maxRecords"] == "500"
        assert request.query["breakdownMode"] == "classic"
        assert request.query["cmdCode"].split(",") == codes


def test_pin_makes_the_book_use_the_new_vintage(data_copy, publisher, client) -> None:
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    comtrade.refresh(data_copy, [2024], pin=True, client=client, today=TODAY)
    assert read_manifest(data_copy).pinned[comtrade.DATASET] == "2027-01-15"
    assert load(comtrade.DATASET, data_dir=data_copy).attrs["vintage"] == "2027-01-15"


def test_an_answer_of_max_records_rows_is_split_until_it_cannot_be_cut(data_copy, publisher, client) -> None:
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    client.max_records = 6  # two codes x three partners fill an answer: each pair is asked again

    comtrade.refresh(data_copy, [2024], pin=False, client=client, today=TODAY)

    table = load(comtrade.DATASET, vintage="2027-01-15", data_dir=data_copy)
    assert len(table) == len(basket(data_copy)) * 3
    asked = [request.query["cmdCode"].split(",") for request in publisher.requests]
    assert max(len(codes) for codes in asked) == 2
    assert any(len(codes) == 1 for codes in asked)


@pytest.mark.parametrize(("retry_after", "expected_wait"), [("0", 0.0), ("3600", 2.0)])
def test_rate_limit_is_retried_after_the_servers_wait_capped(
    data_copy, publisher, client, sleeps, retry_after, expected_wait
) -> None:
    calls: list[int] = []

    def limited_once(request: Request) -> Reply:
        calls.append(1)
        if len(calls) == 1:
            return Reply(429, b"Too many requests", {"Retry-After": retry_after})
        return every_code(request)

    publisher.on_call(comtrade.PREVIEW_PATH, limited_once)
    comtrade.refresh(data_copy, [2024], pin=False, client=client, today=TODAY)
    assert sleeps == [expected_wait]
    assert (data_copy / NEW_FILE).is_file()


# -- every fault leaves data/ as it was --------------------------------------------------


def test_server_errors_fail_after_bounded_retries(untouched, publisher, client, sleeps) -> None:
    publisher.on(comtrade.PREVIEW_PATH, Reply(503, b"upstream down"))
    message = refresh_fails(untouched, client)
    assert "HTTP 503" in message and "after 3 attempts" in message
    assert len(publisher.requests) == 3
    assert len(sleeps) == 2


def test_a_server_slower_than_the_timeout_fails(untouched, publisher, client) -> None:
    publisher.on(comtrade.PREVIEW_PATH, Reply(200, b"{}", delay=1.0))
    client.http.attempts = 2
    started = time.monotonic()
    message = refresh_fails(untouched, client)
    assert "no answer within 0.5 s" in message
    assert time.monotonic() - started < 3


def test_a_truncated_body_is_named(untouched, publisher, client) -> None:
    publisher.on(comtrade.PREVIEW_PATH, Reply(200, b'{"count": 3, "data": [{"cmdCode": ', declared_length=4000))
    assert "truncated response" in refresh_fails(untouched, client)


def test_a_body_that_is_not_json_is_named(untouched, publisher, client) -> None:
    publisher.on(comtrade.PREVIEW_PATH, Reply(200, b"<html><body>Service Unavailable</body></html>"))
    message = refresh_fails(untouched, client)
    assert "is not valid JSON" in message and "Service Unavailable" in message


def test_changed_columns_are_named(untouched, publisher, client) -> None:
    def without_weight(request: Request) -> Reply:
        reply = json.loads(every_code(request).body)
        for item in reply["data"]:
            del item["netWgt"], item["primaryValue"]
        return Reply(200, json.dumps(reply).encode())

    publisher.on_call(comtrade.PREVIEW_PATH, without_weight)
    message = refresh_fails(untouched, client)
    assert "lacks column(s) netWgt, primaryValue" in message


def test_an_empty_answer_is_an_error_not_an_empty_vintage(untouched, publisher, client) -> None:
    publisher.on(comtrade.PREVIEW_PATH, answer([]))
    assert "no records for India's imports in 2024" in refresh_fails(untouched, client)


def test_a_year_without_data_fails_the_whole_refresh(untouched, publisher, client) -> None:
    publisher.on_call(
        comtrade.PREVIEW_PATH,
        lambda request: answer([]) if request.query["period"] == "2025" else every_code(request),
    )
    assert "no records for India's imports in 2025" in refresh_fails(untouched, client, [2024, 2025])


def test_data_breaking_the_schema_are_refused_before_anything_is_written(untouched, publisher, client) -> None:
    def negative_value(request: Request) -> Reply:
        records = json.loads(every_code(request).body)["data"]
        records[4]["primaryValue"] = -5
        return answer(records)

    publisher.on_call(comtrade.PREVIEW_PATH, negative_value)
    message = refresh_fails(untouched, client)
    assert f"data/{NEW_FILE} fails validation" in message
    assert "trade_value_usd" in message and "below the minimum 0" in message


def test_an_existing_vintage_folder_is_never_replaced(data_copy, publisher, client) -> None:
    (data_copy / "comtrade" / "2027-01-15").mkdir(parents=True)
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    before = digests(data_copy)
    assert "already exists" in refresh_fails(data_copy, client)
    assert digests(data_copy) == before
    assert publisher.requests == []  # refused before asking


def test_a_failure_at_the_last_step_rolls_back(untouched, publisher, client, monkeypatch) -> None:
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)

    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vintage.os, "replace", disk_full)
    message = refresh_fails(untouched, client)
    assert "could not publish" in message and "No space left on device" in message


# -- the API key never leaks ------------------------------------------------------------


@pytest.fixture
def keyed_client(publisher: PublisherServer, monkeypatch, sleeps) -> ComtradeClient:
    monkeypatch.setenv(comtrade.API_KEY_ENV, FAKE_KEY)
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    return ComtradeClient.from_environment(HttpClient(timeout=0.5, attempts=2, backoff_seconds=0, sleep=sleeps.append))


@pytest.mark.parametrize("status", [401, 500])
def test_the_api_key_is_sent_as_a_header_and_never_shown(untouched, publisher, keyed_client, status) -> None:
    echo = json.dumps({"statusCode": status, "message": f"Invalid subscription key {FAKE_KEY}"})
    publisher.on(comtrade.KEYED_PATH, Reply(status, echo.encode()))

    message = refresh_fails(untouched, keyed_client)

    assert f"HTTP {status}" in message
    assert FAKE_KEY not in message
    request = publisher.requests[0]
    assert request.headers[comtrade.KEY_HEADER] == FAKE_KEY
    assert FAKE_KEY not in request.raw_path


def test_the_api_key_is_not_written_to_data(data_copy, publisher, keyed_client) -> None:
    publisher.on_call(comtrade.KEYED_PATH, every_code)
    comtrade.refresh(data_copy, [2024], pin=True, client=keyed_client, today=TODAY)
    assert (data_copy / NEW_FILE).is_file()
    for path in data_copy.rglob("*"):
        if path.is_file():
            assert FAKE_KEY.encode() not in path.read_bytes(), path


def test_a_key_in_a_url_is_redacted() -> None:
    url = f"https://comtradeapi.un.org/data/v1/get/C/A/HS?period=2024&subscription-key={FAKE_KEY}"
    shown = redact_url(url)
    assert FAKE_KEY not in shown
    assert "period=2024" in shown
    assert FAKE_KEY not in HttpClient().scrub(f"failed: {url}")


# -- the command line ---------------------------------------------------------------------


def test_offline_the_command_fails_fast_and_changes_nothing(untouched, monkeypatch, capsys) -> None:
    port = closed_port()
    monkeypatch.setenv(comtrade.BASE_URL_ENV, f"http://127.0.0.1:{port}")
    monkeypatch.delenv(comtrade.API_KEY_ENV, raising=False)
    started = time.monotonic()

    status = main(["--data-dir", str(untouched), "refresh", "comtrade", "--years", "2020-2024"])

    assert status != 0
    assert time.monotonic() - started < 5
    error = capsys.readouterr().err
    assert f"cannot reach 127.0.0.1:{port}" in error
    assert error.count("\n") == 1


def test_the_command_publishes_and_pins(data_copy, publisher, monkeypatch, capsys) -> None:
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    monkeypatch.delenv(comtrade.API_KEY_ENV, raising=False)
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    vintage_name = free_vintages(data_copy, comtrade.DATASET, date.today().isoformat())[0]

    status = main(["--data-dir", str(data_copy), "refresh", "comtrade", "--years", "2023-2024", "--pin"])

    assert status == 0
    assert f"data/comtrade/{vintage_name}/india_imports_by_hs.csv (pinned)" in capsys.readouterr().out
    assert read_manifest(data_copy).pinned[comtrade.DATASET] == vintage_name
    assert {r.query["period"] for r in publisher.requests} == {"2023", "2024"}


# -- real answers, as the API really gives them --------------------------------------------


def test_the_recorded_answers_carry_all_47_fields() -> None:
    recorded = [*KEYED_ANSWER["data"], *(r for year in RECORDED.values() for r in year["data"])]
    assert len(recorded) == 11
    assert {len(r) for r in recorded} == {REAL_FIELDS}
    assert {tuple(r) for r in recorded} == {tuple(KEYED_ANSWER["data"][0])}  # one layout, one order


def test_no_quantity_is_missing_not_a_unit_called_na() -> None:
    # The keyed answer: unit code -1, "N/A", qty null, netWgt null (all four records).
    keyed = [as_india(r, partner, cmdCode="2846") for r, partner in zip(KEYED_ANSWER["data"], "0 643 0 643".split())]
    # The preview answer of 1999: "N/A" with qty 0.0 — still no quantity, not zero of it.
    preview = [as_india(r, partner) for r, partner in zip(RECORDED["1999"]["data"], ("0", "643"))]

    rows = comtrade.to_rows(keyed + preview)  # the keyed answer's two exports are left out

    assert len(rows) == 4
    for row in rows:
        assert (row["qty"], row["qty_unit"], row["is_qty_estimated"]) == ("", "", "")
        assert row["net_weight_kg"] == ""
    values = {(row["calendar_year"], row["partner_iso3"]): row["trade_value_usd"] for row in rows}
    assert values == {
        ("1999", "RUS"): "13002", ("1999", "WLD"): "12989816",
        ("2010", "RUS"): "74251272075", ("2010", "WLD"): "6804128143",
    }  # fmt: skip
    assert {row["classification"] for row in rows} == {"H3", "H1"}


def test_a_quantity_in_a_unit_is_kept_as_reported() -> None:
    world, austria, belgium, russia = RECORDED["2024"]["data"]
    czechia = RECORDED["2012"]["data"][0]  # kg, qty 0.0 estimated, netWgt null

    rows = comtrade.to_rows([as_india(world), as_india(russia, "643"), as_india(czechia, "156")])

    by_year = {(row["calendar_year"], row["partner_iso3"]): row for row in rows}
    assert by_year[("2024", "WLD")] == {
        "calendar_year": "2024", "partner_iso3": "WLD", "hs_code": "2846",
        "hs_description": world["cmdDesc"], "classification": "H6", "flow": "import",
        "trade_value_usd": "1386613152", "net_weight_kg": "77025454.404", "qty": "77025454.404",
        "qty_unit": "kg", "is_qty_estimated": "true", "is_net_weight_estimated": "true",
    }  # fmt: skip
    assert by_year[("2024", "RUS")]["qty"] == "899017.346"
    assert (by_year[("2012", "CHN")]["qty"], by_year[("2012", "CHN")]["net_weight_kg"]) == ("0", "")


def test_a_replayed_real_answer_publishes_its_figures(data_copy, publisher, client) -> None:
    """Comtrade's own records, served as the API serves them, reach data/ unchanged."""
    world, _, _, russia = RECORDED["2024"]["data"]

    def recorded_2846(request: Request) -> Reply:
        wanted = request.query["cmdCode"].split(",")
        return answer([as_india(world), as_india(russia, "643")] if "2846" in wanted else [])

    publisher.on_call(comtrade.PREVIEW_PATH, recorded_2846)
    comtrade.refresh(data_copy, [2024], pin=True, client=client, today=TODAY)

    table = load(comtrade.DATASET, data_dir=data_copy).set_index("partner_iso3")
    assert table.at["WLD", "trade_value_usd"] == world["primaryValue"]
    assert table.at["RUS", "net_weight_kg"] == russia["netWgt"]
    assert table.at["RUS", "qty_unit"] == "kg"


# -- malformed values: one line naming the record and the field ----------------------------


@pytest.mark.parametrize(
    ("field", "bad", "said"),
    [
        ("primaryValue", "abc", "primaryValue is not a number"),
        ("primaryValue", FAKE_KEY, "primaryValue is not a number"),
        ("primaryValue", "1386613152.0", "primaryValue is not a number"),
        ("netWgt", [1, 2], "netWgt is not a number"),
        ("qty", "many", "qty is not a number"),
        ("qtyUnitAbbr", {"unit": "kg"}, "qtyUnitAbbr is not text"),
        ("isNetWgtEstimated", "yes", "isNetWgtEstimated is not true or false"),
        ("period", "20x4", "period is not a year"),
        ("cmdCode", "../../x", "cmdCode is not an HS code of 4 or 6 digits"),
    ],
)
def test_a_malformed_value_is_one_line_naming_record_and_field(field, bad, said) -> None:
    good = as_india(RECORDED["2024"]["data"][0])
    records = [good, as_india(RECORDED["2024"]["data"][3], "643", **{field: bad})]

    with pytest.raises(RefreshError) as raised:
        comtrade.to_rows(records)

    message = str(raised.value)
    assert message.startswith("Comtrade record 2 (")
    assert message.endswith(said)
    assert "partner RUS" in message
    assert "\n" not in message
    assert str(bad) not in message


def test_a_malformed_answer_fails_the_command_in_one_line_and_changes_nothing(
    untouched, publisher, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    monkeypatch.setenv(comtrade.API_KEY_ENV, FAKE_KEY)

    def echoes_the_key(request: Request) -> Reply:
        records = json.loads(every_code(request).body)["data"]
        records[4]["primaryValue"] = FAKE_KEY
        return answer(records)

    publisher.on_call(comtrade.KEYED_PATH, echoes_the_key)
    status = main(["--data-dir", str(untouched), "refresh", "comtrade", "--years", "2024"])

    assert status == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "Comtrade record 5 (year 2024, partner" in error and "primaryValue is not a number" in error
    assert FAKE_KEY not in error and "Traceback" not in error
