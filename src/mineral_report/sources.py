"""Every publication the data cite, who published it, and how much weight it can bear.

A reader weighing a figure needs to know whether it comes from the body that produced it, from
a newspaper reporting an official, from the press alone, or from a site that only copies others.
The grades are judgements, so they live in data (the source register: one row per web host, and
the press articles that carry an official statement), each with its reason; this module only
applies them to every address cited in the pinned data and fails when an address has no grade.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pandas as pd

from mineral_report.data.errors import DataValidationError, Problem
from mineral_report.data.load import load, manifest
from mineral_report.data.manifest import Manifest

# From most to least weight. "official quoted by press" is a press article whose figure is an
# official's statement or official data: better than press alone, short of the document itself.
GRADES = ("primary", "official quoted by press", "press", "aggregator or mirror")
HOSTS_DATASET = "source-hosts"
OFFICIAL_QUOTES_DATASET = "source-official-quotes"
REGISTER_DATASETS = {HOSTS_DATASET, OFFICIAL_QUOTES_DATASET}

_URL = re.compile(r"https?://[^\s|,\"'<>()\[\]]+")
# Path segments that say nothing to a reader (page variants, ids, hashes).
_NOISE_SEGMENT = re.compile(r"^(amp|en|eng|news|article|articles|\d+|[0-9a-f]{16,})$")
_EXTENSION = re.compile(r"\.(s?html?|php|aspx?|pdf|htm)$", re.I)
_TRAILING_ID = re.compile(r"[-_](?:[a-z]{0,3}\d[\w]*)$", re.I)
# Notes for maintainers appended to a title in brackets, e.g. "[title from URL slug]", and the
# ellipsis with which some publishers cut their own headlines (the label keeps their words only).
_BRACKETED_NOTE = re.compile(r"\s*(\[[^\]]*\]|\.\.\.|…)\s*$")


def host_of(url: str) -> str:
    """The web host a grade is recorded for: lower case, no port, no leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def urls_in(text: object) -> list[str]:
    """The web addresses in one cell (cells may hold several, separated by ``|`` or ``;``)."""
    if not isinstance(text, str):
        return []
    return [found.rstrip(".;:") for found in _URL.findall(text)]


def citations(found: Manifest | None = None) -> pd.DataFrame:
    """One row per (dataset, address): every address cited by a pinned dataset, in its rows or
    in its manifest entry, with the title the data give it where they give one."""
    found = found or manifest()
    rows: list[dict[str, str]] = []
    for dataset in sorted(found.pinned):
        if dataset in REGISTER_DATASETS:
            continue
        resource = found.resolve(dataset)
        for source in resource.sources:
            for key in ("path", "url", "doi"):
                for url in urls_in(source.get(key)):
                    rows.append({"dataset": dataset, "url": url, "title": source.get("title", "")})
        if resource.format != "csv":
            continue
        frame = load(dataset, data_dir=found.root)
        titles = frame["title"] if "title" in frame.columns else pd.Series("", index=frame.index)
        for column in frame.columns:
            if frame[column].dtype != object and not pd.api.types.is_string_dtype(frame[column]):
                continue
            for index, cell in frame[column].items():
                for url in urls_in(cell):
                    title = titles[index] if column == "url" and isinstance(titles[index], str) else ""
                    rows.append({"dataset": dataset, "url": url, "title": title})
    cited = pd.DataFrame(rows, columns=["dataset", "url", "title"])
    # Keep a title where any row gives one.
    cited = cited.sort_values("title", ascending=False, key=lambda s: s.str.len())
    return cited.drop_duplicates(["dataset", "url"]).sort_values(["dataset", "url"]).reset_index(drop=True)


def graded(found: Manifest | None = None) -> pd.DataFrame:
    """Every cited address with its publisher and grade; fails naming every ungraded host."""
    found = found or manifest()
    hosts = load(HOSTS_DATASET, data_dir=found.root).set_index("host")
    quotes = load(OFFICIAL_QUOTES_DATASET, data_dir=found.root).set_index("url")
    cited = citations(found).assign(host=lambda f: f["url"].map(host_of))
    unknown = sorted(set(cited["host"]) - set(hosts.index))
    if unknown:
        raise DataValidationError([
            Problem(
                f"{found.root.name}/{found.resolve(HOSTS_DATASET).path}",
                f"no grade for host {host!r} (cited by "
                f"{', '.join(sorted(set(cited.loc[cited['host'] == host, 'dataset'])))})",
                column="host",
            )
            for host in unknown
        ])
    cited["publisher"] = cited["host"].map(hosts["publisher"])
    cited["grade"] = cited["host"].map(hosts["grade"])
    cited["reason"] = cited["host"].map(hosts["reason"])
    quoted = cited["url"].isin(quotes.index) & (cited["grade"] == "press")
    cited.loc[quoted, "grade"] = "official quoted by press"
    cited.loc[quoted, "reason"] = cited.loc[quoted, "url"].map(quotes["reason"])
    cited["official"] = cited["url"].map(quotes["official"]).where(quoted, "")
    return cited


def grade_by_url(cited: pd.DataFrame | None = None) -> pd.Series:
    """The grade of every cited address (from :func:`graded`, or the given citations)."""
    cited = graded() if cited is None else cited
    return cited.drop_duplicates("url").set_index("url")["grade"]


def grade_counts(cited: pd.DataFrame) -> pd.Series:
    """Distinct publications cited, by grade, in the order of weight."""
    distinct = cited.drop_duplicates("url")
    return distinct["grade"].value_counts().reindex(list(GRADES), fill_value=0)


def readable_label(url: str, title: str = "") -> str:
    """What a reader sees for a publication: its title, else the words of its address."""
    if isinstance(title, str) and _BRACKETED_NOTE.sub("", title).strip():
        return _BRACKETED_NOTE.sub("", title).strip()
    segments = []
    for segment in urlsplit(url).path.split("/"):
        words = _EXTENSION.sub("", unquote(segment))
        while _TRAILING_ID.search(words):
            words = _TRAILING_ID.sub("", words)
        if words and not _NOISE_SEGMENT.match(words.lower()):
            segments.append(words)
    # The segment with the most words is the article's headline slug.
    slug = max(segments, key=lambda s: len(re.findall(r"[^\W\d_]{2,}", s)), default="")
    if len(re.findall(r"[^\W\d_]{2,}", slug)) < 3:
        return f"Page on {host_of(url)}"
    text = re.sub(r"[-_+]+", " ", slug).strip()
    return text[:1].upper() + text[1:]


def reference_list(cited: pd.DataFrame, dataset_titles: dict[str, str]) -> pd.DataFrame:
    """The references page: one row per publication, strongest sources first."""
    order = {grade: rank for rank, grade in enumerate(GRADES)}
    by_url = cited.groupby("url", sort=False).agg(
        title=("title", "first"),
        publisher=("publisher", "first"),
        grade=("grade", "first"),
        official=("official", "first"),
        datasets=("dataset", lambda d: "; ".join(sorted({dataset_titles.get(x, x) for x in d}))),
    ).reset_index()
    by_url["publication"] = [readable_label(u, t) for u, t in zip(by_url["url"], by_url["title"])]
    by_url["rank"] = by_url["grade"].map(order)
    by_url = by_url.sort_values(["rank", "publisher", "publication"]).reset_index(drop=True)
    return by_url[["publisher", "publication", "url", "grade", "official", "datasets"]]


def resting_on_mirrors(frame: pd.DataFrame, url_columns: list[str], cited: pd.DataFrame) -> pd.DataFrame:
    """Rows of a dataset whose every cited address is an aggregator or mirror."""
    grade = grade_by_url(cited)
    def mirrors_only(row: pd.Series) -> bool:
        urls = [u for column in url_columns for u in urls_in(row[column])]
        return bool(urls) and all(grade.get(u) == "aggregator or mirror" for u in urls)
    return frame[frame.apply(mirrors_only, axis=1)]
