"""A reader can re-run a chapter: from its .ipynb download, or on Binder or Colab.

The launch buttons need the public repository, which this clone may not know, so they are
checked on a one-chapter book built with the book's own ``_config.yml`` and a named repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbclient
import nbformat
import pytest

from mineral_report.data.manifest import DATA_DIR_ENV
from mineral_report.book.launch import BRANCH_ENV, REPOSITORY_ENV

from ..conftest import DATA, REPO, SITE
from .test_accessibility import AXE, BLOCKING

CHAPTERS = sorted(p.stem for p in (REPO / "chapters").glob("*.ipynb"))
EXAMPLE_REPOSITORY = "https://github.com/example-owner/example-report"
FASTEST_CHAPTER = "06-claims"


def _notebook_download(chapter: str) -> Path:
    return SITE / "_sources" / "chapters" / f"{chapter}.ipynb"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_offers_its_notebook_with_instructions(chapter: str) -> None:
    page = (SITE / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    assert f'href="../_sources/chapters/{chapter}.ipynb"' in page
    first_cell = nbformat.read(_notebook_download(chapter), as_version=4).cells[0]
    assert first_cell.cell_type == "markdown"
    for instruction in ("pip install", DATA_DIR_ENV, "Binder", "Colab"):
        assert instruction in first_cell.source


def _outputs(notebook: nbformat.NotebookNode) -> list[list[object]]:
    return [
        [output.get("data", output.get("text")) for output in cell.outputs]
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]


def _execute_in(folder: Path, notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    return client.execute()


def test_a_downloaded_notebook_reproduces_its_outputs_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    download = nbformat.read(_notebook_download(FASTEST_CHAPTER), as_version=4)
    monkeypatch.setenv(DATA_DIR_ENV, str(DATA))
    executed = _execute_in(tmp_path, nbformat.from_dict(download))
    assert _outputs(executed) == _outputs(download)


def test_without_the_data_folder_a_downloaded_notebook_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    download = nbformat.read(_notebook_download(FASTEST_CHAPTER), as_version=4)
    with pytest.raises(nbclient.exceptions.CellExecutionError, match=DATA_DIR_ENV):
        _execute_in(tmp_path, download)


@pytest.fixture(scope="module")
def launch_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A one-chapter book built with the report's configuration and a known repository."""
    book = tmp_path_factory.mktemp("launch-book")
    for name in ("_config.yml", "references.bib", "CITATION.cff"):
        shutil.copy(REPO / name, book / name)
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: chapters/sample\n", encoding="utf-8"
    )
    (book / "index.md").write_text("# Sample book\n\nOne chapter.\n", encoding="utf-8")
    (book / "chapters").mkdir()
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Sample chapter"), nbformat.v4.new_code_cell("6 * 7")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(notebook, book / "chapters" / "sample.ipynb")
    environ = {**os.environ, REPOSITORY_ENV: EXAMPLE_REPOSITORY, BRANCH_ENV: "main"}
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    completed = subprocess.run(
        [str(jupyter_book), "build", str(book), "-W", "-n", "--keep-going"],
        env=environ, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    yield book / "_build" / "html"


def test_launch_buttons_open_the_chapter_on_binder_and_colab(launch_book: Path) -> None:
    page = (launch_book / "chapters" / "sample.html").read_text(encoding="utf-8")
    binder = "https://mybinder.org/v2/gh/example-owner/example-report/main?urlpath=lab/tree/chapters/sample.ipynb"
    colab = "https://colab.research.google.com/github/example-owner/example-report/blob/main/chapters/sample.ipynb"
    assert f'href="{binder}"' in page
    assert f'href="{colab}"' in page
    assert f'href="{EXAMPLE_REPOSITORY}"' in page
    for icon in ("logo_binder.svg", "logo_colab.png"):
        assert f'src="../_static/images/{icon}"' in page
        assert (launch_book / "_static" / "images" / icon).is_file()


@pytest.mark.browser
def test_launch_buttons_pass_the_accessibility_check(launch_book: Path, browser) -> None:
    from mineral_report.book.pdf import serve

    with serve(launch_book) as url:
        page = browser.new_page()
        page.goto(f"{url}/chapters/sample.html", wait_until="load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        page.close()
    blocking = [v["id"] for v in result["violations"] if v["impact"] in BLOCKING]
    assert blocking == []
