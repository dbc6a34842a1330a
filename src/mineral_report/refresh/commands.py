"""The ``refresh`` and ``diff`` subcommands of ``mineral-report``."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from mineral_report.data.manifest import Resource, find_data_dir
from mineral_report.refresh import comtrade, usgs
from mineral_report.refresh.diff import DEFAULT_TOLERANCE, as_markdown, as_text, diff_vintages
from mineral_report.refresh.vintage import AlreadyPublished

FIRST_YEAR = 1988  # the first year of HS-classified trade data, and before any MCS data release
MAX_YEARS = 40
SCIENCEBASE_ITEM = re.compile(r"[0-9a-f]{24}")
PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]*")


def _year(text: str, last: int) -> int:
    if not text.strip().isdigit() or len(text.strip()) > 4:
        raise argparse.ArgumentTypeError(f"{text.strip()!r} is not a year")
    year = int(text)
    if not FIRST_YEAR <= year <= last:
        raise argparse.ArgumentTypeError(f"{year} is outside {FIRST_YEAR}–{last}")
    return year


def parse_years(text: str, today: date | None = None) -> list[int]:
    """ "2020-2024" or "2020,2022" → the years, each from 1988 to this year, at most 40 of them."""
    this_year = (today or date.today()).year
    years: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        start = _year(first, this_year)
        end = _year(last, this_year) if dash else start
        if end < start:
            raise argparse.ArgumentTypeError(f"{part.strip()!r} runs backwards")
        if end - start + 1 > MAX_YEARS:
            raise argparse.ArgumentTypeError(f"{part.strip()!r} spans more than {MAX_YEARS} years")
        years.update(range(start, end + 1))
    if len(years) > MAX_YEARS:
        raise argparse.ArgumentTypeError(f"{text!r} names more than {MAX_YEARS} years")
    return sorted(years)


def parse_edition(text: str) -> int:
    """An MCS edition: a year from 1988 to next year (an edition appears early in its year)."""
    return _year(text, date.today().year + 1)


def parse_item(text: str) -> str:
    """A ScienceBase item id: 24 hexadecimal digits, as in ``.../catalog/item/<id>``."""
    item = text.strip().lower()
    if not SCIENCEBASE_ITEM.fullmatch(item):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a ScienceBase item id (24 hexadecimal digits, e.g. 5f0c0ffee0000000000c0de1)"
        )
    return item


def parse_file_name(text: str) -> str:
    """A file on the ScienceBase item (a plain name), or a local copy of a release (a path that exists)."""
    if Path(text).exists():
        return text
    if not PLAIN_FILE_NAME.fullmatch(text) or ".." in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not a plain file name")
    return text


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else find_data_dir()


def _published(resource: Resource, pin: bool) -> int:
    pinned = "pinned" if pin else "not pinned; add --pin to make the book use it"
    print(f"published {resource.name}: data/{resource.path} ({pinned})")
    return 0


def _already(published: AlreadyPublished) -> int:
    print(f"{published.resource.name}: {published}")
    return 0


def _refresh_comtrade(args: argparse.Namespace) -> int:
    try:
        return _published(comtrade.refresh(_data_dir(args), args.years, pin=args.pin), args.pin)
    except AlreadyPublished as published:
        return _already(published)


def _refresh_usgs(args: argparse.Namespace) -> int:
    try:
        resource = usgs.refresh(
            _data_dir(args), args.edition, args.item, pin=args.pin, file_name=args.file
        )
    except AlreadyPublished as published:
        return _already(published)
    return _published(resource, args.pin)


def _diff(args: argparse.Namespace) -> int:
    key = [column.strip() for column in args.key.split(",")] if args.key else None
    found = diff_vintages(args.dataset, args.old, args.new, key, args.tolerance, _data_dir(args))
    sys.stdout.write(as_markdown(found) if args.markdown else as_text(found))
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    refresh = commands.add_parser(
        "refresh", help="fetch fresh data from a publisher as a new vintage"
    )
    sources = refresh.add_subparsers(dest="source", required=True)

    from_comtrade = sources.add_parser(
        "comtrade",
        help="India's imports of the HS basket from UN Comtrade (COMTRADE_BASE_URL, COMTRADE_API_KEY)",
    )
    from_comtrade.add_argument(
        "--years",
        type=parse_years,
        required=True,
        help=f"e.g. 2020-2024 (from {FIRST_YEAR}, at most {MAX_YEARS} years)",
    )
    from_comtrade.add_argument(
        "--pin", action="store_true", help="make the book use the new vintage"
    )
    from_comtrade.set_defaults(run=_refresh_comtrade)

    from_usgs = sources.add_parser(
        "usgs", help="USGS MCS world data from a ScienceBase data release (SCIENCEBASE_BASE_URL)"
    )
    from_usgs.add_argument(
        "--edition", type=parse_edition, required=True, help="MCS edition, e.g. 2026"
    )
    from_usgs.add_argument(
        "--item", type=parse_item, required=True, help="ScienceBase item id of the data release"
    )
    from_usgs.add_argument(
        "--file",
        type=parse_file_name,
        help="file name on the item (default World_Data_Release_MCS_<edition>.zip)",
    )
    from_usgs.add_argument("--pin", action="store_true", help="make the book use the new vintage")
    from_usgs.set_defaults(run=_refresh_usgs)

    diff = commands.add_parser("diff", help="rows added, removed and changed between two vintages")
    diff.add_argument("dataset")
    diff.add_argument("old", metavar="old_vintage")
    diff.add_argument("new", metavar="new_vintage")
    diff.add_argument("--markdown", action="store_true", help="Markdown tables for the book")
    diff.add_argument("--key", help="comma-separated key columns (default: per dataset)")
    diff.add_argument(
        "--tolerance", type=float, default=DEFAULT_TOLERANCE, help="relative, for numbers"
    )
    diff.set_defaults(run=_diff)
