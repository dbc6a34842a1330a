"""Publish a new vintage atomically: all of it validated and listed, or nothing changed.

Files are written to a hidden staging folder inside ``data/`` (the validator's inventory skips
names starting with "."), checked against the schema with the project's own validator, and only
then renamed into place; the manifest is replaced in one ``os.replace``. Until those two moves,
``data/`` is byte-for-byte what it was.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from mineral_report.data.errors import DataValidationError
from mineral_report.data.manifest import MANIFEST_NAME, Manifest, Resource, pin_vintage
from mineral_report.data.validate import read_resource
from mineral_report.refresh.errors import RefreshError

STAGING_PREFIX = ".staging-"


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
    manifest_path = data_dir / MANIFEST_NAME
    raw_manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    relative = PurePosixPath(new.path)
    target = data_dir / relative.parent
    ensure_unpublished(data_dir, new.dataset, new.vintage, new.path)

    entry = _manifest_entry(raw_manifest, new, accessed or date.today())
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
    staged_manifest = data_dir / f".{MANIFEST_NAME}.{staging.name}"
    created_parent: Path | None = None
    try:
        (staging / relative.name).write_bytes(new.content)
        _validate_staged(staging, relative.name, entry)
        staged_manifest.write_text(_with_resource(raw_manifest, entry, pin), encoding="utf-8")
        if not target.parent.exists():
            created_parent = _first_missing(target.parent, data_dir)
            target.parent.mkdir(parents=True)
        os.rename(staging, target)
        try:
            os.replace(staged_manifest, manifest_path)
        except OSError:
            os.rename(target, staging)
            raise
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        staged_manifest.unlink(missing_ok=True)
        if created_parent is not None:
            shutil.rmtree(created_parent, ignore_errors=True)
        if isinstance(error, RefreshError):
            raise
        if isinstance(error, OSError):
            raise RefreshError(
                f"could not publish {new.resource_name} to {data_dir / relative.parent}: {error}; "
                "data/ was left unchanged"
            ) from error
        raise
    return Resource.from_json(entry)


def ensure_unpublished(data_dir: Path, dataset: str, vintage: str, path: str) -> None:
    """A published vintage is never edited: refuse a folder or resource name already in use.

    Called before downloading, so a refresh that cannot be published fails at once.
    """
    target = data_dir / PurePosixPath(path).parent
    if target.exists():
        raise RefreshError(
            f"vintage folder {target} already exists; a published vintage is never replaced "
            "(remove it only if it was never committed)"
        )
    raw_manifest = json.loads((data_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    name = f"{dataset}-{vintage}"
    if name in {resource["name"] for resource in raw_manifest["resources"]}:
        raise RefreshError(f"the manifest already has a resource named {name!r}")


def _existing_schema(raw_manifest: dict[str, Any], dataset: str) -> dict[str, Any] | None:
    """The latest vintage's schema, so a refresh cannot silently change the dataset's shape."""
    earlier = sorted(
        (r for r in raw_manifest["resources"] if r["dataset"] == dataset),
        key=lambda r: str(r["vintage"]),
    )
    return copy.deepcopy(earlier[-1]["schema"]) if earlier else None


def _manifest_entry(raw_manifest: dict[str, Any], new: NewVintage, accessed: date) -> dict[str, Any]:
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
    if pin:
        updated = pin_vintage(updated, entry["dataset"], entry["vintage"])
    return json.dumps(updated, indent=2, ensure_ascii=False) + "\n"


def _first_missing(folder: Path, data_dir: Path) -> Path:
    """The outermost folder between ``data_dir`` and ``folder`` that does not exist yet."""
    missing = folder
    while not missing.parent.exists() and missing.parent != data_dir:
        missing = missing.parent
    return missing
