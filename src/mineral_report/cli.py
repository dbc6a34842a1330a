"""Command line: ``mineral-report validate`` (and the refresh commands).

Every expected failure (bad data, a bad manifest, no data folder, a file that cannot be read, a
refresh that cannot complete) is one line on stderr and a non-zero exit; ``--debug`` adds the
traceback. Nothing printed can hold a credential: messages and tracebacks pass through the
refresh client's scrubber.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from mineral_report.data.errors import DataValidationError, ManifestError
from mineral_report.data.manifest import find_data_dir, read_manifest
from mineral_report.data.validate import validate_all
from mineral_report.refresh.commands import add_commands as add_refresh_commands
from mineral_report.refresh.errors import RefreshError
from mineral_report.refresh.http import scrub

EXPECTED = (RefreshError, DataValidationError, ManifestError, OSError, KeyError, UnicodeDecodeError)


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


class _Parser(argparse.ArgumentParser):
    """Bad arguments are one line too (``--help`` shows the usage)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mineral-report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="the report's data folder (default: ./data upward)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of a failure")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check every data file against the manifest").set_defaults(
        run=_validate
    )
    add_refresh_commands(commands)
    return parser


def describe(error: BaseException) -> str:
    """One line for a failure, naming the file where there is one."""
    if isinstance(error, OSError) and error.filename is not None:
        text = f"cannot read {error.filename}: {error.strerror or error}"
    elif isinstance(error, KeyError) and error.args:
        text = str(error.args[0])
    elif isinstance(error, EXPECTED):
        text = str(error)
    else:
        text = f"unexpected {type(error).__name__}: {error} (run with --debug for the traceback)"
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"mineral-report {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # every failure is one scrubbed line; --debug adds the traceback
        if args.debug:
            print(scrub("".join(traceback.format_exception(error))), file=sys.stderr, end="")
        print(scrub(f"mineral-report {args.command}: {describe(error)}"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
