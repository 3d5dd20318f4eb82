"""`trimbench watch`: a variant re-checked every time it is saved, each verdict with its reason."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from .. import refactor
from ..check import run_checks
from ..errors import TrimbenchError
from ..verdict import Verdict
from .check import add_run_options, explanations
from .configured import configuration
from .progress import verdict_line
from .refactoring import Bars, check_options

EPILOG = """\
Checks VARIANT at once, then again each time it is saved with new content (mtime and size polled every
0.3 s, content compared by sha256). Each run is set apart by a rule with its time and what the save
changed (+added -removed lines, where), then the verdict and its reason: what a passing verdict compared;
the syntax error with its line, the first difference, or the end of a crash's stderr otherwise. Verdicts
are cached, so undoing an edit gives its verdict at once.

Exit codes: 0 stopped with Ctrl-C (or after --max-runs); 2 VARIANT missing, usage or configuration error."""


def register(subparsers) -> None:
    watch = subparsers.add_parser(
        "watch", help="re-check a variant in the smoke tier every time it is saved",
        description="Re-check VARIANT in the smoke tier every time it is saved; Ctrl-C stops.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    watch.add_argument("variant", type=Path, metavar="VARIANT", help="the file to watch")
    watch.add_argument("--steps", type=int, metavar="N", help="smoke tier with N steps (default: from config)")
    add_run_options(watch)
    watch.add_argument("--no-cache", action="store_true", help="ignore and do not consult cached verdicts")
    watch.add_argument("--max-runs", type=int, metavar="N", help="stop after N checks (default: run until Ctrl-C)")
    watch.add_argument("--interval", type=float, default=0.3, metavar="SECONDS",
                       help="how often to look at the file (default 0.3)")
    watch.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.max_runs is not None and args.max_runs < 1:
        raise TrimbenchError("--max-runs must be at least 1")
    if not args.variant.is_file():
        raise TrimbenchError(f"{args.variant}: no such file")
    config = configuration(args, [args.variant])
    options = check_options(args, steps=args.steps, stop_on_value=False)
    console = Console(highlight=False)
    runs, seen = 0, {"source": None, "change": ""}

    def check() -> Verdict:
        try:
            source = args.variant.read_text(encoding="utf-8", errors="replace")
        except OSError:
            source = ""
        seen["change"] = refactor.change_summary(seen["source"], source)
        seen["source"] = source
        with Bars() as progress:  # a fresh bar per run, gone before the verdict is printed
            return run_checks(config, [args.variant], options, progress)[0]

    def show(verdict: Verdict) -> None:
        nonlocal runs
        runs += 1
        console.rule(Text(f"{time.strftime('%H:%M:%S')} · run {runs} · {seen['change']}"), style="dim")
        console.print(Text.from_markup(verdict_line(verdict)))
        console.print(Text(f"  {verdict.detail if not verdict.passes() else 'compared ' + verdict.compared}"),
                      soft_wrap=True)
        for block in explanations([verdict]):
            console.print(block, markup=False, soft_wrap=True)
        if args.max_runs is None:
            console.print(Text(f"watching {args.variant}; Ctrl-C to stop", style="dim"))

    def stop() -> bool:
        return args.max_runs is not None and runs >= args.max_runs

    try:
        refactor.watch(args.variant, check, show, stop, interval=args.interval)
    except KeyboardInterrupt:
        pass
    return 0
