"""`trimbench codemod`: one codemod applied to SRC, proved, and written to DEST only when bit-exact."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from .. import refactor
from ..codemods import CODEMODS
from ..fileio import check_destination, write_atomic
from ..refactor import LineChange, Status
from .check import show_verdicts
from .configured import configuration
from .progress import CheckProgress
from .refactoring import check_options, tier_options

KNOWN = ", ".join(CODEMODS)

EPILOG = f"""\
Codemods: {KNOWN} (see docs/codemods.md).

The rewritten program is checked before DEST is written, and DEST is written (atomically, keeping the mode
of a file it replaces) only when it is bit-exact: text-exact means the floats moved, which is not a
refactoring. So `-o SRC` is safe.

Exit codes: 0 bit-exact, DEST written; 1 not bit-exact, or the codemod does not apply (says why) or
failed, DEST not written; 2 unknown codemod, SRC missing or not parseable, DEST a folder, usage or
configuration error."""


def _option(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    return key, int(value) if value.lstrip("-").isdigit() else value


def register(subparsers) -> None:
    codemod = subparsers.add_parser(
        "codemod", help="apply one codemod, check the result, write it when bit-exact",
        description="Apply the codemod NAME to SRC, check the result in the smoke tier, and write it to DEST "
                    "when it is bit-exact. Prints the lines saved (physical, and honest: code lines after black) "
                    "and the verdict.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    codemod.add_argument("name", metavar="NAME", help=f"the codemod: {KNOWN}")
    codemod.add_argument("src", type=Path, metavar="SRC", help="the program to rewrite")
    codemod.add_argument("-o", "--output", type=Path, required=True, metavar="DEST", help="where to write the result")
    codemod.add_argument("--option", type=_option, action="append", default=[], metavar="KEY=VALUE",
                         help="an option for the codemod, e.g. extract-function's name=adam_update or line=120 "
                              "(repeatable)")
    tier_options(codemod)
    codemod.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    refactor.check_codemod_name(args.name)
    source = refactor.read_source(args.src)
    check_destination(args.output)
    config = configuration(args, [args.src])
    console = Console(highlight=False)
    with CheckProgress() as progress:
        checker = refactor.SourceChecker(config, check_options(args), args.src.name, progress)
        step = refactor.attempt(args.name, source, checker, label=str(args.output), options=dict(args.option))
    if step.status is Status.SKIPPED:
        console.print(f"{args.name} does not apply to {args.src}: {step.note}; {args.output} not written",
                      markup=False, soft_wrap=True)
        return 1
    if step.status is Status.FAILED:
        console.print(f"{args.name} failed on {args.src} (a bug in the codemod): {step.note}; "
                      f"{args.output} not written", markup=False, soft_wrap=True)
        return 1
    console.print(f"{args.name}: {args.src} {LineChange.between(source, step.source)}", markup=False,
                  soft_wrap=True)
    show_verdicts(console, [step.verdict])
    if step.status is not Status.KEPT:
        console.print(f"not bit-exact ({step.verdict.outcome.value}): {args.output} not written", markup=False,
                      soft_wrap=True)
        return 1
    write_atomic(args.output, step.source)
    console.print(f"wrote {args.output}", markup=False, soft_wrap=True)
    return 0
