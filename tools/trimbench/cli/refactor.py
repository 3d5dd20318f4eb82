"""`trimbench codemod`, `auto` and `watch`: the refactoring loop's command line; the logic is in trimbench.refactor."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import config as config_module
from .. import refactor
from ..check import CheckOptions, run_checks
from ..codemods import CODEMODS
from ..errors import TrimbenchError
from ..fileio import check_destination, write_atomic
from ..metrics import honest_lines
from ..refactor import Status, Step
from ..verdict import Verdict
from .check import add_run_options, explanations, verdict_table
from .progress import STYLE, CheckProgress, verdict_line

KNOWN = ", ".join(CODEMODS)

CODEMOD_EPILOG = f"""\
Codemods: {KNOWN} (see docs/codemods.md).

The rewritten program is checked before DEST is written, and DEST is written (atomically) only when it
is bit-exact: text-exact means the floats moved, which is not a refactoring. So `-o SRC` is safe.

Exit codes: 0 bit-exact, DEST written; 1 not bit-exact, or the codemod does not apply (says why) or
failed, DEST not written; 2 unknown codemod, SRC missing or not parseable, usage or configuration error."""

AUTO_EPILOG = """\
The search is greedy: each round tries every codemod, in the order above, on the current best program,
and keeps a change only when it saves at least one physical line and the result is bit-exact. Rounds
repeat until one keeps nothing. extract-function only adds lines, so auto never keeps it (it does not
look ahead for a longer program that later codemods would shorten); run it with `trimbench codemod`.

SRC is checked first: when SRC itself is not bit-exact nothing can be proved, and DEST is not written.
Otherwise DEST is written (atomically) with the best program found, which is a copy of SRC when no
codemod helped. Each attempt is reported on stderr as it happens; the table of all of them on stdout.

Exit codes: 0 DEST written (with or without changes); 1 SRC is not bit-exact; 2 SRC missing or not
parseable, usage or configuration error."""

WATCH_EPILOG = """\
Checks VARIANT at once, then again each time it is saved with new content (mtime and size polled every
0.3 s, content compared by sha256), printing the verdict and the first difference. Verdicts are cached,
so undoing an edit gives its verdict at once.

Exit codes: 0 stopped with Ctrl-C (or after --max-runs); 2 VARIANT missing, usage or configuration error."""


def _tier_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tier", choices=("smoke", "full"), default="smoke",
                        help="smoke: num_steps rewritten to a few steps (default); full: the program as written")
    add_run_options(parser)
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not consult cached verdicts")


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
        epilog=CODEMOD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    codemod.add_argument("name", metavar="NAME", help=f"the codemod: {KNOWN}")
    codemod.add_argument("src", type=Path, metavar="SRC", help="the program to rewrite")
    codemod.add_argument("-o", "--output", type=Path, required=True, metavar="DEST", help="where to write the result")
    codemod.add_argument("--option", type=_option, action="append", default=[], metavar="KEY=VALUE",
                         help="an option for the codemod, e.g. extract-function's name=adam_update or line=120 "
                              "(repeatable)")
    _tier_options(codemod)
    codemod.set_defaults(run=run_codemod)

    auto = subparsers.add_parser(
        "auto", help="apply every codemod that saves lines and stays bit-exact, until none does",
        description="Shrink SRC with the codemods, keeping each change that saves lines and stays bit-exact, "
                    "and write the shortest program found to DEST.",
        epilog=AUTO_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    auto.add_argument("src", type=Path, metavar="SRC", help="the program to shrink (must be bit-exact)")
    auto.add_argument("-o", "--output", type=Path, required=True, metavar="DEST", help="where to write the result")
    _tier_options(auto)
    auto.set_defaults(run=run_auto)

    watch = subparsers.add_parser(
        "watch", help="re-check a variant in the smoke tier every time it is saved",
        description="Re-check VARIANT in the smoke tier every time it is saved; Ctrl-C stops.",
        epilog=WATCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    watch.add_argument("variant", type=Path, metavar="VARIANT", help="the file to watch")
    watch.add_argument("--steps", type=int, metavar="N", help="smoke tier with N steps (default: from config)")
    add_run_options(watch)
    watch.add_argument("--no-cache", action="store_true", help="ignore and do not consult cached verdicts")
    watch.add_argument("--max-runs", type=int, metavar="N", help="stop after N checks (default: run until Ctrl-C)")
    watch.add_argument("--interval", type=float, default=0.3, help=argparse.SUPPRESS)  # seconds between polls
    watch.set_defaults(run=run_watch)


def _options(args: argparse.Namespace, **overrides) -> CheckOptions:
    return CheckOptions(tier=getattr(args, "tier", "smoke"), python=args.python, input=args.input, jobs=1,
                        use_cache=not args.no_cache, sandbox=args.sandbox, **overrides)


class _Bars(CheckProgress):
    """CheckProgress without its per-verdict line: these commands print their own."""

    def finished(self, verdict: Verdict) -> None:
        with self.lock:
            task = self.tasks.pop(verdict.path, None)
        if task is not None:
            self.bars.remove_task(task)


def _honest(source: str) -> int | None:
    try:
        return honest_lines("<source>", source)
    except TrimbenchError:  # black cannot format it: physical lines are all we can say
        return None


def _lines(before: str, after: str) -> str:
    """`200 -> 195 lines (5 saved, honest lines 169 -> 163)`; `3 more` when the codemod adds lines."""
    a, b = refactor.count_lines(before), refactor.count_lines(after)
    change = f"{a - b} saved" if a >= b else f"{b - a} more"
    honest_a, honest_b = _honest(before), _honest(after)
    honest = f", honest lines {honest_a} -> {honest_b}" if honest_a is not None and honest_b is not None else ""
    return f"{a} -> {b} lines ({change}{honest})"


def run_codemod(args: argparse.Namespace) -> int:
    refactor.check_codemod_name(args.name)
    source = refactor.read_source(args.src)
    check_destination(args.output)
    config = config_module.load()
    console = Console(highlight=False)
    with CheckProgress() as progress:
        checker = refactor.SourceChecker(config, _options(args), args.src.name, progress)
        step = refactor.attempt(args.name, source, checker, label=str(args.output), options=dict(args.option))
    if step.status is Status.SKIPPED:
        console.print(f"{args.name} does not apply to {args.src}: {step.note}; {args.output} not written",
                      markup=False, soft_wrap=True)
        return 1
    if step.status is Status.FAILED:
        console.print(f"{args.name} failed on {args.src} (a bug in the codemod): {step.note}; "
                      f"{args.output} not written", markup=False, soft_wrap=True)
        return 1
    console.print(f"{args.name}: {args.src} {_lines(source, step.source)}", markup=False, soft_wrap=True)
    console.print(verdict_table([step.verdict], strict=True))
    for block in explanations([step.verdict]):
        console.print(block, markup=False, soft_wrap=True)
    if step.status is not Status.KEPT:
        console.print(f"not bit-exact ({step.verdict.outcome.value}): {args.output} not written", markup=False,
                      soft_wrap=True)
        return 1
    write_atomic(args.output, step.source)
    console.print(f"wrote {args.output}", markup=False, soft_wrap=True)
    return 0


def step_line(step: Step) -> str:
    """One attempt, as auto reports it while it runs (rich markup)."""
    head = f"round {step.round}  {step.codemod:<18} "
    if step.lines_after is None:
        return head + f"[dim]{step.status.value}: {escape(step.note)}[/]"
    lines = f"{step.lines_before} -> {step.lines_after} lines"
    if step.verdict is None:
        return head + f"{lines}  [dim]{step.status.value}, not checked[/]"
    verdict = step.verdict.outcome.value
    seconds = f"{step.verdict.seconds:.1f} s" + (", cached" if step.verdict.cached else "")
    return head + f"{lines}  [{STYLE[verdict]}]{verdict}[/] ({seconds})  {step.status.value}"


def steps_table(steps: tuple[Step, ...]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("round", "codemod", "lines", "verdict", "result"):
        table.add_column(column, justify="right" if column == "round" else "left", overflow="fold")
    for step in steps:
        lines = "" if step.lines_after is None else f"{step.lines_before} -> {step.lines_after}"
        verdict = step.verdict.outcome.value if step.verdict else ""
        shown = f"[{STYLE[verdict]}]{verdict}[/]" if verdict else ""
        result = escape(step.status.value + (f": {step.note}" if step.status is Status.FAILED else ""))
        table.add_row(str(step.round), step.codemod, lines, shown, f"[bold]{result}[/]" if step.status is Status.KEPT
                      else result)
    return table


def run_auto(args: argparse.Namespace) -> int:
    source = refactor.read_source(args.src)
    check_destination(args.output)
    config = config_module.load()
    console, errors = Console(highlight=False), Console(stderr=True, highlight=False)
    with _Bars(errors) as progress:
        checker = refactor.SourceChecker(config, _options(args), args.src.name, progress)
        result = refactor.auto(
            source, checker, start_label=str(args.src),
            on_start=lambda verdict: errors.print(f"start    {refactor.count_lines(source)} lines  "
                                                  + verdict_line(verdict), soft_wrap=True),
            on_step=lambda step: errors.print(step_line(step), soft_wrap=True))
    if not result.proven:
        console.print(verdict_table([result.start], strict=True))
        for block in explanations([result.start]):
            console.print(block, markup=False, soft_wrap=True)
        console.print(f"{args.src} is not bit-exact ({result.start.outcome.value}), so no rewrite of it can be "
                      f"proved; {args.output} not written", markup=False, soft_wrap=True)
        return 1
    console.print(steps_table(result.steps))
    write_atomic(args.output, result.source)
    kept = ", ".join(step.codemod for step in result.kept) or "none (a copy of SRC)"
    console.print(f"kept: {kept}", markup=False, soft_wrap=True)
    console.print(f"{args.output}: {_lines(source, result.source)}; bit-exact in the {result.start.tier} tier on "
                  f"{result.start.interpreter}", markup=False, soft_wrap=True)
    return 0


def run_watch(args: argparse.Namespace) -> int:
    if args.max_runs is not None and args.max_runs < 1:
        raise TrimbenchError("--max-runs must be at least 1")
    if not args.variant.is_file():
        raise TrimbenchError(f"{args.variant}: no such file")
    config = config_module.load()
    options = _options(args, steps=args.steps)
    console = Console(highlight=False)
    runs = 0

    def show(verdict: Verdict) -> None:
        nonlocal runs
        runs += 1
        console.print(verdict_line(verdict))
        for block in explanations([verdict]):
            console.print(block, markup=False, soft_wrap=True)
        if args.max_runs is None:
            console.print(f"[dim]watching {escape(str(args.variant))}; Ctrl-C to stop[/]")

    def stop() -> bool:
        return args.max_runs is not None and runs >= args.max_runs

    with _Bars() as progress:
        try:
            refactor.watch(args.variant, lambda: run_checks(config, [args.variant], options, progress)[0], show,
                           stop, interval=args.interval)
        except KeyboardInterrupt:
            pass
    return 0
