"""The whole report as one PDF made for reading on paper.

The chapters of the built site are joined, in book order, into one print document: the article
of each page, without code, web-only controls and hints, scripts or the phone variants of charts
(each chart prints as its static SVG, a vector). Headless Chromium prints it twice, with its
JavaScript off: the first print tells on which page every chapter and section starts (from the
PDF's named destinations), the second fills in the contents with those page numbers. A cover
(title, edition, dates, authors, how to cite, from ``CITATION.cff`` and the data manifest) is
printed apart, without page number, and put in front.

The PDF carries bookmarks for every chapter and section, page numbers and, as running head, the
title of the chapter each page belongs to, and is tagged (accessible). Links between chapters become links inside the PDF; links to files of
the site (chart data, notebooks) point at the published site when the build knows its address
(``REPORT_SITE_URL``), and are plain text otherwise: no link ever points at the local server
the pages are printed from. Nothing is fetched from outside the machine.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import os
import posixpath
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from pypdf import PdfReader, PdfWriter

PDF_NAME = "india-russia-critical-minerals-report.pdf"
PRINT_NAME = "_print-book.html"
COVER_NAME = "_print-cover.html"
SITE_URL_ENV = "REPORT_SITE_URL"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
CHART_TIMEOUT_MS = 20_000
SIDE_MARGIN_MM = 12  # left and right page margins of the printed PDF
PRINTABLE = {"width": round((210 - 2 * SIDE_MARGIN_MM) / 25.4 * 96), "height": 1123}  # A4, CSS px
MARGIN = {"top": "20mm", "bottom": "18mm", "left": f"{SIDE_MARGIN_MM}mm", "right": f"{SIDE_MARGIN_MM}mm"}
_LONG_TOKEN = re.compile(r"\S{12,}")
_BREAK_AFTER = re.compile(r"([/_.\-=&?,;:])")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1"}
# What a reader of paper has no use for: code, controls, data tables behind a click, scripts,
# the phone variant of each chart, and anything the site marks web-only.
DROPPED = (
    ".cell_input", ".web-only", ".chart-links", ".chart-data-table", ".table-filters",
    ".chart-hint", ".chart-narrow", "a.headerlink", "script", "noscript", "button",
    ".toggle-details", "div.prev-next-area", "footer",
)


def book_order(toc_file: Path) -> list[str]:
    """Page paths (``chapters/02-x.html``) in the order of ``_toc.yml``."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [f"{name}.html" for name in files]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


# The print document.


@dataclass
class Heading:
    anchor: str
    title: str
    level: int  # 1 chapter, 2 section


def anchor_for(page: str, fragment: str = "") -> str:
    """The id a page (and a fragment of it) has in the print document."""
    stem = page.removesuffix(".html").replace("/", "-")
    return f"p-{stem}" + (f"--{fragment}" if fragment else "")


def site_address(environ: Mapping[str, str]) -> str | None:
    """The published site's address, with a trailing slash, when the build knows it."""
    address = environ.get(SITE_URL_ENV, "").strip()
    if not address:
        return None
    parsed = urlparse(address)
    if parsed.scheme != "https" or not parsed.netloc or parsed.hostname in LOCAL_HOSTS:
        raise ValueError(f"{SITE_URL_ENV}={address!r} is not the https address of a published site")
    return address.rstrip("/") + "/"


def _rewrite_link(href: str, page: str, pages: set[str], site_url: str | None) -> str | None:
    """Where a link of ``page`` points in the PDF, or None to keep its text only."""
    parsed = urlparse(href)
    if parsed.scheme in ("http", "https", "mailto"):
        return None if parsed.hostname in LOCAL_HOSTS else href
    if parsed.scheme or parsed.netloc:
        return None
    if not parsed.path:
        return f"#{anchor_for(page, parsed.fragment)}" if parsed.fragment else None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parsed.path))
    if target in pages:
        return f"#{anchor_for(target, parsed.fragment)}"
    if site_url and not target.startswith(".."):
        return site_url + target + (f"#{parsed.fragment}" if parsed.fragment else "")
    return None


def chapter_fragment(site: Path, page: str, pages: set[str], site_url: str | None) -> tuple[str, list[Heading]]:
    """One page's article for the print document, and its chapter and section headings."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        raise ValueError(f"{site / page}: no <article class=\"bd-article\"> to print")
    for selector in DROPPED:
        for element in article.select(selector):
            element.decompose()
    for element in article.select("[id]"):
        element["id"] = anchor_for(page, element["id"])
    for link in article.select("a[href]"):
        target = _rewrite_link(link["href"], page, pages, site_url)
        if target is None:
            link.unwrap()
        else:
            link["href"] = target
            link.attrs.pop("download", None)
    # Long addresses and paths in tables get break points after their separators.
    for cell in article.select("td, th"):
        for text in cell.find_all(string=True):
            if _LONG_TOKEN.search(text):
                text.replace_with(_LONG_TOKEN.sub(lambda m: _BREAK_AFTER.sub("\\1\u200b", m.group(0)), text))
    for image in article.select("img[src]"):
        image["src"] = posixpath.normpath(posixpath.join(posixpath.dirname(page), image["src"]))
    headings = []
    for heading in article.find_all(["h1", "h2"]):
        section = heading.find_parent("section")
        if section is not None and section.get("id"):
            title = re.sub(r"\s+", " ", heading.get_text(" ", strip=True))
            headings.append(Heading(section["id"], title, int(heading.name[1])))
    body = "".join(str(child) for child in article.children)
    return f'<div class="pdf-chapter" id="{anchor_for(page)}">{body}</div>', headings


def contents_html(headings: list[Heading], pages: dict[str, int] | None) -> str:
    """The contents list, with page numbers once they are known (placeholders before)."""
    rows = []
    for heading in headings:
        number = str(pages.get(heading.anchor, "")) if pages else "000"
        rows.append(
            f'<li class="pdf-toc-{heading.level}"><a href="#{heading.anchor}">'
            f'<span class="pdf-toc-title">{html.escape(heading.title)}</span>'
            f'<span class="pdf-toc-page">{number}</span></a></li>'
        )
    return f'<div class="pdf-contents"><p class="pdf-contents-title">Contents</p><ol>{"".join(rows)}</ol></div>'


PRINT_CSS = """
@page { size: A4; }
html, body { background: #fff !important; }
body { font-size: 10pt; }
/* The theme lays the article out as a flex item, which grows to its widest table. */
.bd-content { display: block !important; padding: 0 !important; }
.bd-article { max-width: none !important; min-width: 0 !important; width: auto !important; padding: 0 !important; }
.pdf-chapter { break-before: page; }
/* The theme hides an article's first heading in print (it prints the page title apart); here
   every chapter starts with its own heading. */
.bd-main .bd-content .bd-article .pdf-chapter h1:first-of-type { display: block; }
h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.3rem; } h3 { font-size: 1.1rem; }
/* A chart or a short box is kept whole; a table may run on to the next page, row by row (kept
   whole, it would leave the page before it almost blank). */
figure, .report-figure, .admonition { break-inside: avoid; }
table, .output, .cell_output, .cell { break-inside: auto !important; }

tr { break-inside: avoid; }
p { orphans: 3; widows: 3; }
.chart-wide, .chart-any { display: block !important; }
.pdf-contents { break-after: page; }
.pdf-contents-title { font-size: 1.7rem; font-weight: 700; margin: 0 0 1rem; }
.pdf-contents ol { list-style: none; padding: 0; margin: 0; }
.pdf-contents { font-size: 0.85rem; line-height: 1.3; }
.pdf-contents li { margin: 0.05rem 0; }
.pdf-contents a { display: flex; gap: 0.5rem; color: inherit; text-decoration: none; }
.pdf-contents .pdf-toc-title { flex: 1; }
.pdf-contents .pdf-toc-page { min-width: 2.5rem; text-align: right; }
.pdf-toc-1 { font-weight: 600; margin-top: 0.4rem !important; }
.pdf-toc-2 { padding-left: 1.2rem; }
"""


def print_document(site: Path, order: list[str], site_url: str | None, pages: dict[str, int] | None) -> tuple[str, list[Heading]]:
    """The whole book as one HTML document at the site's root, and its headings."""
    from bs4 import BeautifulSoup

    known = set(order)
    chapters, headings = [], []
    for page in order:
        fragment, page_headings = chapter_fragment(site, page, known, site_url)
        chapters.append(fragment)
        if page_headings:
            first = page_headings[0]
            headings.append(Heading(first.anchor, first.title, 1))
            headings += [Heading(h.anchor, h.title, 2) for h in page_headings[1:] if h.level == 2]
    head = BeautifulSoup((site / order[0]).read_text(encoding="utf-8"), "html.parser").head
    styles = "".join(str(link) for link in head.select('link[rel="stylesheet"]'))
    title = html.escape(head.title.get_text() if head.title else "Report")
    document = (
        f'<!DOCTYPE html><html lang="en" data-theme="light" data-mode="light"><head><meta charset="utf-8">'
        f"<title>{title}</title>{styles}<style>{PRINT_CSS}</style></head>"
        f'<body><main class="bd-main"><div class="bd-content"><article class="bd-article">'
        f'{contents_html(headings, pages)}{"".join(chapters)}</article></div></main></body></html>'
    )
    return document, headings


# The cover.


@dataclass(frozen=True)
class Edition:
    title: str
    version: str
    released: str
    data_accessed: str
    authors: list[str]
    citation: str


def edition(citation_file: Path, manifest_file: Path, site_url: str | None) -> Edition:
    """Title, edition, dates, authors and the citation, from CITATION.cff and the data manifest."""
    cff = yaml.safe_load(citation_file.read_text(encoding="utf-8"))
    authors = [a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
               for a in cff.get("authors", [])]
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    pinned = manifest.get("pinned", {})

    def is_pinned(resource: dict[str, Any]) -> bool:
        chosen = pinned.get(resource.get("dataset"))
        return resource.get("vintage") in (chosen if isinstance(chosen, list) else [chosen])

    accessed = max((r.get("accessed", "") for r in manifest["resources"] if is_pinned(r)), default="")
    released = str(cff.get("date-released", ""))
    year = released[:4]
    where = f" {site_url}" if site_url else ""
    citation = f"{'; '.join(authors)} ({year}). {cff['title']}. Version {cff.get('version', '')}.{where}"
    return Edition(cff["title"], str(cff.get("version", "")), released, accessed, authors, citation)


def cover_html(site: Path, first_page: str, info: Edition) -> str:
    from bs4 import BeautifulSoup

    head = BeautifulSoup((site / first_page).read_text(encoding="utf-8"), "html.parser").head
    styles = "".join(str(link) for link in head.select('link[rel="stylesheet"]'))
    title, _, subtitle = info.title.partition(": ")
    return (
        f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{styles}<style>"
        "body { background: #fff; } .cover { height: 250mm; display: flex; flex-direction: column; }"
        ".cover h1 { font-size: 2.3rem; margin-top: 45mm; } .cover .sub { font-size: 1.3rem; }"
        ".cover .meta { margin-top: auto; font-size: 0.95rem; } .cover dt { font-weight: 600; }"
        "</style></head><body><div class=\"cover\">"
        f"<h1>{html.escape(title)}</h1><p class=\"sub\">{html.escape(subtitle)}</p>"
        f'<dl class="meta"><dt>Edition</dt><dd>Version {html.escape(info.version)}, released {html.escape(info.released)}; '
        f"data accessed up to {html.escape(info.data_accessed)}</dd>"
        f"<dt>Authors</dt><dd>{html.escape('; '.join(info.authors))}</dd>"
        f"<dt>How to cite</dt><dd>{html.escape(info.citation)}</dd></dl></div></body></html>"
    )


# Printing.


# Chromium's header repeats one text on every page; the running heads (the chapter a page
# belongs to) are printed apart, one sheet per page, and laid over the pages (see running_heads).
NO_HEADER = "<span></span>"
HEAD_TOP_MM = 9
HEADS_CSS = (
    "@page { size: A4; margin: 0; } html, body { margin: 0; background: transparent; }"
    ".sheet { height: 297mm; break-after: page; position: relative; overflow: hidden; }"
    ".sheet:last-child { break-after: auto; }"
    f".head {{ position: absolute; top: {HEAD_TOP_MM}mm; left: {SIDE_MARGIN_MM}mm; right: {SIDE_MARGIN_MM}mm;"
    " font: 7.5pt 'DejaVu Sans', sans-serif; color: #555; border-bottom: 0.4pt solid #bbb;"
    " padding-bottom: 1mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }"
)


FOOTER = (f'<div style="font-size:8pt; color:#333; width:100%; text-align:center; '
          "font-family:'DejaVu Sans', sans-serif;\">Page <span class=\"pageNumber\"></span></div>")


def _print(browser: Any, url: str, target: Path, *, numbered: bool) -> None:
    # JavaScript off: pages print exactly what the site shows with scripts off, static charts.
    # The viewport is the printable width, so the check below sees the printed layout.
    context = browser.new_context(java_script_enabled=False, viewport=PRINTABLE)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('article table, article svg.marks, article pre')]"
        ".filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".map((e) => `${(e.closest('[id]') || {}).id} (${e.tagName.toLowerCase()})`)"
    )
    if too_wide:
        raise RuntimeError(f"{url}: wider than the printed page: {sorted(set(too_wide))[:5]}")
    options: dict[str, Any] = {"path": str(target), "format": "A4", "print_background": True,
                               "margin": MARGIN, "outline": True, "tagged": True}
    if numbered:
        options.update(display_header_footer=True, header_template=NO_HEADER, footer_template=FOOTER)
    page.pdf(**options)
    context.close()


def running_heads(headings: list[Heading], found: dict[str, tuple[int, float]], page_count: int,
                  report_title: str) -> list[str]:
    """The running head of each page of the printed book: the chapter the page belongs to.

    Pages before the first chapter (the contents) carry the report's title; a chapter's first
    page carries none, since its heading is on it.
    """
    starts = sorted((found[h.anchor][0], h.title) for h in headings if h.level == 1 and h.anchor in found)
    heads = []
    for number in range(1, page_count + 1):
        started = [(start, title) for start, title in starts if start <= number]
        if not started:
            heads.append(report_title)
        else:
            start, title = started[-1]
            heads.append("" if start == number else title)
    return heads


def heads_html(heads: list[str]) -> str:
    """One sheet per page, blank but for its running head."""
    sheets = "".join(f'<div class="sheet"><div class="head">{html.escape(head)}</div></div>'
                     if head else '<div class="sheet"></div>' for head in heads)
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{HEADS_CSS}</style></head><body>{sheets}</body></html>'


def lay_heads_over(writer: PdfWriter, heads_pdf: Path, first_page: int) -> None:
    """Each sheet of ``heads_pdf`` laid over the writer's pages from ``first_page`` on, marked as
    a pagination artifact so that assistive technology skips it, as it skips page numbers."""
    from pypdf.generic import DecodedStreamObject

    sheets = PdfWriter(clone_from=heads_pdf)
    if len(sheets.pages) != len(writer.pages) - first_page:
        raise RuntimeError(f"{len(sheets.pages)} running heads for {len(writer.pages) - first_page} pages")
    for sheet, page in zip(sheets.pages, writer.pages[first_page:]):
        marked = DecodedStreamObject()
        marked.set_data(b"/Artifact <</Type /Pagination /Subtype /Header>> BDC\n"
                        + sheet.get_contents().get_data() + b"\nEMC\n")
        sheet.replace_contents(marked)
        page.merge_page(sheet)


def destinations(pdf: Path) -> dict[str, tuple[int, float]]:
    """Page number (1 = first page of this PDF) and height on the page of every named destination."""
    reader = PdfReader(pdf)
    return {
        name.lstrip("/"): (reader.get_destination_page_number(dest) + 1, float(dest.get("/Top") or 0))
        for name, dest in reader.named_destinations.items()
    }


def add_bookmarks(writer: PdfWriter, headings: list[Heading], found: dict[str, tuple[int, float]], offset: int) -> None:
    """Bookmarks for every chapter, with its sections under it, titled exactly as the headings.

    Chromium's own bookmarks run the words of a heading that wraps together ("rareearths"), so
    they are replaced. ``offset`` is the number of pages put before the printed book.
    """
    from pypdf.generic import Fit

    if "/Outlines" in writer.root_object:
        del writer.root_object["/Outlines"]
    chapter = None
    for heading in headings:
        page, top = found[heading.anchor]
        item = writer.add_outline_item(title=heading.title, page_number=page - 1 + offset,
                                       parent=None if heading.level == 1 else chapter,
                                       fit=Fit.xyz(left=0, top=top))
        if heading.level == 1:
            chapter = item


def check_links(pdf: Path) -> list[str]:
    """Every link of the PDF that points at a local server (there must be none)."""
    bad = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = action.get("/URI")
            if uri and urlparse(str(uri)).hostname in LOCAL_HOSTS:
                bad.append(f"page {number}: {uri}")
    return bad


def build_pdf(site: Path, pages: list[str], target: Path, *, citation: Path, manifest: Path,
              environ: Mapping[str, str] = os.environ) -> int:
    """Print the book and its cover and join them; returns the number of PDF pages written."""
    from playwright.sync_api import sync_playwright

    site_url = site_address(environ)
    info = edition(citation, manifest, site_url)
    work = target.parent / ".pdf-parts"
    work.mkdir(parents=True, exist_ok=True)
    book_file, cover_file = site / PRINT_NAME, site / COVER_NAME
    report_title = info.title.partition(": ")[0]
    try:
        cover_file.write_text(cover_html(site, pages[0], info), encoding="utf-8")
        with serve(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            _print(browser, f"{url}/{COVER_NAME}", work / "cover.pdf", numbered=False)
            numbers = None
            for _ in range(2):  # placeholders first, then the page numbers they turned out to have
                document, headings = print_document(site, pages, site_url, numbers)
                book_file.write_text(document, encoding="utf-8")
                _print(browser, f"{url}/{PRINT_NAME}", work / "book.pdf", numbered=True)
                found = destinations(work / "book.pdf")
                numbers = {h.anchor: found[h.anchor][0] for h in headings if h.anchor in found}
            heads = running_heads(headings, found, len(PdfReader(work / "book.pdf").pages), report_title)
            sheet = browser.new_page()
            sheet.set_content(heads_html(heads))
            sheet.pdf(path=str(work / "heads.pdf"), format="A4", margin=dict.fromkeys(MARGIN, "0"))
            browser.close()
        missing = [h.title for h in headings if h.anchor not in numbers]
        if missing:
            raise RuntimeError(f"the PDF has no page for these headings of the contents: {missing}")
        writer = PdfWriter(clone_from=work / "book.pdf")
        lay_heads_over(writer, work / "heads.pdf", first_page=0)
        writer.insert_page(PdfReader(work / "cover.pdf").pages[0], 0)
        add_bookmarks(writer, headings, found, offset=1)
        writer.add_metadata({"/Title": info.title, "/Author": "; ".join(info.authors),
                             "/Subject": f"Version {info.version}, released {info.released}"})
        writer.page_mode = "/UseOutlines"
        with target.open("wb") as handle:
            writer.write(handle)
        count = len(writer.pages)
    finally:
        for leftover in (book_file, cover_file, *work.glob("*.pdf")):
            leftover.unlink(missing_ok=True)
        if work.is_dir():
            work.rmdir()
    local = check_links(target)
    if local:
        raise RuntimeError(f"{target}: links to a local server: {'; '.join(local[:5])}")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="_build/html")
    parser.add_argument("--toc", default="_toc.yml")
    parser.add_argument("--citation", default="CITATION.cff")
    parser.add_argument("--manifest", default="data/datapackage.json")
    args = parser.parse_args(argv)
    site = Path(args.site)
    start = time.perf_counter()
    count = build_pdf(site, book_order(Path(args.toc)), site / PDF_NAME,
                      citation=Path(args.citation), manifest=Path(args.manifest))
    print(f"PDF: {site / PDF_NAME} ({count} pages, {time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
