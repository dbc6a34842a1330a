"""How to cite the report, read from CITATION.cff (the one place its authors and version live)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Citation:
    authors: tuple[str, ...]
    title: str
    version: str
    released: str
    url: str | None

    @property
    def year(self) -> str:
        return self.released[:4]

    def text(self) -> str:
        """One line a reader can paste into a bibliography."""
        line = f"{_joined(self.authors)} ({self.year}). {self.title}. Version {self.version}, released {self.released}."
        return f"{line} {self.url}" if self.url else line

    def bibtex(self) -> str:
        fields = {
            "author": " and ".join("{" + a + "}" for a in self.authors),
            "title": "{" + self.title + "}",
            "year": self.year,
            "version": self.version,
        }
        if self.url:
            fields["url"] = self.url
        # Braces inside the value keep BibTeX from re-casing the title or splitting a group name.
        body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
        return f"@misc{{india_russia_minerals_{self.year},\n{body}\n}}"


def _joined(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _author(entry: dict[str, str]) -> str:
    if "name" in entry:
        return entry["name"]
    return " ".join(part for part in (entry.get("given-names"), entry.get("family-names")) if part)


def read_citation(path: Path) -> Citation:
    """The citation in ``path`` (CITATION.cff); a missing title, author or version is an error."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [key for key in ("title", "authors", "version", "date-released") if not raw.get(key)]
    if missing:
        raise ValueError(f"{path}: CITATION.cff lacks {', '.join(missing)}")
    return Citation(
        authors=tuple(_author(a) for a in raw["authors"]),
        title=str(raw["title"]),
        version=str(raw["version"]),
        released=str(raw["date-released"]),
        url=raw.get("url") or raw.get("repository-code"),
    )


def citation_html(citation: Citation) -> str:
    """The block every page ends with: who wrote the report and how to cite it."""
    return (
        '<aside class="report-citation" aria-label="How to cite this report">'
        f"<p><strong>Written by</strong> {html.escape(_joined(citation.authors))}. "
        f"<strong>Cite as:</strong> {html.escape(citation.text())}</p>"
        f"<details><summary>BibTeX</summary><pre>{html.escape(citation.bibtex())}</pre></details>"
        "</aside>"
    )
