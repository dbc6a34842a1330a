"""Command line: ``mineral-report validate`` (and the refresh commands)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mineral_report.data.manifest import find_data_dir, read_manifest
from mineral_report.data.validate import validate_all
from mineral_report.refresh.commands import add_commands as add_refresh_commands


def _validate(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir) if args.data_dir else find_data_dir()
    found = read_manifest(data_dir)
    problems = validate_all(found)
    if problems:
        print(f"{len(problems)} data problem(s) in {data_dir}:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"data OK: {len(found.resources)} resources in {data_dir} match the manifest")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mineral-report", description=__doc__)
    parser.add_argument("--data-dir", help="the report's data folder (default: ./data upward)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check every data file against the manifest").set_defaults(
        run=_validate
    )
    add_refresh_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
