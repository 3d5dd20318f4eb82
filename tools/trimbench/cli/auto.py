"""`trimbench auto`: the search's progress on stderr; the path taken, the proof and the result on stdout."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..refactor import AutoRequest, Event, Kept, run_auto
from ..refactor.search import SEARCHED
from .check import show_verdicts
from .configured import configuration
from .refactoring import tier_options

EPILOG = f"""\
How it searches: each round asks every codemod ({', '.join(SEARCHED)}) for its sites on the current
program and proposes them all at once; a proposal that fails its check is split in halves, down to single
sites, so one unsafe site costs only itself. Proposals are ranked by what they save and checked side by
side (--jobs); the best that passes is kept, and the next round starts from it. A change is kept only when
it is bit-exact, breaks none of the compaction rules the program keeps (no `;`, no line over 120, no
`# fmt:`, comments and section blank lines kept, no new one-letter name) and adds no honest line (code
lines after black, what `trimbench report` crowns); physical lines break ties. No program is checked
twice: verdicts are remembered by syntax tree in .trimbench/auto/, so a second run resumes.

Every step is checked in --tier (smoke by default, each run stopped at its first differing value); the
result is then checked in the full tier, and when that fails, the longest prefix of the path that is
bit-exact in full is written instead. SRC must itself be bit-exact, else nothing can be proved.

Exit codes: 0 DEST written (with or without changes); 1 SRC is not bit-exact; 2 SRC missing or not
parseable, DEST a folder, usage or configuration error; 130 interrupted (nothing written)."""


def register(subparsers) -> None:
    auto = subparsers.add_parser(
        "auto", help="shrink a program with every codemod, each kept step proved bit-exact",
        description="Search for the shortest bit-exact rewrite of SRC the codemods can reach, and write it to "
                    "DEST with the path taken.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    auto.add_argument("src", type=Path, metavar="SRC", help="the program to shrink (must be bit-exact)")
    auto.add_argument("-o", "--output", type=Path, required=True, metavar="DEST", help="where to write the result")
    auto.add_argument("--jobs", type=int, default=2, metavar="N", help="candidates checked side by side (default 2)")
    auto.add_argument("--budget", type=float, default=20.0, metavar="MINUTES",
                      help="stop searching after this long; the best so far is then proved and written "
                           "(default 20)")
    auto.add_argument("--chain", type=Path, metavar="DIR",
                      help="also write each kept step to DIR as a numbered variant (01_<codemod>.py, ...)")
    tier_options(auto)
    auto.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = configuration(args, [args.src])
    request = AutoRequest(src=args.src, output=args.output, chain=args.chain, jobs=args.jobs,
                          budget_minutes=args.budget, tier=args.tier, python=args.python, input=args.input,
                          sandbox=args.sandbox, use_cache=not args.no_cache)
    errors = Console(stderr=True, highlight=False)
    console = Console(highlight=False)
    with errors.status("searching…") as status:
        def on_event(event: Event) -> None:
            line = (f"round {event.round} · {event.tried} tried ({event.cache_hits} from the cache) · "
                    f"{event.lines} lines now · best {event.best}")
            status.update(Text(line))
            if event.text.startswith("kept"):
                errors.print(Text(f"{line} · {event.text}"), soft_wrap=True)
        outcome = run_auto(config, request, on_event=on_event)
    result = outcome.result
    if not result.proven:
        show_verdicts(console, [result.start])
        console.print(f"{args.src} is not bit-exact ({result.start.outcome.value}), so no rewrite of it can be "
                      f"proved; {args.output} not written", markup=False, soft_wrap=True)
        return 1
    console.print(Text("path taken:" if outcome.path else "path taken: none (a copy of SRC)"))
    for line in path_lines(outcome.path):
        console.print(line, soft_wrap=True)
    first = outcome.path[0].before if outcome.path else None
    last = outcome.path[-1].after if outcome.path else None
    saved = f"{first.lines} -> {last.lines} lines, honest {first.honest} -> {last.honest}" if first else "no change"
    fast = 100 * result.fast_rejections / result.tried if result.tried else 0.0
    console.print(Text(f"{args.src}: {saved}; {result.tried} candidates judged ({result.cache_hits} from the "
                       f"cache, {fast:.0f}% of them rejected in under 1 s) in {result.seconds:.0f} s; stopped "
                       f"because {result.stopped}"), soft_wrap=True)
    if len(outcome.path) < len(result.path):
        console.print(Text(f"the last {len(result.path) - len(outcome.path)} step(s) were bit-exact in the "
                           f"{args.tier} tier but not in the full tier: left out"), soft_wrap=True)
    final = outcome.final
    console.print(Text(f"{args.output}: {final.outcome.value} in the full tier on {final.interpreter}; "
                       f"compared {final.compared}"), soft_wrap=True)
    for path in outcome.chain:
        console.print(Text(f"wrote {path}"), soft_wrap=True)
    return 0


def path_lines(path: tuple[Kept, ...]) -> list[Text]:
    """One line a step: nothing is cut, whatever the width of the terminal."""
    width = max((len(kept.codemod) for kept in path), default=0)
    return [Text(f"{number:>3}. {kept.codemod:<{width}}  {kept.before.lines} -> {kept.after.lines} lines, honest "
                 f"{kept.before.honest} -> {kept.after.honest}  {kept.summary}  ({kept.verdict.outcome.value}, "
                 f"{kept.verdict.tier_label})") for number, kept in enumerate(path, start=1)]
