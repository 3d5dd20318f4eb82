"""`trimbench report`: how many lines each variant saves, counted honestly, and which passing variant wins."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..check import CheckOptions, run_checks
from ..project import default_paths, real
from ..report import build_report, terminal, to_json, to_markdown, unchecked, write_chart
from .check import add_run_options
from . import tables
from .configured import configuration
from .progress import CheckProgress

DESCRIPTION = """\
Count the lines of the original and of each variant, and pick the winner: the bit-exact variant with
the fewest honest lines, ties broken by physical lines (a text-exact one is marked, never crowned).
  lines       physical lines = code + comment + blank + docstring lines
  honest      code lines once black has formatted the file at line length 120
  statements  libcst statement nodes, whatever the formatting (`a; b` is two)
  flags       what black cannot undo (`# fmt: off/skip`, long strings, `...` bodies) or what makes
              physical lines look better than the code is (`;`, one-line blocks, long lines)
Verdicts come from the check cache, and only those judged against the current original and goldens,
unfiltered, in the full tier or the project's smoke tier; other files are `unchecked`. The default
table fits 100 columns; --wide shows every count.
See docs/report.md for every definition.
"""

EPILOG = "Exit codes: 0 success, 2 a missing file, a syntax error, usage or configuration error."


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="line savings of each variant, and the winner",
                                   description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="files to report, in order "
                             "(default: the original, then every *.py in the variants folder)")
    parser.add_argument("--format", choices=("table", "markdown", "json"), default="table",
                        help="table for the terminal (default), markdown, or one JSON list")
    parser.add_argument("--wide", action="store_true",
                        help="every count in the table (statements, comments, radon's scores, ...), not the compact "
                             "view that fits 100 columns")
    parser.add_argument("--sections", action="store_true",
                        help="also count lines per section (header, dataset, tokenizer, autograd, ...)")
    parser.add_argument("--diff", action="store_true",
                        help="also show the winner's diff against the original (in markdown, a collapsed section; "
                             "in JSON, the winner's diff_vs_original)")
    parser.add_argument("--plot", type=Path, metavar="FILE.png",
                        help="write a chart of lines per file, stacked by section (an SVG when FILE ends in .svg)")
    parser.add_argument("--check", action="store_true",
                        help="run the smoke check first for every file without a cached verdict")
    add_run_options(parser.add_argument_group("options of --check"))  # --python and --input, as for check
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = configuration(args, args.paths)
    paths = [real(path) for path in args.paths or default_paths(config)]
    options = CheckOptions(tier="smoke", python=args.python, input=args.input, sandbox=args.sandbox)
    verdicts = None
    if args.check:  # smoke-check the files no trusted verdict speaks for; their verdicts join the report
        todo = unchecked(config, paths)
        with CheckProgress() as progress:
            verdicts = dict(zip(todo, run_checks(config, todo, options, progress))) if todo else {}
    report = build_report(config, paths, verdicts)
    if args.format == "json":
        sys.stdout.write(to_json(report, args.sections, args.diff))
    elif args.format == "markdown":
        sys.stdout.write(to_markdown(report, args.sections, args.diff))
    else:
        console = Console(highlight=False)
        tables.show(console, terminal.table(report, args.wide), terminal.records(report))
        for part in terminal.footer(report, args.wide, args.sections, args.diff):
            console.print()
            if isinstance(part, Table):
                tables.show(console, part, [])
            else:
                console.print(part, soft_wrap=True)
    if args.plot:
        write_chart(report, args.plot)
        print(f"chart written to {args.plot}", file=sys.stderr)
    return 0
