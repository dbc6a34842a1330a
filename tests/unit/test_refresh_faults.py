"""Refresh and data under faults: concurrent and killed publishes, endless or slow answers,
redirects, leaked keys, hostile arguments and broken manifests.

Everything runs on a copy of data/ in a temporary folder, against servers on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mineral_report.cli import main
from mineral_report.data.manifest import MANIFEST_NAME, read_manifest
from mineral_report.data.validate import PUBLISH_JOURNAL, validate_all
from mineral_report.refresh import RefreshError, comtrade, vintage
from mineral_report.refresh.commands import parse_years
from mineral_report.refresh.comtrade import ComtradeClient
from mineral_report.refresh.http import HttpClient
from mineral_report.refresh.usgs import ScienceBaseClient
from mineral_report.refresh.vintage import AlreadyPublished, NewVintage

from ..conftest import REPO, digests, free_vintages
from .publisher_server import PublisherServer, Reply, publisher  # noqa: F401
from .test_refresh import every_code

KEY = "k3y-0f-the-tests-5b4a39"
ITEM = "5f0c0ffee0000000000c0de1"
SCHEMA = {
    "fields": [{"name": "n", "type": "integer", "constraints": {"required": True}}],
    "primaryKey": ["n"],
}


def new_vintage(
    vintage_name: str = "2027-01-15",
    rows: int = 2,
    dataset: str = "fault-test",
    edition: int | None = None,
) -> NewVintage:
    return NewVintage(
        dataset=dataset,
        vintage=vintage_name,
        path=f"{dataset}/{vintage_name}/numbers.csv",
        content=("n\n" + "".join(f"{i}\n" for i in range(rows))).encode(),
        title="Numbers",
        description="Rows for the fault tests",
        sources=({"publisher": "Tests", "title": "Numbers"},),
        licenses=({"name": "CC0-1.0"},),
        schema=SCHEMA,
        edition=edition,
    )


def problems(data_dir: Path) -> list[str]:
    return [str(p) for p in validate_all(read_manifest(data_dir))]


def one_line(text: str) -> str:
    assert text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


# -- publishing: concurrency, crashes, same-day vintages -----------------------------------


def test_two_publishes_at_once_both_reach_the_manifest(data_copy, monkeypatch) -> None:
    """Without the lock, both read the manifest before either writes it, and one entry is lost."""
    validate = vintage._validate_staged
    both_started = threading.Barrier(2, timeout=5)

    def slow_validate(*args: object) -> None:
        validate(*args)
        time.sleep(0.2)  # widen the window between reading and writing the manifest

    monkeypatch.setattr(vintage, "_validate_staged", slow_validate)
    errors: list[BaseException] = []

    def run(new: NewVintage) -> None:
        try:
            both_started.wait()
            vintage.publish(data_copy, new, pin=False)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    for trial in range(3):
        threads = [
            threading.Thread(
                target=run, args=(new_vintage(f"2027-01-1{trial}", rows=trial + 2, dataset=name),)
            )
            for name in ("fault-a", "fault-b")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert errors == []
    names = {r.name for r in read_manifest(data_copy).resources}
    assert {f"fault-{x}-2027-01-1{t}" for x in "ab" for t in range(3)} <= names
    assert problems(data_copy) == []


def test_two_refresh_commands_at_once_both_publish(data_copy, publisher) -> None:
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    environment = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        comtrade.BASE_URL_ENV: publisher.url,
    }
    environment.pop(comtrade.API_KEY_ENV, None)
    commands = [
        [sys.executable, "-m", "mineral_report", "--data-dir", str(data_copy), "refresh", "comtrade",
         "--years", years]
        for years in ("2023", "2024")
    ]  # fmt: skip
    expected = free_vintages(data_copy, comtrade.DATASET, date.today().isoformat(), 2)
    running = [
        subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for command in commands
    ]
    outcomes = [process.communicate(timeout=60) for process in running]
    assert [process.returncode for process in running] == [0, 0], outcomes
    found = read_manifest(data_copy)
    assert [r.vintage for r in found.vintages(comtrade.DATASET)][-2:] == expected
    assert problems(data_copy) == []


def test_a_publish_waits_for_the_lock_and_says_so_when_it_gives_up(untouched, monkeypatch) -> None:
    monkeypatch.setattr(vintage, "LOCK_WAIT_SECONDS", 0.3)
    with vintage.data_lock(untouched):
        with pytest.raises(
            RefreshError, match="another refresh has been writing to .* for more than 0.3 s"
        ):
            vintage.publish(untouched, new_vintage(), pin=False)


def test_two_same_day_publishes_get_distinct_vintages(data_copy) -> None:
    threads = [
        threading.Thread(target=vintage.publish, args=(data_copy, new_vintage(rows=rows), False))
        for rows in (2, 3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    found = read_manifest(data_copy)
    assert [r.vintage for r in found.vintages("fault-test")] == ["2027-01-15", "2027-01-15-2"]
    assert (data_copy / "fault-test/2027-01-15-2/numbers.csv").is_file()
    assert problems(data_copy) == []


def test_identical_data_are_not_published_twice(data_copy) -> None:
    vintage.publish(data_copy, new_vintage(), pin=True)
    before = digests(data_copy)
    with pytest.raises(AlreadyPublished) as raised:
        vintage.publish(data_copy, new_vintage("2027-01-16"), pin=True)
    assert str(raised.value) == (
        "identical data are already published as data/fault-test/2027-01-15/numbers.csv "
        "(pinned; nothing was written)"
    )
    assert digests(data_copy) == before


def test_identical_data_asked_to_be_pinned_pin_the_published_vintage(data_copy) -> None:
    vintage.publish(data_copy, new_vintage(), pin=False)
    with pytest.raises(AlreadyPublished, match="not pinned; nothing was written"):
        vintage.publish(data_copy, new_vintage("2027-01-16"), pin=False)
    with pytest.raises(AlreadyPublished, match=r"\(it is now pinned, the manifest's only change\)"):
        vintage.publish(data_copy, new_vintage("2027-01-16"), pin=True)
    found = read_manifest(data_copy)
    assert found.pinned["fault-test"] == "2027-01-15"
    assert [r.vintage for r in found.vintages("fault-test")] == ["2027-01-15"]


def test_a_changed_edition_becomes_a_correction_vintage_and_takes_its_pin(data_copy) -> None:
    manifest_path = data_copy / MANIFEST_NAME
    vintage.publish(data_copy, new_vintage("2026", edition=2026), pin=True)
    vintage.publish(data_copy, new_vintage("2027", rows=3, edition=2027), pin=True)
    raw = json.loads(manifest_path.read_text())
    raw["pinned"]["fault-test"] = ["2026", "2027"]  # the edition-series pin
    manifest_path.write_text(json.dumps(raw))
    resource = vintage.publish(data_copy, new_vintage("2027", rows=4, edition=2027), pin=True)
    assert (resource.vintage, resource.raw["corrects"], resource.raw["edition"]) == (
        "2027-2",
        "2027",
        2027,
    )
    assert json.loads(manifest_path.read_text())["pinned"]["fault-test"] == ["2026", "2027-2"]


def test_a_stray_vintage_folder_is_named_and_never_touched(untouched) -> None:
    (untouched / "fault-test" / "2027-01-15").mkdir(parents=True)
    try:
        with pytest.raises(
            RefreshError,
            match="data/fault-test/2027-01-15 already exists but the manifest does not list it",
        ):
            vintage.publish(untouched, new_vintage(), pin=False)
    finally:
        (untouched / "fault-test" / "2027-01-15").rmdir()
        (untouched / "fault-test").rmdir()


def test_a_failed_mkdir_never_removes_a_folder_made_by_someone_else(data_copy, monkeypatch) -> None:
    """Another writer (outside the lock) creates the source folder between the check and mkdir."""
    theirs = data_copy / "fault-test"
    real_mkdir = Path.mkdir

    def raced(self: Path, *args: object, **kwargs: object) -> None:
        if self == theirs:
            real_mkdir(self)
            (self / "their-file.txt").write_text("not ours")
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", raced)
    with pytest.raises(RefreshError, match="could not publish"):
        vintage.publish(data_copy, new_vintage(), pin=False)
    assert (theirs / "their-file.txt").read_text() == "not ours"
    assert not list(data_copy.glob(".staging-*")) and not (data_copy / PUBLISH_JOURNAL).exists()


def killed_publish(data_copy: Path, step: str) -> None:
    """Publish in a child process that dies abruptly (no clean-up runs) right after ``step``."""
    child = os.fork()
    if child == 0:  # the child: never returns to pytest
        try:
            if step == "staged":
                validate = vintage._validate_staged
                vintage._validate_staged = lambda *args: (validate(*args), os._exit(9))  # type: ignore[assignment]
            elif step == "moved":
                rename = os.rename
                vintage.os.rename = lambda a, b: (rename(a, b), os._exit(9))  # type: ignore[assignment]
            elif step == "listed":
                write = vintage.write_atomically

                def then_die(path: Path, text: str) -> None:
                    write(path, text)
                    if path.name == MANIFEST_NAME:
                        os._exit(9)

                vintage.write_atomically = then_die  # type: ignore[assignment]
            vintage.publish(data_copy, new_vintage(), pin=False)
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 9


@pytest.mark.parametrize("step", ["staged", "moved", "listed"])
def test_a_publish_killed_between_steps_is_recovered_by_the_next_run(
    data_copy, step, capsys
) -> None:
    before = digests(data_copy)
    killed_publish(data_copy, step)
    left = sorted(set(digests(data_copy)) - set(before))
    after_kill = problems(data_copy)
    if step == "staged":  # hidden staging only: data/ still validates
        assert after_kill == [] and any(name.startswith(".staging-") for name in left)
    elif (
        step == "moved"
    ):  # the folder is in place, the manifest does not list it: validate names it
        assert len(after_kill) == 1
        assert "left by an interrupted publish of fault-test-2027-01-15" in after_kill[0]
        assert "remove data/fault-test/2027-01-15" in after_kill[0]
    else:  # the manifest lists it: published, only the journal is left
        assert after_kill == [] and PUBLISH_JOURNAL in left

    vintage.ensure_unpublished(
        data_copy, "fault-test", "2027-01-16", "fault-test/2027-01-16/numbers.csv"
    )

    if step == "listed":
        assert set(digests(data_copy)) - set(before) == {"fault-test/2027-01-15/numbers.csv"}
    else:
        assert digests(data_copy) == before  # rolled back to exactly what it was
    assert not (data_copy / "fault-test").exists() or step == "listed"
    assert problems(data_copy) == []
    said = capsys.readouterr().err
    assert ("rolled back an interrupted refresh" in said) == (step == "moved")


def test_a_journalled_folder_that_holds_other_files_is_named_not_removed(data_copy) -> None:
    killed_publish(data_copy, "moved")
    (data_copy / "fault-test/2027-01-15/notes.txt").write_text("added by hand")
    with pytest.raises(
        RefreshError, match="remove data/fault-test/2027-01-15 if it was never committed"
    ):
        vintage.publish(data_copy, new_vintage("2027-01-16"), pin=False)
    assert (data_copy / "fault-test/2027-01-15/notes.txt").is_file()


def test_hidden_leftovers_never_fail_validation(data_copy) -> None:
    (data_copy / ".staging-abc123").mkdir()
    (data_copy / ".staging-abc123" / "file.csv").write_text("x\n")
    (data_copy / f".{MANIFEST_NAME}.partial-99").write_text("{")
    assert problems(data_copy) == []


# -- downloads: size, time, encodings ------------------------------------------------------


def bounded(max_mb: float = 1.0, deadline: float = 2.0) -> HttpClient:
    return HttpClient(
        timeout=0.5, attempts=2, backoff_seconds=0.0, sleep=lambda s: None,
        deadline=deadline, max_bytes=int(max_mb * 2**20),
    )  # fmt: skip


def endless() -> Iterator[bytes]:
    while True:
        yield b"x" * 65536


def dripping() -> Iterator[bytes]:
    for _ in range(100):
        time.sleep(0.2)
        yield b"x"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, blocks=endless),
        Reply(200, blocks=endless, chunked=True),
        Reply(200, declared_length=2 * 2**30),
        Reply(200, gzip.compress(b"0" * (3 * 2**20)), {"Content-Encoding": "gzip"}),
    ],
    ids=["endless", "endless-chunked", "announced-2GB", "gzip-bomb"],
)
def test_an_answer_over_the_size_cap_is_stopped(publisher, reply) -> None:
    publisher.on("/big", reply)
    started = time.monotonic()
    with pytest.raises(RefreshError) as raised:
        bounded().get_bytes(f"{publisher.url}/big")
    assert "is larger than the 1 MB limit" in str(raised.value)
    assert "MINERAL_REPORT_DOWNLOAD_MAX_MB" in str(raised.value)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("chunked", [False, True])
def test_a_slow_drip_is_stopped_by_the_deadline(publisher, chunked) -> None:
    publisher.on("/slow", Reply(200, blocks=dripping, chunked=chunked))
    started = time.monotonic()
    with pytest.raises(RefreshError) as raised:
        bounded(deadline=1.0).get_bytes(f"{publisher.url}/slow")
    assert "did not arrive in full within 1 s" in str(raised.value)
    assert time.monotonic() - started < 3


def test_chunked_and_gzip_answers_are_read_whole(publisher) -> None:
    payload = json.dumps({"data": [{"n": i} for i in range(5000)]}).encode()
    blocks = [
        gzip.compress(payload)[i : i + 1000] for i in range(0, len(gzip.compress(payload)), 1000)
    ]
    publisher.on("/plain", Reply(200, blocks=lambda: [payload[:7], payload[7:]], chunked=True))
    publisher.on(
        "/zipped",
        Reply(200, blocks=lambda: blocks, chunked=True, headers={"Content-Encoding": "gzip"}),
    )
    assert bounded().get_json(f"{publisher.url}/plain")["data"][-1] == {"n": 4999}
    assert bounded().get_json(f"{publisher.url}/zipped")["data"][-1] == {"n": 4999}
    assert publisher.requests[-1].headers["Accept-Encoding"] == "gzip"


def test_a_truncated_gzip_body_is_named(publisher) -> None:
    publisher.on(
        "/cut",
        Reply(
            200,
            blocks=lambda: [gzip.compress(b"abc" * 1000)[:40]],
            headers={"Content-Encoding": "gzip"},
        ),
    )
    with pytest.raises(RefreshError, match="truncated response .* gzip body ends early"):
        bounded().get_bytes(f"{publisher.url}/cut")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            401,
            "HTTP 401 Unauthorized from {url}/q?period=2024: the API key is missing, wrong or expired",
        ),
        (
            403,
            "HTTP 403 Forbidden from {url}/q?period=2024: access refused, usually because the key's call quota",
        ),
        (
            429,
            "HTTP 429 Too Many Requests from {url}/q?period=2024 after 2 attempts: the publisher's rate limit",
        ),
    ],
)
def test_refusals_each_say_what_happened_with_a_readable_address(
    publisher, status, expected
) -> None:
    said = {401: "Access denied due to invalid subscription key.", 403: "Out of call volume quota."}
    body = json.dumps(
        {"statusCode": status, "message": said.get(status, "Rate limit is exceeded.")}
    )
    publisher.on("/q", Reply(status, body.encode(), {"Content-Type": "application/json"}))
    with pytest.raises(RefreshError) as raised:
        bounded().get_bytes(f"{publisher.url}/q?period=2024")
    message = str(raised.value)
    assert message.startswith(expected.format(url=publisher.url)), message
    assert f'(the server says "{said.get(status, "Rate limit is exceeded.")}")' in message
    assert "%3A" not in message and "{" not in message


def test_a_configured_proxy_is_used_as_urllib_would(publisher, monkeypatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(name, publisher.url)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    publisher.on("/through", Reply(200, b"via the proxy"))
    assert bounded().get_bytes("http://publisher.invalid/through?a=1") == b"via the proxy"
    assert publisher.requests[0].raw_path == "http://publisher.invalid/through?a=1"


# -- credentials ---------------------------------------------------------------------------


@pytest.fixture
def other_host() -> Iterator[PublisherServer]:
    """A second publisher, at another address than ``publisher``."""
    with PublisherServer() as server:
        yield server


def keyed(
    publisher: PublisherServer, monkeypatch: pytest.MonkeyPatch, key: str = KEY
) -> ComtradeClient:
    monkeypatch.setenv(comtrade.API_KEY_ENV, key)
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    return ComtradeClient.from_environment(bounded())


def test_a_redirect_to_another_host_never_receives_the_key(
    untouched, publisher, other_host, monkeypatch
) -> None:
    publisher.on(
        comtrade.KEYED_PATH, Reply(302, headers={"Location": f"{other_host.url}/steal?x=1"})
    )
    other_host.on_call("/steal", every_code)
    with pytest.raises(RefreshError) as raised:
        comtrade.refresh(
            untouched,
            [2024],
            pin=True,
            client=keyed(publisher, monkeypatch),
            today=date(2027, 1, 15),
        )
    message = str(raised.value)
    assert f"redirects to another host ({other_host.url.removeprefix('http://')})" in message
    assert "the redirect was not followed" in message and KEY not in message
    assert other_host.requests == []
    assert publisher.requests[0].headers[comtrade.KEY_HEADER] == KEY


def test_a_redirect_on_the_same_host_is_followed(data_copy, publisher, monkeypatch) -> None:
    publisher.on_call(
        comtrade.KEYED_PATH,
        lambda r: Reply(
            307, headers={"Location": r.raw_path.replace(comtrade.KEYED_PATH, "/moved")}
        ),
    )
    publisher.on_call("/moved", every_code)
    comtrade.refresh(
        data_copy, [2024], pin=False, client=keyed(publisher, monkeypatch), today=date(2027, 1, 15)
    )
    assert (
        publisher.requests[-1].path == "/moved"
        and publisher.requests[-1].headers[comtrade.KEY_HEADER] == KEY
    )


def test_a_keyless_download_may_follow_a_redirect_to_another_host(publisher, other_host) -> None:
    publisher.on("/file", Reply(302, headers={"Location": f"{other_host.url}/stored"}))
    other_host.on("/stored", Reply(200, b"release"))
    assert bounded().get_bytes(f"{publisher.url}/file") == b"release"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("debug", [[], ["--debug"]])
@pytest.mark.parametrize("value", [KEY, "abc"])
def test_a_malformed_value_echoing_the_key_is_one_line_without_it(
    untouched, publisher, monkeypatch, capsys, value, debug
) -> None:
    def echo(request) -> Reply:
        reply = json.loads(every_code(request).body)
        reply["data"][0]["primaryValue"] = value
        return Reply(200, json.dumps(reply).encode())

    publisher.on_call(comtrade.KEYED_PATH, echo)
    keyed(publisher, monkeypatch)
    status, out, err = run_cli(
        [*debug, "--data-dir", str(untouched), "refresh", "comtrade", "--years", "2024"], capsys
    )
    assert status == 1 and KEY not in out + err
    if not debug:
        one_line(err)


@pytest.mark.parametrize("padding", ["\r", "\r\n", "  "])
def test_a_key_with_a_trailing_carriage_return_is_sent_clean(
    data_copy, publisher, monkeypatch, capsys, padding
) -> None:
    publisher.on_call(comtrade.KEYED_PATH, every_code)
    keyed(publisher, monkeypatch, KEY + padding)
    status, out, err = run_cli(
        ["--data-dir", str(data_copy), "refresh", "comtrade", "--years", "2024"], capsys
    )
    assert status == 0, err
    assert publisher.requests[0].headers[comtrade.KEY_HEADER] == KEY
    assert KEY not in out + err


def test_a_key_with_a_control_character_inside_is_refused_in_one_line(
    untouched, publisher, monkeypatch, capsys
) -> None:
    keyed(publisher, monkeypatch, KEY[:5] + "\r\n" + KEY[5:])
    status, out, err = run_cli(
        ["--data-dir", str(untouched), "refresh", "comtrade", "--years", "2024"], capsys
    )
    assert status == 1 and "Ocp-Apim-Subscription-Key header's value has a control" in one_line(err)
    assert KEY[5:] not in err and publisher.requests == []


# -- arguments and broken inputs: one line, before any request ----------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["comtrade", "--years", "1800-3000"], "1800 is outside 1988–"),
        (["comtrade", "--years", "1-20000000"], "1 is outside 1988–"),
        (["comtrade", "--years", "2020-20000000"], "'20000000' is not a year"),
        (["comtrade", "--years", "1988-2030"], "2030 is outside 1988–"),
        (["comtrade", "--years", "2024-2020"], "runs backwards"),
        (
            ["usgs", "--edition", "2027", "--item", "../../../etc/passwd"],
            "is not a ScienceBase item id",
        ),
        (["usgs", "--edition", "2027", "--item", "x?y=1"], "is not a ScienceBase item id"),
        (["usgs", "--edition", "3000", "--item", ITEM], "3000 is outside 1988–"),
        (
            ["usgs", "--edition", "2027", "--item", ITEM, "--file", "../x.zip"],
            "is not a plain file name",
        ),
    ],
)
def test_hostile_arguments_are_refused_before_any_request(
    untouched, publisher, monkeypatch, capsys, args, expected
) -> None:
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    monkeypatch.setenv("SCIENCEBASE_BASE_URL", publisher.url)
    with pytest.raises(SystemExit) as exited:
        main(["--data-dir", str(untouched), "refresh", *args])
    assert exited.value.code == 2
    assert expected in one_line(capsys.readouterr().err)
    assert publisher.requests == []


def test_a_span_of_years_is_bounded() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="spans more than 40 years"):
        parse_years("1990-2035", today=date(2040, 1, 1))
    assert parse_years("2020-2022,2024", today=date(2026, 12, 1)) == [2020, 2021, 2022, 2024]


def test_an_item_id_is_percent_encoded_into_one_path_segment() -> None:
    client = ScienceBaseClient(base_url="https://www.sciencebase.gov")
    assert (
        client.item_url("../x?y=1#z")
        == "https://www.sciencebase.gov/catalog/item/..%2Fx%3Fy%3D1%23z"
    )


def broken(data_dir: Path, how: str) -> None:
    manifest_path = data_dir / MANIFEST_NAME
    if how == "invalid JSON":
        manifest_path.write_text(manifest_path.read_text()[:-40])
    elif how == "no resources":
        manifest_path.write_text("[]")
    else:  # the files the refresh and the diff read
        found = read_manifest(data_dir)
        for resource in (
            found.resolve("critical-mineral-hs-concordance"),
            found.resolve("usgs-mcs-world", "2026"),
        ):
            (data_dir / resource.path).unlink()
            if how == "file is a folder":
                (data_dir / resource.path).mkdir()


@pytest.mark.parametrize(
    "how", ["invalid JSON", "no resources", "pinned file missing", "file is a folder"]
)
@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["refresh", "comtrade", "--years", "2024"],
        ["diff", "usgs-mcs-world", "2025", "2026"],
    ],
    ids=["validate", "refresh", "diff"],
)
def test_a_broken_data_folder_is_one_line_for_every_command(
    data_copy, publisher, monkeypatch, capsys, how, command
) -> None:
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    monkeypatch.delenv(comtrade.API_KEY_ENV, raising=False)
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    broken(data_copy, how)
    status, out, err = run_cli(["--data-dir", str(data_copy), *command], capsys)
    assert status == 1
    if command == ["validate"] and how in {"pinned file missing", "file is a folder"}:
        assert "critical-mineral-hs-concordance" in err or "concordance" in err
        assert "Traceback" not in err
    else:
        one_line(err)
    if how == "invalid JSON":
        assert "datapackage.json is not valid JSON" in err and "at line" in err


def test_no_data_folder_above_the_working_directory_is_one_line(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINERAL_REPORT_DATA", raising=False)
    for command in (
        ["validate"],
        ["refresh", "comtrade", "--years", "2024"],
        ["diff", "x", "1", "2"],
    ):
        status, _, err = run_cli(command, capsys)
        assert status == 1 and f"no data/{MANIFEST_NAME} found above" in one_line(err)


def test_debug_shows_the_traceback(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINERAL_REPORT_DATA", raising=False)
    status, _, err = run_cli(["--debug", "validate"], capsys)
    assert (
        status == 1
        and "Traceback" in err
        and err.strip().endswith("set MINERAL_REPORT_DATA to the report's data folder")
    )


# -- the same-day second run ---------------------------------------------------------------


def test_a_second_same_day_comtrade_run_says_the_data_are_already_published(
    data_copy, publisher, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(comtrade.BASE_URL_ENV, publisher.url)
    monkeypatch.delenv(comtrade.API_KEY_ENV, raising=False)
    publisher.on_call(comtrade.PREVIEW_PATH, every_code)
    command = ["--data-dir", str(data_copy), "refresh", "comtrade", "--years", "2024"]
    first, second = free_vintages(data_copy, comtrade.DATASET, date.today().isoformat(), 2)
    assert run_cli(command, capsys)[0] == 0
    before = digests(data_copy)
    status, out, _ = run_cli(command, capsys)
    assert status == 0
    assert (
        f"identical data are already published as data/comtrade/{first}/india_imports_by_hs.csv"
        in out
    )
    assert digests(data_copy) == before
    status, out, _ = run_cli([*command[:-1], "2023-2024"], capsys)
    assert status == 0 and f"data/comtrade/{second}/india_imports_by_hs.csv" in out
    assert problems(data_copy) == []


def test_make_refresh_can_run_usgs_alone() -> None:
    def planned(*variables: str) -> str:
        result = subprocess.run(
            ["make", "-s", "-n", "-C", str(REPO), "refresh", "STAMP=", *variables],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        return result.stdout + result.stderr

    alone = planned("SOURCE=usgs", "EDITION=2027", f"ITEM={ITEM}")
    assert f"refresh usgs --edition 2027 --item {ITEM}" in alone and "refresh comtrade" not in alone
    both = planned("EDITION=2027", f"ITEM={ITEM}")
    assert "refresh comtrade --years" in both and "refresh usgs --edition 2027" in both
    assert "refresh usgs" not in planned("SOURCE=comtrade", "EDITION=2027", f"ITEM={ITEM}")
    assert "needs EDITION and ITEM" in planned("SOURCE=usgs")
