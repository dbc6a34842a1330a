"""Read ``data/datapackage.json``: every file's vintage, source, licence, checksum and schema.

The manifest follows the Frictionless Data Package layout (``resources`` with ``path``,
``schema.fields``, ``schema.primaryKey``, ``sources``, ``licenses``, ``hash``) and adds what a
versioned report needs: ``dataset`` and ``vintage`` on each resource, and a top-level
``pinned`` map naming the vintage each chapter reads by default.

A dataset published once per edition (USGS Mineral Commodity Summaries) is pinned as a list of
vintages, one per edition, ascending by edition: the last is the current edition, and the list
is the whole series the chapters compare. Its resources carry ``edition`` (an integer), and a
vintage that corrects an earlier one of the same edition carries ``corrects``. A vintage that is
not pinned is never read by default.
"""

from __future__ import annotations

import hashlib
import json
import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mineral_report.data.errors import ManifestError

MANIFEST_NAME = "datapackage.json"
DATA_DIR_ENV = "MINERAL_REPORT_DATA"


@dataclass(frozen=True)
class FieldSpec:
    """A column's type and the rules every value in it must follow."""

    name: str
    type: str
    unit: str | None = None
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    pattern: str | None = None
    format: str | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FieldSpec:
        constraints = raw.get("constraints", {})
        enum = constraints.get("enum")
        return cls(
            name=raw["name"],
            type=raw.get("type", "string"),
            unit=raw.get("unit"),
            description=raw.get("description", ""),
            required=bool(constraints.get("required", False)),
            enum=tuple(enum) if enum is not None else None,
            minimum=constraints.get("minimum"),
            pattern=constraints.get("pattern"),
            format=raw.get("format"),
        )


@dataclass(frozen=True)
class Resource:
    """One versioned file and everything needed to trust it."""

    name: str
    dataset: str
    vintage: str
    path: str
    format: str
    title: str
    sha256: str
    accessed: str
    sources: tuple[dict[str, Any], ...]
    licenses: tuple[dict[str, Any], ...]
    fields: tuple[FieldSpec, ...] = ()
    primary_key: tuple[str, ...] = ()
    edition: int | None = None
    corrects: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Resource:
        schema = raw.get("schema", {})
        digest = raw.get("hash", "")
        return cls(
            name=raw["name"],
            dataset=raw["dataset"],
            vintage=str(raw["vintage"]),
            path=raw["path"],
            format=raw.get("format", "csv"),
            title=raw.get("title", raw["name"]),
            sha256=digest.removeprefix("sha256:"),
            accessed=raw.get("accessed", ""),
            sources=tuple(raw.get("sources", [])),
            licenses=tuple(raw.get("licenses", [])),
            fields=tuple(FieldSpec.from_json(f) for f in schema.get("fields", [])),
            primary_key=tuple(schema.get("primaryKey", [])),
            edition=_edition(raw.get("edition")),
            corrects=str(raw["corrects"]) if raw.get("corrects") is not None else None,
            raw=raw,
        )

    def source_line(self) -> str:
        """A one-line citation for under a chart: publisher, title, vintage."""
        parts = []
        for source in self.sources:
            publisher = source.get("publisher", "")
            title = source.get("title", "")
            parts.append(f"{publisher}, {title}".strip(", "))
        return "; ".join(parts) + f" (vintage {self.vintage})"

    def licence_line(self) -> str:
        return "; ".join(lic.get("title") or lic.get("name", "") for lic in self.licenses)


def _edition(value: Any) -> int | None:
    """An edition as an integer; anything else is kept out (the validator names it)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Manifest:
    """The parsed manifest and the folder it describes.

    ``pinned`` maps each dataset to the vintage read by default (for an edition series, the
    current edition's); ``series`` maps it to every pinned vintage, oldest edition first.
    """

    root: Path
    resources: tuple[Resource, ...]
    pinned: dict[str, str]
    series: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def by_name(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(f"no resource named {name!r} in {self.root / MANIFEST_NAME}")

    def vintages(self, dataset: str) -> list[Resource]:
        found = sorted(
            (r for r in self.resources if r.dataset == dataset), key=lambda r: r.vintage
        )
        if not found:
            known = ", ".join(sorted({r.dataset for r in self.resources}))
            raise KeyError(f"no dataset named {dataset!r}; the manifest has: {known}")
        return found

    def pinned_series(self, dataset: str) -> list[Resource]:
        """Exactly the pinned vintages of a dataset, oldest edition first (never unpinned ones).

        A dataset without a pin is read at its latest vintage, as ``resolve`` does.
        """
        wanted = self.series.get(dataset)
        if not wanted:
            return [self.resolve(dataset)]
        return [self.resolve(dataset, vintage) for vintage in wanted]

    def resolve(self, dataset: str, vintage: str | None = None) -> Resource:
        """The pinned (current) vintage of a dataset, or the one asked for."""
        candidates = self.vintages(dataset)
        wanted = vintage or self.pinned.get(dataset) or candidates[-1].vintage
        for resource in candidates:
            if resource.vintage == wanted:
                return resource
        have = ", ".join(r.vintage for r in candidates)
        raise KeyError(f"dataset {dataset!r} has no vintage {wanted!r} (have: {have})")

    def file(self, resource: Resource) -> Path:
        return self.root / resource.path

    def descriptions(self) -> list[dict[str, str]]:
        """What each pinned dataset measures, for the methods chapter."""
        rows = []
        for dataset, vintage in sorted(self.pinned.items()):
            resource = self.resolve(dataset, vintage)
            units = sorted({f.unit for f in resource.fields if f.unit})
            rows.append({
                "dataset": dataset,
                "title": resource.title,
                "what it measures": resource.raw.get("description", ""),
                "units": "; ".join(units),
                "licence": resource.licence_line(),
                "vintage": vintage,
            })
        return rows

    def inventory(self) -> list[dict[str, str]]:
        """One row per file: what a reader needs to trace a number back to its source."""
        return [
            {
                "dataset": r.dataset,
                "vintage": r.vintage,
                "pinned": "yes" if r.vintage in self.series.get(r.dataset, ()) else "",
                "title": r.title,
                "publisher": "; ".join(s.get("publisher", "") for s in r.sources),
                "licence": "; ".join(lic.get("name", "") for lic in r.licenses),
                "accessed": r.accessed,
                "file": f"data/{r.path}",
                "sha256": r.sha256[:12] + "…",
            }
            for r in sorted(self.resources, key=lambda r: (r.dataset, r.vintage))
        ]


def find_data_dir(start: Path | None = None) -> Path:
    """Locate ``data/``: the environment variable, else the nearest folder upward holding one."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / MANIFEST_NAME).is_file():
            return folder / "data"
    raise FileNotFoundError(
        f"no data/{MANIFEST_NAME} found above {here}; set {DATA_DIR_ENV} to the report's data folder"
    )


def read_raw_manifest(data_dir: Path) -> dict[str, Any]:
    """The manifest's JSON, checked enough that every fault is one line naming where it is."""
    path = data_dir / MANIFEST_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} does not exist; is {data_dir} the report's data folder?") from None
    except OSError as error:
        raise ManifestError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ManifestError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise ManifestError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("resources"), list):
        raise ManifestError(f"{path} has no 'resources' list")
    for number, resource in enumerate(raw["resources"], start=1):
        lacking = [
            key
            for key in ("name", "dataset", "vintage", "path")
            if not isinstance(resource, dict) or not isinstance(resource.get(key), (str, int))
        ]
        if lacking:
            raise ManifestError(f"{path}: resource {number} has no {', '.join(lacking)}")
    return raw


def pinned_vintages(value: Any) -> tuple[str, ...]:
    """A ``pinned`` value (one vintage, or a list of them) as a tuple of vintages."""
    if isinstance(value, list):
        return tuple(str(vintage) for vintage in value)
    return (str(value),)


def read_manifest(data_dir: Path) -> Manifest:
    raw = read_raw_manifest(data_dir)
    resources = tuple(Resource.from_json(r) for r in raw["resources"])
    series = {dataset: pinned_vintages(value) for dataset, value in raw.get("pinned", {}).items()}
    current = {dataset: vintages[-1] for dataset, vintages in series.items() if vintages}
    return Manifest(root=data_dir, resources=resources, pinned=current, series=series)


def pin_vintage(raw_manifest: dict[str, Any], dataset: str, vintage: str) -> dict[str, Any]:
    """A copy of a parsed manifest with ``vintage`` pinned for ``dataset``.

    For a dataset pinned as an edition series, the new vintage takes the place of the pinned
    vintage of the same edition (a correction), or joins the series at its edition (a new
    edition becomes the current one). Otherwise it replaces the pin. The ``pinned`` map stays
    sorted by dataset if it was.
    """
    updated = copy.deepcopy(raw_manifest)
    pinned = updated.setdefault("pinned", {})
    keep_sorted = list(pinned) == sorted(pinned)
    current = pinned.get(dataset)
    if isinstance(current, list):
        editions = {
            str(r["vintage"]): r.get("edition")
            for r in updated["resources"]
            if r["dataset"] == dataset
        }
        edition = editions.get(vintage)
        if _edition(edition) is None:
            raise ValueError(
                f"{dataset} {vintage} carries no edition in {MANIFEST_NAME}, so it cannot join the"
                " pinned edition series"
            )
        kept = [v for v in current if editions.get(str(v)) != edition]
        pinned[dataset] = sorted([*kept, vintage], key=lambda v: editions.get(str(v)) or 0)
    else:
        pinned[dataset] = vintage
    if keep_sorted:
        updated["pinned"] = dict(sorted(pinned.items()))
    return updated


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
