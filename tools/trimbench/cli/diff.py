"""`trimbench diff`: what changed from one file to another, and the lines that saved in each section."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from ..diffing import CONTEXT, Diff
from ..project import variant_path
from ..report import diff_files, diff_json, diff_markdown, diff_plain, terminal
from . import tables
from .configured import configuration

DESCRIPTION = """\
Show the unified diff from A to B, with their physical and honest lines and the lines saved in each
section of the program (the sections of `trimbench report --sections`). Each of A and B is a path, or
a name in the variants folder with or without .py (24_attn_output_start). Lines are compared as the
counts read them: in the file's encoding, without a BOM, every newline a \\n.
On a terminal + and - lines are coloured (not with NO_COLOR set); to a pipe the diff is plain text,
as diff -u writes it, after the summary and the table.
"""

EPILOG = """\
Exit codes: 0 the diff was shown, whether or not the files differ (unlike diff(1): two variants are
meant to differ); 2 a missing file, a syntax error, a file over max_source_kb, usage or configuration
error."""


def lines_of_context(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of lines")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser("diff", help="the unified diff of two files and the lines saved per section",
                                   description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", metavar="A", help="the file before: a path, or a name in the variants folder")
    parser.add_argument("b", metavar="B", help="the file after: a path, or a name in the variants folder")
    parser.add_argument("--context", type=lines_of_context, default=CONTEXT, metavar="N",
                        help=f"unchanged lines shown around each change (default {CONTEXT})")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="text for the terminal or a pipe (default), markdown (a table and a ```diff block), "
                             "or one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = configuration(args, [args.a])
    changes = diff_files(config, variant_path(config, args.a), variant_path(config, args.b), args.context)
    if args.format == "json":
        sys.stdout.write(diff_json(changes))
    elif args.format == "markdown":
        sys.stdout.write(diff_markdown(changes))
    else:
        show(Console(highlight=False), changes)
    return 0


def show(console: Console, changes: Diff) -> None:
    """In colour on a terminal (rich leaves colour out with NO_COLOR), as plain unified text to a pipe."""
    if not console.is_terminal:
        console.file.write(diff_plain(changes))
        return
    summary, table, text = terminal.diff_parts(changes)
    console.print(summary, soft_wrap=True)
    console.print()
    tables.show(console, table, terminal.diff_records(changes))
    console.print()
    console.print(text, soft_wrap=True)  # a long line runs on as the terminal wraps it, never folded by rich
