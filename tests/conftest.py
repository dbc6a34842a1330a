"""Shared fixtures: the repository's paths, and throwaway copies of data/ to break."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SITE = REPO / "_build" / "html"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may corrupt without touching the real files."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def folders(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_dir()}


@pytest.fixture
def untouched(data_copy: Path) -> Iterator[Path]:
    """The data copy, checked byte for byte after the test: a failed operation changes nothing."""
    files, dirs = digests(data_copy), folders(data_copy)
    yield data_copy
    assert digests(data_copy) == files
    assert folders(data_copy) == dirs


def _rehash(data_dir: Path, relative: str) -> None:
    manifest_path = data_dir / "datapackage.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256((data_dir / relative).read_bytes()).hexdigest()
    for resource in manifest["resources"]:
        if resource["path"] == relative:
            resource["hash"] = f"sha256:{digest}"
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


@pytest.fixture
def edit_csv(data_copy: Path) -> Callable[[str, Callable[[list[str]], list[str]], bool], Path]:
    """Edit a CSV's lines in the copy; by default re-record its checksum so only the edit is wrong."""

    def edit(relative: str, change: Callable[[list[str]], list[str]], rehash: bool = True) -> Path:
        path = data_copy / relative
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
        if rehash:
            _rehash(data_copy, relative)
        return path

    return edit


def free_vintages(data_dir: Path, dataset: str, base: str, count: int = 1) -> list[str]:
    """The next ``count`` vintage names a refresh on ``base`` (a date) would use: ``base``,
    ``base-2``, … skipping those already published (a refresh may have run the same day)."""
    published = {
        str(r["vintage"]) for r in json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        if r["dataset"] == dataset
    }
    candidates = [base, *(f"{base}-{n}" for n in range(2, 100))]
    return [name for name in candidates if name not in published][:count]
