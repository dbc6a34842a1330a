"""What frames every page: folded code cells, and the citation read from CITATION.cff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mineral_report.citation import citation_html, read_citation
from mineral_report.reading import fold_code_cells

from ..conftest import REPO


def test_every_code_cell_is_folded_and_markdown_is_left_alone() -> None:
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Title"},
                          {"cell_type": "code", "metadata": {"tags": ["remove-cell"]}, "source": "x = 1"},
                          {"cell_type": "code", "metadata": {}, "source": "x"}]}
    folded = json.loads(fold_code_cells(json.dumps(notebook)))
    assert "tags" not in folded["cells"][0]["metadata"]
    assert folded["cells"][1]["metadata"]["tags"] == ["remove-cell", "hide-input"]
    assert folded["cells"][2]["metadata"]["tags"] == ["hide-input"]


def test_the_citation_comes_from_the_repository_citation_file() -> None:
    citation = read_citation(REPO / "CITATION.cff")
    assert citation.authors == ("The India–Russia Critical Minerals Report contributors",)
    assert citation.text().startswith("The India–Russia Critical Minerals Report contributors (2026). India–Russia cooperation")
    assert "Version 0.1.0" in citation.text()
    block = citation_html(citation)
    assert "Written by" in block and "@misc{" in block


def test_a_citation_file_without_authors_fails_clearly(tmp_path: Path) -> None:
    broken = tmp_path / "CITATION.cff"
    broken.write_text('cff-version: 1.2.0\ntitle: "A report"\nversion: "1"\ndate-released: "2026-01-01"\n')
    with pytest.raises(ValueError, match="CITATION.cff lacks authors"):
        read_citation(broken)
