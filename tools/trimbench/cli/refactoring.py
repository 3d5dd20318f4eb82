"""What the refactoring commands (codemod, auto, watch) share on the command line: their check options."""

from __future__ import annotations

import argparse

from ..check import CheckOptions
from ..verdict import Verdict
from .check import add_run_options
from .progress import CheckProgress


def tier_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tier", choices=("smoke", "full"), default="smoke",
                        help="smoke: num_steps rewritten to a few steps, or the first lines (default); "
                             "full: the program as written")
    add_run_options(parser)
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not consult cached verdicts")


def check_options(args: argparse.Namespace, **overrides) -> CheckOptions:
    """Only a bit-exact rewrite is kept, so every run stops at its first differing value."""
    settings = dict(tier=getattr(args, "tier", "smoke"), python=args.python, input=args.input, jobs=1,
                    use_cache=not args.no_cache, sandbox=args.sandbox, stop_on_value=True)
    return CheckOptions(**(settings | overrides))


class Bars(CheckProgress):
    """CheckProgress without its per-verdict line: these commands print their own."""

    def finished(self, verdict: Verdict) -> None:
        with self.lock:
            task = self.tasks.pop(verdict.path, None)
        if task is not None:
            self.bars.remove_task(task)
