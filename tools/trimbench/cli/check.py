"""`trimbench check`: judge variants against the original's goldens, and say so."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..check import CheckOptions, Interrupted, run_checks
from ..errors import TrimbenchError
from ..project import variant_paths
from ..verdict import Outcome, Verdict
from . import tables
from .configured import configuration
from .progress import STYLE, CheckProgress, Quiet

DESCRIPTION = """\
Run each variant in a fresh temporary folder and compare, while it runs, its stdout line by line and
every value it formats for output (f-strings, str.format, %, format(), round(), print) and passes to
random.choices, to the last bit, with the original's goldens; the first differing line stops the run.
Verdicts, each saying what it compared:
  bit-exact   the same text and every recorded value identical (at least one float observed)
  text-exact  the same text byte for byte, but a value differs (shown), or no float was observed
  diverged    a line differs (line, step, expected and actual text); with --strict also the first
              differing value, where the run stops at once
  crashed     non-zero exit after a matching prefix (with the tail of stderr)
  timeout     no result within the timeout
  invalid     cannot be read, parsed or prepared, so never run
The smoke tier rewrites num_steps in the original and the variant; a program without one is run as
written and judged on the golden's first smoke_lines lines.
"""

EPILOG = """\
Passing means bit-exact. A text-exact variant prints the same text but computes other floats: it fails
(exit 1) unless --allow-text-exact (or allow_text_exact = true in [tool.trimbench]) says it may pass.

Exit codes: 0 every variant passes, 1 any does not, 2 usage, configuration or data error, 130 interrupted."""


def add_run_options(parser: argparse.ArgumentParser, with_input: bool = True) -> None:
    """Options shared by every command that runs programs (check, golden)."""
    parser.add_argument("--python", default="auto", metavar="auto|PATH",
                        help="interpreter: auto uses pypy3 when on PATH, else this CPython (default: auto)")
    if not with_input:
        parser.set_defaults(input=None)
    else:
        parser.add_argument("--input", type=Path, metavar="PATH",
                            help="the program's one input file (default: $TRIMBENCH_INPUT, its path in "
                                 "[tool.trimbench] inputs, or the per-user cache, downloaded once)")
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "none"),
                        help="run programs in bubblewrap: auto when it works here (default: [tool.trimbench] "
                             "sandbox, else auto); none says 'not sandboxed' in every verdict")


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="judge variants against the original's goldens",
                                   description=DESCRIPTION, epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="variants to check (default: every *.py in the variants folder)")
    parser.add_argument("--tier", choices=("smoke", "full"), default="smoke",
                        help="smoke: num_steps rewritten to a few steps, or the first lines (default); "
                             "full: the program as written")
    parser.add_argument("--steps", type=int, metavar="N", help="smoke tier with N steps (golden recorded on demand)")
    exactness = parser.add_mutually_exclusive_group()
    exactness.add_argument("--strict", action="store_true",
                           help="stop a run at its first differing value: a text-exact variant is then judged "
                                "diverged at once, without running to its end")
    exactness.add_argument("--allow-text-exact", action="store_true",
                           help="let text-exact pass (the same text, other floats); default: [tool.trimbench] "
                                "allow_text_exact, else false")
    add_run_options(parser)
    parser.add_argument("--jobs", type=int, metavar="N", help="variants checked side by side (default: cores)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="per variant (default: from config)")
    parser.add_argument("--lines", action="append", metavar="REGEX",
                        help="compare only stdout lines matching REGEX (repeatable; default: every line)")
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not consult cached verdicts")
    parser.add_argument("--json", action="store_true", help="print one JSON list on stdout, no progress")
    parser.set_defaults(run=run)


def chosen_paths(config, paths: list[Path]) -> list[Path]:
    found = paths or variant_paths(config)
    if not found:
        raise TrimbenchError(f"no variants to check: {config.variants} has no *.py files; name a PATH")
    return found


def run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise TrimbenchError("--jobs must be at least 1")
    if args.timeout is not None and args.timeout <= 0:
        raise TrimbenchError("--timeout must be a positive number of seconds")
    config = configuration(args, args.paths)
    options = CheckOptions(tier=args.tier, steps=args.steps, python=args.python, jobs=args.jobs,
                           timeout=args.timeout, input=args.input,
                           lines=tuple(args.lines) if args.lines else None, use_cache=not args.no_cache,
                           stop_on_value=args.strict, sandbox=args.sandbox)
    paths = chosen_paths(config, args.paths)
    interrupted = False
    with (Quiet() if args.json else CheckProgress()) as progress:
        try:
            verdicts = run_checks(config, paths, options, progress)
        except Interrupted as stop:  # every run was killed; say what was judged before it
            verdicts, interrupted = stop.verdicts, True
    allowed = args.allow_text_exact or (config.allow_text_exact and not args.strict)
    show(verdicts, allowed, args.json)
    if interrupted:
        print(f"trimbench: interrupted after {len(verdicts)} of {len(paths)} verdicts; every run it started "
              "was stopped", file=sys.stderr)
        return 130
    return 0 if all(verdict.passes(allowed) for verdict in verdicts) else 1


def show(verdicts: list[Verdict], allow_text_exact: bool, as_json: bool) -> None:
    if as_json:
        print(json.dumps([verdict.to_json() for verdict in verdicts], indent=2))
        return
    console = Console(highlight=False)
    show_verdicts(console, verdicts, allow_text_exact)
    for line in summary(verdicts, allow_text_exact):
        console.print(line, soft_wrap=True)


def show_verdicts(console: Console, verdicts: list[Verdict], allow_text_exact: bool = False) -> None:
    """The table (or a record a line, on a narrow terminal), then what a cell cannot hold."""
    tables.show(console, verdict_table(verdicts, allow_text_exact), [Text(record(v)) for v in verdicts])
    for block in explanations(verdicts):
        console.print(block, markup=False, soft_wrap=True)


def said(verdict: Verdict) -> str:
    """The one cell that says why: what a passing verdict compared, else its detail."""
    if verdict.outcome is Outcome.BIT_EXACT:
        return f"compared {verdict.compared}" + ("" if verdict.basis is None or verdict.basis.sandbox != "none"
                                                 else "; not sandboxed")
    return verdict.detail


def record(verdict: Verdict) -> str:
    return (f"{verdict.path}: {verdict.outcome.value}, {verdict.tier_label}, {verdict.seconds:.1f} s"
            f"{' cached' if verdict.cached else ''}; {said(verdict)}")


def verdict_table(verdicts: list[Verdict], allow_text_exact: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("variant", "verdict", "tier", "seconds", "why"):
        table.add_column(column, justify="right" if column == "seconds" else "left",
                         no_wrap=column != "why", overflow="fold")
    for verdict in verdicts:
        style = STYLE[verdict.outcome.value] if verdict.passes(allow_text_exact) or not verdict.passes(True) \
            else "red"
        # Text, never markup: paths and details are the program's or the user's words, brackets and all.
        table.add_row(Text(verdict.path), Text(verdict.outcome.value, style=style), Text(verdict.tier_label),
                      f"{verdict.seconds:.1f}" + (" cached" if verdict.cached else ""), Text(said(verdict)))
    return table


def explanations(verdicts: list[Verdict]) -> list[str]:
    """What a table cell cannot hold: the first divergence and the end of a crash's stderr."""
    blocks = []
    for verdict in verdicts:
        if verdict.first_divergence:
            d = verdict.first_divergence
            step = f" (step {d.step})" if d.step is not None else ""
            what = f" ({d.what})" if d.what else ""
            blocks.append(f"{verdict.path}: first difference at line {d.line}{step}{what}\n"
                          f"  expected: {d.expected}\n  actual:   {d.actual}")
        elif verdict.outcome is Outcome.CRASHED and verdict.stderr_tail:
            tail = "\n".join("  " + line for line in verdict.stderr_tail.strip().splitlines()[-8:])
            blocks.append(f"{verdict.path}: end of stderr\n{tail}")
    return blocks


def summary(verdicts: list[Verdict], allow_text_exact: bool) -> list[Text]:
    passed = sum(verdict.passes(allow_text_exact) for verdict in verdicts)
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.outcome.value] = counts.get(verdict.outcome.value, 0) + 1
    breakdown = ", ".join(f"{count} {name}" for name, count in counts.items())
    rule = "bit-exact, or text-exact (allowed)" if allow_text_exact else "bit-exact"
    judged_by = ", ".join(sorted({verdict.interpreter for verdict in verdicts}))
    lines = [Text(f"judged by {judged_by}")]
    loose = counts.get(Outcome.TEXT_EXACT.value, 0)
    if loose:
        verb = "passes, as allowed" if allow_text_exact else "fails; --allow-text-exact to accept it"
        lines.append(Text(f"text-exact: same text, different floats ({loose} variant{'s' * (loose != 1)}): "
                          f"{verb}", style="bold yellow"))
    lines.append(Text(f"{passed} of {len(verdicts)} passed ({breakdown}); passing means {rule}"))
    return lines
