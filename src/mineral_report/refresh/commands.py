"""The ``refresh`` and ``diff`` subcommands of ``mineral-report``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from mineral_report.data.errors import DataValidationError
from mineral_report.data.manifest import Resource, find_data_dir
from mineral_report.refresh import comtrade, usgs
from mineral_report.refresh.diff import DEFAULT_TOLERANCE, as_markdown, as_text, diff_vintages
from mineral_report.refresh.errors import RefreshError


def parse_years(text: str) -> list[int]:
    """"2020-2024" or "2020,2022" → the years, so a range can be given without listing it."""
    try:
        years: set[int] = set()
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            years.update(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year range like 2020-2024") from None
    if not years:
        raise argparse.ArgumentTypeError(f"{text!r} names no year")
    return sorted(years)


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else find_data_dir()


def _reporting_errors(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Any refresh failure becomes one line on stderr and exit status 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (RefreshError, DataValidationError) as error:
            print(f"mineral-report {args.command}: " + " ".join(str(error).split()), file=sys.stderr)
            return 1

    return run


def _published(resource: Resource, pin: bool) -> int:
    pinned = "pinned" if pin else "not pinned; add --pin to make the book use it"
    print(f"published {resource.name}: data/{resource.path} ({pinned})")
    return 0


@_reporting_errors
def _refresh_comtrade(args: argparse.Namespace) -> int:
    return _published(comtrade.refresh(_data_dir(args), args.years, pin=args.pin), args.pin)


@_reporting_errors
def _refresh_usgs(args: argparse.Namespace) -> int:
    resource = usgs.refresh(_data_dir(args), args.edition, args.item, pin=args.pin, file_name=args.file)
    return _published(resource, args.pin)


@_reporting_errors
def _diff(args: argparse.Namespace) -> int:
    key = [column.strip() for column in args.key.split(",")] if args.key else None
    found = diff_vintages(args.dataset, args.old, args.new, key, args.tolerance, _data_dir(args))
    sys.stdout.write(as_markdown(found) if args.markdown else as_text(found))
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    refresh = commands.add_parser("refresh", help="fetch fresh data from a publisher as a new vintage")
    sources = refresh.add_subparsers(dest="source", required=True)

    from_comtrade = sources.add_parser(
        "comtrade",
        help="India's imports of the HS basket from UN Comtrade (COMTRADE_BASE_URL, COMTRADE_API_KEY)",
    )
    from_comtrade.add_argument("--years", type=parse_years, required=True, help="e.g. 2020-2024")
    from_comtrade.add_argument("--pin", action="store_true", help="make the book use the new vintage")
    from_comtrade.set_defaults(run=_refresh_comtrade)

    from_usgs = sources.add_parser(
        "usgs", help="USGS MCS world data from a ScienceBase data release (SCIENCEBASE_BASE_URL)"
    )
    from_usgs.add_argument("--edition", type=int, required=True, help="MCS edition, e.g. 2026")
    from_usgs.add_argument("--item", required=True, help="ScienceBase item id of the data release")
    from_usgs.add_argument("--file", help="file name on the item (default World_Data_Release_MCS_<edition>.zip)")
    from_usgs.add_argument("--pin", action="store_true", help="make the book use the new vintage")
    from_usgs.set_defaults(run=_refresh_usgs)

    diff = commands.add_parser("diff", help="rows added, removed and changed between two vintages")
    diff.add_argument("dataset")
    diff.add_argument("old", metavar="old_vintage")
    diff.add_argument("new", metavar="new_vintage")
    diff.add_argument("--markdown", action="store_true", help="Markdown tables for the book")
    diff.add_argument("--key", help="comma-separated key columns (default: per dataset)")
    diff.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="relative, for numbers")
    diff.set_defaults(run=_diff)
