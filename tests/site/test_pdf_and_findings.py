"""The downloadable PDF holds every page and chart; the landing page's numbers match the data."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from pypdf import PdfReader

import mineral_report as report
from mineral_report.book.page_figures import built_chart_specs
from mineral_report.book.pdf import PDF_NAME, book_order, check_links
from mineral_report.findings import import_mix, reserve_change
from mineral_report.magnets import magnet_unit_values, rare_earth_magnet_estimates
from mineral_report.reserves import concentration_table, revisions
from mineral_report.trade import latest_final_year, russia_share_of_imports

from ..conftest import REPO, SITE


@pytest.fixture(scope="module")
def pdf_text() -> tuple[int, str]:
    reader = PdfReader(SITE / PDF_NAME)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), _plain(text)


def _plain(text: str) -> str:
    """Undo typesetting (ligatures such as ﬁ, curly apostrophes) and collapse white space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).replace("\u2019", "'"))


def _chart_titles() -> list[str]:
    titles = []
    for page in book_order(REPO / "_toc.yml"):
        for spec in built_chart_specs(SITE / page):
            title = spec["title"]
            text = title["text"] if isinstance(title, dict) else title
            # A long title is set on several lines (a list in the spec).
            titles.append(" ".join(text) if isinstance(text, list) else text)
    return titles


def test_pdf_has_a_page_or_more_per_chapter(pdf_text) -> None:
    pages, _ = pdf_text
    assert pages >= len(book_order(REPO / "_toc.yml")) * 2


def test_pdf_holds_every_chart(pdf_text) -> None:
    _, text = pdf_text
    titles = _chart_titles()
    assert len(titles) >= 15
    # Chart titles are drawn as SVG text, so each appears in the PDF only if its chart was drawn.
    missing = [t for t in titles if _plain(t)[:40] not in text]
    assert missing == []


@pytest.fixture(scope="module")
def reader() -> PdfReader:
    return PdfReader(SITE / PDF_NAME)


def _page_texts(reader: PdfReader) -> list[str]:
    return [_plain(page.extract_text() or "") for page in reader.pages]


def _chapter_titles() -> list[str]:
    """Each page's first heading, as the site shows it."""
    from bs4 import BeautifulSoup

    titles = []
    for page in book_order(REPO / "_toc.yml"):
        heading = BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser").select_one("article h1")
        assert heading is not None, page
        for link in heading.select("a.headerlink"):
            link.decompose()
        titles.append(_plain(heading.get_text(" ", strip=True)).strip())
    return titles


def _outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        titles += _outline_titles(item) if isinstance(item, list) else [_plain(item.title).strip()]
    return titles


def test_pdf_bookmarks_every_chapter_and_is_tagged(reader) -> None:
    bookmarks = _outline_titles(reader.outline)
    assert [t for t in _chapter_titles() if t not in bookmarks] == []
    assert len(bookmarks) > len(_chapter_titles())  # sections too
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_pdf_starts_with_a_cover_and_a_contents_with_page_numbers(reader) -> None:
    texts = _page_texts(reader)
    cover = texts[0]
    # The contents run from the second page to the page before the first entry's page.
    first_entry = int(re.search(r"Contents\s+.*? (\d+)\b", texts[1]).group(1))
    contents = "\n".join(texts[1:first_entry])
    assert "How to cite" in cover and "Authors" in cover and "Edition" in cover
    assert not re.search(r"Page \d+", cover)
    for title in _chapter_titles():
        # The contents line of a chapter ends with the page it starts on, in the page footers.
        match = re.search(re.escape(title[:40]) + r".*? (\d+)", contents)
        assert match, title
        start = int(match.group(1))
        assert title[:40] in texts[start], (title, start)


def test_every_page_but_the_cover_has_its_page_number(reader) -> None:
    texts = _page_texts(reader)
    missing = [i for i, text in enumerate(texts[1:], start=1) if not re.search(rf"Page {i}\b", text)]
    assert missing == []


def test_running_heads_name_the_chapter_each_page_belongs_to(reader) -> None:
    """Every page after a chapter's first is headed by that chapter's title; a chapter's first
    page carries its heading instead."""
    texts = _page_texts(reader)
    starts = sorted((reader.get_destination_page_number(item), _plain(item.title).strip())
                    for item in reader.outline if not isinstance(item, list))
    unheaded = []
    for (start, title), (end, _) in zip(starts, [*starts[1:], (len(texts), "")]):
        unheaded += [(number, title) for number in range(start + 1, end) if title[:40] not in texts[number]]
    assert unheaded == []
    assert sum(end - start - 1 for (start, _), (end, _) in zip(starts, starts[1:])) > len(starts)


def test_pdf_links_never_point_at_a_local_server(reader) -> None:
    assert check_links(SITE / PDF_NAME) == []
    uris = [
        str((a.get_object().get("/A") or {}).get("/URI", ""))
        for page in reader.pages for a in page.get("/Annots") or []
    ]
    assert not [u for u in uris if "127.0.0.1" in u or "localhost" in u]
    internal = [a for page in reader.pages for a in page.get("/Annots") or [] if "/Dest" in a.get_object()]
    assert len(internal) >= len(_chapter_titles())  # the contents at least


def test_no_page_is_almost_empty(reader) -> None:
    """A page may be short where a chapter ends, nowhere else."""
    starts = chapter_start_pages(reader)
    assert len(starts) == len(_chapter_titles())
    texts = _page_texts(reader)
    short = [
        number for number, text in enumerate(texts[1:], start=1)
        if len(text) < 300 and (number + 1) not in starts and number != len(texts) - 1
    ]
    assert short == []


def chapter_start_pages(reader: PdfReader) -> set[int]:
    """Index of the page each chapter's bookmark points at (the top level of the outline)."""
    return {reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)}


WEB_ONLY = ("Download the data (CSV)", "Code cell that made this chart", "Notebook (.ipynb)",
            "Data table for this chart", "click to filter", "Click a category", "Download the whole report",
            "Show code cell")


def test_pdf_prints_no_web_only_text_and_no_code(pdf_text) -> None:
    _, text = pdf_text
    assert [phrase for phrase in WEB_ONLY if phrase.lower() in text.lower()] == []
    code_lines = {
        _plain(line).strip()
        for notebook in (REPO / "chapters").glob("*.ipynb")
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if len(line.strip()) >= 25 and not line.strip().startswith("#")
    }
    assert code_lines
    assert [line for line in code_lines if line in text] == []


_CJK = re.compile(r"[\u3400-\u9fff]")


def _mapped_characters(font) -> set[str]:
    """The characters a font's ToUnicode map draws (an embedded font carries its glyphs)."""
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return set()
    data = cmap.get_object().get_data().decode("latin-1")
    found = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for hexes in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
            found.add(bytes.fromhex(hexes).decode("utf-16-be", errors="ignore"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for low, high, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = ord(bytes.fromhex(start).decode("utf-16-be", errors="ignore")[:1] or "\0")
            found.update(chr(first + k) for k in range(int(high, 16) - int(low, 16) + 1))
    return found


def _embedded(font) -> bool:
    font = font.get_object()
    if font.get("/Subtype") == "/Type3":
        return bool(font.get("/CharProcs"))
    descendants = font.get("/DescendantFonts")
    descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_embeds_a_font_for_the_chinese_it_prints(reader) -> None:
    pages = [(page, set(_CJK.findall(page.extract_text() or ""))) for page in reader.pages]
    pages = [(page, chars) for page, chars in pages if chars]
    assert pages, "the references print Chinese titles"
    for page, chars in pages:
        fonts = [f.get_object() for f in ((page.get("/Resources") or {}).get("/Font") or {}).values()]
        covered = set().union(*(_mapped_characters(f) for f in fonts if _embedded(f)))
        assert chars <= covered, sorted(chars - covered)[:10]


def test_landing_page_links_the_pdf() -> None:
    assert f'href="{PDF_NAME}"' in (SITE / "index.html").read_text(encoding="utf-8")


def _pasted(html: str) -> list[str]:
    return re.findall(r'<span class="pasted-text">([^<]*)</span>', html)


def test_summary_findings_equal_the_values_the_package_computes() -> None:
    values = _pasted((SITE / "index.html").read_text(encoding="utf-8"))
    trade = report.load("india-trade-by-partner")
    latest = latest_final_year(trade)
    mix = import_mix(trade, report.load("india-imports-by-hs-chapter"))
    observations = report.load("india-mineral-trade-observations")
    magnets = magnet_unit_values(observations, report.load("magnet-unit-value-basis")).iloc[0]
    use = rare_earth_magnet_estimates(observations).iloc[0]
    usgs = report.load_all_vintages("usgs-mcs-world")
    reserves = reserve_change(revisions(usgs, "rare-earths"), "RUS")
    supply = concentration_table(usgs).query("kind == 'supply'").set_index("commodity")
    expected = [
        mix["year"], mix["status"], f"{mix['total_bn']:.1f}", f"{mix['fuels_share']:.0f}",
        f"{russia_share_of_imports(trade)[latest] * 100:.1f}", latest,
        f"{magnets['tonnes']:,.0f}", magnets["period"], f"{magnets['usd_per_kg']:.2f}",
        f"{magnets['floor_usd_per_kg']:.0f}", f"{use['annual_t']:,.0f}", f"{use['2_months_t']:,.0f}",
    ]
    assert values[: len(expected)] == expected
    for value in (f"{reserves['first_mt']:.1f}", str(reserves["first_edition"]), f"{reserves['current_mt']:.1f}",
                  f"{supply.at['rare-earths', 'china_share'] * 100:.0f}", f"{supply.at['palladium', 'russia_share'] * 100:.0f}"):
        assert value in values, value


def test_the_landing_page_lists_every_watch_item_with_its_sources() -> None:
    html = (SITE / "index.html").read_text(encoding="utf-8")
    items = report.load("watch-items")
    assert html.count('<ul class="watch-list">') == 1
    for topic in items["topic"]:
        assert topic.replace("'", "&#x27;") in html, topic
    assert 'href="https://pib.gov.in/PressReleasePage.aspx?PRID=2261399"' in html
