"""The trimbench command line: argument parsing and rendering only; the work is done by the core modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import TrimbenchError
from . import check, golden, publish, refactor, report

# Each subcommand module offers register(subparsers) and sets args.run(args) -> int.
COMMANDS = (check, golden, publish, report, refactor)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trimbench",
        description="Shrink a program line by line, proving every time that it still does exactly the same thing.",
        epilog="Exit codes: 0 success, 1 a variant failed its check (or the command's own failure), "
        "2 usage, configuration or data error.",
    )
    parser.add_argument("--version", action="version", version=f"trimbench {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    try:
        return args.run(args)
    except TrimbenchError as exc:
        print(f"trimbench: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("trimbench: interrupted", file=sys.stderr)
        return 130
