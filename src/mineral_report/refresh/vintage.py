"""Publish a new vintage atomically: all of it validated and listed, or nothing changed.

Everything that writes ``data/`` holds one lock, an exclusive ``flock`` on the ``data/``
folder itself (no lock file to leave behind), so two refreshes at once both end up in the
manifest. Under the lock, the manifest is read afresh; the new file is written to a hidden
staging folder inside ``data/``, checked with the project's own validator, and only then renamed
into place; the manifest is written to a temporary file and swapped in with ``os.replace``.

A journal (``data/.publish-journal.json``) names the new folder and the folders created for it
before anything visible changes, and is removed once the manifest lists the vintage. If a publish
is killed part-way, the next refresh (under the lock) rolls it back: it removes the folder the
journal names, if it holds exactly the journalled file, and any leftover staging folder or
temporary manifest; otherwise it stops and names exactly what to remove. ``validate`` ignores
hidden files and folders, and names the journal's folder when one is left.

A vintage name already in use is never replaced: a second refresh on the same day (or of the same
edition) whose data differ is published as ``<vintage>-2`` (then ``-3``...); one whose data are
byte-identical to a published vintage of the dataset publishes nothing and says so.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from mineral_report.data.errors import DataValidationError
from mineral_report.data.manifest import (
    MANIFEST_NAME,
    Manifest,
    Resource,
    pin_vintage,
    pinned_vintages,
    read_raw_manifest,
    sha256_of,
)
from mineral_report.data.validate import PUBLISH_JOURNAL, read_resource
from mineral_report.refresh.errors import RefreshError

try:
    import fcntl
except ImportError:  # not a POSIX system: reading and validating work, publishing does not
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".staging-"
TEMPORARY_INFIX = ".partial-"
LOCK_WAIT_SECONDS = 120.0
MAX_SAME_NAME_VINTAGES = 99


class AlreadyPublished(RefreshError):
    """The new data are byte-identical to a published vintage: no new vintage was written.

    ``pinned`` is "pinned", "not pinned", or "now pinned" when the refresh asked for a pin and
    pinning the published vintage was the only change made.
    """

    def __init__(self, resource: Resource, pinned: str):
        self.resource = resource
        self.pinned = pinned
        outcome = (
            "it is now pinned, the manifest's only change"
            if pinned == "now pinned"
            else f"{pinned}; nothing was written"
        )
        super().__init__(
            f"identical data are already published as data/{resource.path} ({outcome})"
        )


@dataclass(frozen=True)
class NewVintage:
    """One new file and the manifest facts that make it citable."""

    dataset: str
    vintage: str
    path: str  # relative to data/: "<source>/<vintage>/<file>"
    content: bytes
    title: str
    description: str
    sources: tuple[dict[str, Any], ...]
    licenses: tuple[dict[str, Any], ...]
    schema: dict[str, Any]  # used only when the dataset has no earlier vintage
    edition: int | None = None  # for a dataset published once per edition
    corrects: str | None = None  # the vintage of the same edition this one replaces

    @property
    def resource_name(self) -> str:
        return f"{self.dataset}-{self.vintage}"


def csv_bytes(rows: Iterable[dict[str, str]], columns: Sequence[str]) -> bytes:
    """Rows as UTF-8 CSV with Unix line ends, the form of every CSV in data/."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def plain_number(number: float) -> str:
    """A number as a person would write it in a CSV: no ".0" on whole numbers."""
    return str(int(number)) if number.is_integer() else repr(number)


def publish(data_dir: Path, new: NewVintage, pin: bool, accessed: date | None = None) -> Resource:
    """Add ``new`` to ``data_dir`` and its manifest; pin it only when asked."""
    with data_lock(data_dir):
        _say(recover(data_dir))
        raw_manifest = read_raw_manifest(data_dir)
        _refuse_identical(data_dir, raw_manifest, new, pin)
        new = _free_name(data_dir, raw_manifest, new)
        entry = _manifest_entry(raw_manifest, new, accessed or date.today())
        _write(data_dir, raw_manifest, new, entry, pin)
    return Resource.from_json(entry)


def ensure_unpublished(data_dir: Path, dataset: str, vintage: str, path: str) -> None:
    """Before downloading: roll back any interrupted publish, and refuse a stray vintage folder.

    A folder for ``vintage`` that the manifest lists is fine (the new data will get the next free
    name, or turn out identical); one that it does not list was left by hand and is never touched.
    """
    with data_lock(data_dir):
        _say(recover(data_dir))
        _refuse_stray(data_dir, read_raw_manifest(data_dir), PurePosixPath(path).parent)


@contextmanager
def data_lock(data_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the one lock of everything that writes ``data_dir``, waiting at most ``wait`` s."""
    if fcntl is None:
        raise RefreshError(
            "publishing a vintage needs a POSIX system (Linux or macOS) to lock data/"
        )
    try:
        handle = os.open(data_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        raise RefreshError(
            f"cannot open the data folder {data_dir}: {error.strerror or error}"
        ) from None
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        give_up = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > give_up:
                    raise RefreshError(
                        f"another refresh has been writing to {data_dir} for more than {wait:g} s; "
                        "run this one when it has finished"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # releases the lock


def recover(data_dir: Path) -> list[str]:
    """Undo what an interrupted publish left; call with the lock held. Returns what was done."""
    done = []
    journal = data_dir / PUBLISH_JOURNAL
    if journal.exists():
        done += _roll_back(data_dir, journal)
    leftovers = sorted(
        path
        for path in data_dir.iterdir()
        if path.name.startswith(STAGING_PREFIX)
        or (path.name.startswith(".") and TEMPORARY_INFIX in path.name)
    )
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    if leftovers:
        names = ", ".join(f"data/{path.name}" for path in leftovers)
        done.append(f"removed what an interrupted refresh left: {names}")
    return done


def _roll_back(data_dir: Path, journal: Path) -> list[str]:
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        name, relative, folder = record["name"], record["path"], record["folder"]
        created = [str(c) for c in record["created"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise RefreshError(
            f"data/{PUBLISH_JOURNAL} is left from an interrupted refresh but cannot be read; "
            "check that no vintage folder is missing from data/datapackage.json, then delete it"
        ) from None
    listed = any(
        r["name"] == name and r["path"] == relative
        for r in read_raw_manifest(data_dir)["resources"]
    )
    done = []
    if not listed:
        target, file = data_dir / folder, data_dir / relative
        if target.exists():
            contents = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
            if contents != [PurePosixPath(relative).name] or sha256_of(file) != record.get(
                "sha256"
            ):
                raise RefreshError(
                    f"an interrupted refresh of {name} left data/{folder}, which now holds other "
                    f"files; remove data/{folder} if it was never committed, then data/{PUBLISH_JOURNAL}"
                )
            file.unlink()
            target.rmdir()
            done.append(f"rolled back an interrupted refresh of {name}: removed data/{folder}")
        _remove_empty(data_dir / c for c in reversed(created))
    journal.unlink()
    return done


def _say(lines: Iterable[str]) -> None:
    for line in lines:
        print(f"mineral-report: {line}", file=sys.stderr)


def _refuse_identical(
    data_dir: Path, raw_manifest: dict[str, Any], new: NewVintage, pin: bool
) -> None:
    """Stop if a vintage of the dataset holds exactly these bytes; pin it if a pin was asked."""
    digest = "sha256:" + hashlib.sha256(new.content).hexdigest()
    for raw in raw_manifest["resources"]:
        if raw["dataset"] != new.dataset or raw.get("hash") != digest:
            continue
        resource = Resource.from_json(raw)
        if resource.vintage in pinned_vintages(raw_manifest.get("pinned", {}).get(new.dataset, [])):
            raise AlreadyPublished(resource, "pinned")
        if not pin:
            raise AlreadyPublished(resource, "not pinned")
        write_atomically(data_dir / MANIFEST_NAME, _manifest_text(_pinned(raw_manifest, raw)))
        raise AlreadyPublished(resource, "now pinned")


def _refuse_stray(data_dir: Path, raw_manifest: dict[str, Any], folder: PurePosixPath) -> None:
    listed = {PurePosixPath(r["path"]).parent for r in raw_manifest["resources"]}
    if (data_dir / folder).exists() and folder not in listed:
        raise RefreshError(
            f"vintage folder data/{folder} already exists but the manifest does not list it; "
            "a published vintage is never replaced: remove the folder only if it was never committed"
        )


def _free_name(data_dir: Path, raw_manifest: dict[str, Any], new: NewVintage) -> NewVintage:
    """``new`` under its own vintage name, or the first ``<vintage>-<n>`` nobody uses."""
    relative = PurePosixPath(new.path)
    names = {r["name"] for r in raw_manifest["resources"]}
    listed = {PurePosixPath(r["path"]).parent for r in raw_manifest["resources"]}
    previous = None
    for number in range(1, MAX_SAME_NAME_VINTAGES + 1):
        vintage = new.vintage if number == 1 else f"{new.vintage}-{number}"
        folder = relative.parent.parent / vintage
        candidate = replace(new, vintage=vintage, path=str(folder / relative.name))
        _refuse_stray(data_dir, raw_manifest, folder)
        if candidate.resource_name not in names and folder not in listed:
            if previous is not None and new.edition is not None:
                candidate = replace(candidate, corrects=previous)
            return candidate
        previous = vintage
    raise RefreshError(
        f"{new.dataset} already has {MAX_SAME_NAME_VINTAGES} vintages named {new.vintage}-<n>"
    )


def _write(
    data_dir: Path, raw_manifest: dict[str, Any], new: NewVintage, entry: dict[str, Any], pin: bool
) -> None:
    relative = PurePosixPath(new.path)
    target = data_dir / relative.parent
    missing = []
    folder = target.parent
    while folder != data_dir and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    missing.reverse()
    journal = data_dir / PUBLISH_JOURNAL
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
    created: list[Path] = []
    moved = False
    try:
        (staging / relative.name).write_bytes(new.content)
        _validate_staged(staging, relative.name, entry)
        manifest_text = _with_resource(raw_manifest, entry, pin)
        record = {
            "name": entry["name"],
            "path": entry["path"],
            "folder": str(relative.parent),
            "created": [p.relative_to(data_dir).as_posix() for p in missing],
            "sha256": entry["hash"].removeprefix("sha256:"),
        }
        write_atomically(journal, json.dumps(record, indent=2) + "\n")
        for folder in missing:
            folder.mkdir()  # never exist_ok: a folder made by someone else is not ours to remove
            created.append(folder)
        os.rename(staging, target)
        moved = True
        write_atomically(data_dir / MANIFEST_NAME, manifest_text)
        moved = False
    except BaseException as error:
        if moved:
            os.rename(target, staging)
        shutil.rmtree(staging, ignore_errors=True)
        _remove_empty(reversed(created))
        journal.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise RefreshError(
                f"could not publish {new.resource_name} to {target}: {error.strerror or error}; "
                "data/ was left unchanged"
            ) from error
        raise
    journal.unlink(missing_ok=True)  # if this fails, the next refresh sees the vintage listed


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` in one step: readers see the old file or the new, never half."""
    temporary = path.with_name(f".{path.name.lstrip('.')}{TEMPORARY_INFIX}{os.getpid()}")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_empty(folders: Iterable[Path]) -> None:
    """Remove each folder if it is empty; one with anything in it is not ours to remove."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def _existing_schema(raw_manifest: dict[str, Any], dataset: str) -> dict[str, Any] | None:
    """The latest vintage's schema, so a refresh cannot silently change the dataset's shape."""
    earlier = sorted(
        (r for r in raw_manifest["resources"] if r["dataset"] == dataset),
        key=lambda r: str(r["vintage"]),
    )
    return copy.deepcopy(earlier[-1]["schema"]) if earlier else None


def _manifest_entry(
    raw_manifest: dict[str, Any], new: NewVintage, accessed: date
) -> dict[str, Any]:
    return {
        "name": new.resource_name,
        "dataset": new.dataset,
        "vintage": new.vintage,
        "path": new.path,
        "format": "csv",
        "title": new.title,
        "description": new.description,
        "sources": [dict(source) for source in new.sources],
        "licenses": [dict(licence) for licence in new.licenses],
        "accessed": accessed.isoformat(),
        "schema": copy.deepcopy(new.schema) or _existing_schema(raw_manifest, new.dataset),
        "hash": "sha256:" + hashlib.sha256(new.content).hexdigest(),
        **({"edition": new.edition} if new.edition is not None else {}),
        **({"corrects": new.corrects} if new.corrects is not None else {}),
    }


def _validate_staged(staging: Path, file_name: str, entry: dict[str, Any]) -> None:
    """Run the project's validator on the staged file, as ``make validate`` would later."""
    resource = Resource.from_json({**entry, "path": file_name})
    staged = Manifest(root=staging, resources=(resource,), pinned={})
    try:
        read_resource(staged, resource)
    except DataValidationError as error:
        where = f"data/{entry['path']}"
        details = "; ".join(
            f"row {p.row}, column {p.column!r}: {p.message}" if p.row else p.message
            for p in error.problems[:5]
        )
        raise RefreshError(
            f"the new vintage {where} fails validation, nothing was written: {details}"
        ) from error


def _with_resource(raw_manifest: dict[str, Any], entry: dict[str, Any], pin: bool) -> str:
    updated = copy.deepcopy(raw_manifest)
    updated["resources"].append(entry)
    return _manifest_text(_pinned(updated, entry) if pin else updated)


def _pinned(raw_manifest: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    try:
        return pin_vintage(raw_manifest, entry["dataset"], str(entry["vintage"]))
    except ValueError as error:
        raise RefreshError(str(error)) from None


def _manifest_text(raw_manifest: dict[str, Any]) -> str:
    return json.dumps(raw_manifest, indent=2, ensure_ascii=False) + "\n"
