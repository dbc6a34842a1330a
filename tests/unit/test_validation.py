"""Bad data fail fast, naming file, row and column; validation never changes data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from mineral_report import DataValidationError, load
from mineral_report.cli import main
from mineral_report.data.manifest import read_manifest
from mineral_report.data.validate import validate_all

from ..conftest import DATA, digests

TRADE = "dgcis-trade/2026-11-22/india_trade_by_partner.csv"



def _problems(data_dir: Path) -> list[str]:
    return [str(p) for p in validate_all(read_manifest(data_dir))]


def _replace_cell(lines: list[str], line_number: int, column: int, value: str) -> list[str]:
    """Set one cell of a simple CSV line (the trade file has no quoted commas before column 5)."""
    cells = lines[line_number - 1].split(",")
    cells[column] = value
    lines[line_number - 1] = ",".join(cells)
    return lines


def test_shipped_data_pass_and_are_left_untouched() -> None:
    before = digests(DATA)
    assert _problems(DATA) == []
    assert digests(DATA) == before


def test_non_numeric_value_is_named_by_file_row_and_column(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: _replace_cell(lines, 5, 3, "n/a"))
    assert _problems(data_copy) == [
        f"data/{TRADE}, row 5, column 'imports_usd_mn': 'n/a' is not a number"
    ]


def test_negative_quantity_is_rejected(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: _replace_cell(lines, 7, 2, "-12.5"))
    assert _problems(data_copy) == [
        f"data/{TRADE}, row 7, column 'exports_usd_mn': '-12.5' is below the minimum 0"
    ]


def test_missing_column_is_named(edit_csv, data_copy) -> None:
    def drop_status(lines: list[str]) -> list[str]:
        return [",".join(line.split(",")[:4] + line.split(",")[5:]) for line in lines]

    edit_csv(TRADE, drop_status)
    assert f"data/{TRADE}, row 1, column 'data_status': column is in the schema but missing from the file" in _problems(data_copy)


def test_extra_column_is_named(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: [lines[0] + ",comment"] + [line + "," for line in lines[1:]])
    assert _problems(data_copy) == [
        f"data/{TRADE}, row 1, column 'comment': column is in the file but not in the schema"
    ]


def test_duplicate_primary_key_is_named(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: lines + [lines[3]])
    rows = len((data_copy / TRADE).read_text().splitlines())
    assert _problems(data_copy) == [
        f"data/{TRADE}, row {rows}, column 'fiscal_year + partner_iso3': duplicate primary key "
        f"({lines_key(data_copy)})"
    ]


def lines_key(data_copy: Path) -> str:
    cells = (data_copy / TRADE).read_text().splitlines()[3].split(",")
    return f"{cells[0]} | {cells[1]}"


def test_unknown_country_code_is_named(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: _replace_cell(lines, 4, 1, "RUX"))
    problems = _problems(data_copy)
    assert f"data/{TRADE}, row 4, column 'partner_iso3': 'RUX' is not a known ISO 3166-1 alpha-3 code" in problems


def test_checksum_mismatch_is_reported(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: _replace_cell(lines, 2, 2, "1.00"), rehash=False)
    (problem,) = _problems(data_copy)
    assert problem.startswith(f"data/{TRADE}: checksum mismatch")


def test_file_missing_from_manifest_is_reported(data_copy) -> None:
    (data_copy / "dgcis-trade" / "stray.csv").write_text("a,b\n1,2\n")
    assert _problems(data_copy) == ["data/dgcis-trade/stray.csv: file is not listed in the manifest"]


def test_loader_refuses_corrupted_data(edit_csv, data_copy) -> None:
    edit_csv(TRADE, lambda lines: _replace_cell(lines, 5, 3, "n/a"))
    with pytest.raises(DataValidationError, match=r"row 5, column 'imports_usd_mn'"):
        load("india-trade-by-partner", data_dir=data_copy)


def test_validate_command_fails_on_corrupted_data(edit_csv, data_copy, capsys) -> None:
    edit_csv(TRADE, lambda lines: _replace_cell(lines, 5, 3, "n/a"))
    assert main(["--data-dir", str(data_copy), "validate"]) == 1
    assert "row 5, column 'imports_usd_mn'" in capsys.readouterr().err
    assert main(["--data-dir", str(DATA), "validate"]) == 0
