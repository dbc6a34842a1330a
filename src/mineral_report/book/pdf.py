"""The whole report as one PDF: each built page printed by headless Chromium, in book order.

Pages are printed from the built site served on 127.0.0.1, after every chart has been drawn,
so the PDF holds the same charts as the site, as vector graphics. Nothing is fetched from
outside the machine.
"""

from __future__ import annotations

import argparse
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from pypdf import PdfWriter

PDF_NAME = "india-russia-critical-minerals-report.pdf"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
CHART_TIMEOUT_MS = 20_000
SIDE_MARGIN_MM = 12  # left and right page margins of the printed PDF


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


def build_pdf(site: Path, pages: list[str], target: Path) -> int:
    """Print every page and join them; returns the number of PDF pages written."""
    from playwright.sync_api import sync_playwright

    writer = PdfWriter()
    parts = target.parent / ".pdf-parts"
    parts.mkdir(parents=True, exist_ok=True)
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for number, page_path in enumerate(pages):
            page = browser.new_page()
            page.goto(f"{url}/{page_path}", wait_until="load")
            charts = page.locator(".report-chart")
            for index in range(charts.count()):
                charts.nth(index).locator("svg.marks").wait_for(state="attached", timeout=CHART_TIMEOUT_MS)
            part = parts / f"{number:02d}.pdf"
            page.pdf(path=str(part), format="A4", print_background=True,
                     margin={"top": "15mm", "bottom": "15mm", "left": f"{SIDE_MARGIN_MM}mm",
                             "right": f"{SIDE_MARGIN_MM}mm"})
            page.close()
            writer.append(str(part))
        browser.close()
    writer.add_metadata({"/Title": "India–Russia cooperation in critical minerals and rare earths"})
    with target.open("wb") as handle:
        writer.write(handle)
    for part in parts.iterdir():
        part.unlink()
    parts.rmdir()
    return len(writer.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", default="_build/html")
    parser.add_argument("--toc", default="_toc.yml")
    args = parser.parse_args(argv)
    site = Path(args.site)
    count = build_pdf(site, book_order(Path(args.toc)), site / PDF_NAME)
    print(f"PDF: {site / PDF_NAME} ({count} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
