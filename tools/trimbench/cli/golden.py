"""`trimbench golden record|verify`: the original's outputs, recorded and re-checked."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.markup import escape

from .. import inputs, interpreters, recording, sandbox
from ..check import CheckOptions
from ..config import Config
from ..output import text
from .check import add_run_options
from .configured import configuration


def register(subparsers) -> None:
    parser = subparsers.add_parser("golden", help="record or verify the original's golden outputs",
                                   description="The goldens are the original's stdout in the full and smoke "
                                   "tiers, every value it formats (per interpreter), and a manifest of what they "
                                   "were recorded from.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    record = actions.add_parser("record", help="run the original (twice, at once) and write golden/ atomically",
                                description="Run the original in the full tier, and in the smoke tier when its "
                                "step count can be rewritten, twice each at the same time: two runs that differ "
                                "mean an unseeded program, which is refused. Records of another interpreter are "
                                "kept while the text agrees. The full tier takes about 40 s on PyPy, 5 min on "
                                "CPython for microgpt.")
    add_run_options(record)
    record.set_defaults(run=run_record)
    verify = actions.add_parser("verify", help="re-run the original and confirm it reproduces golden/",
                                description="A determinism check: the original is judged against its own goldens "
                                "like any variant. Exit 0 when it reproduces them (text and values), 1 when not, "
                                "with the first difference.")
    add_run_options(verify)
    verify.add_argument("--tier", choices=("smoke", "full", "both"), default="both",
                        help="which committed golden to re-check (default: both)")
    verify.set_defaults(run=run_verify)


def run_record(args: argparse.Namespace) -> int:
    config = configuration(args)
    recording.original_source(config)  # a missing original is one line, before anything is announced
    record_goldens(config, args)
    return 0


def record_goldens(config: Config, args: argparse.Namespace) -> None:
    """Record with a status line showing the original's latest output, then say what was written."""
    found = inputs.resolve(config, args.input)
    interpreter = interpreters.resolve(args.python)
    box = sandbox.choose(args.sandbox or config.sandbox)
    console = Console(stderr=True, highlight=False)
    console.print(f"recording the original on {interpreter.name} (two runs at once)…", markup=False)
    with console.status("") as status:
        def on_line(tier: str, line: bytes) -> None:
            status.update(escape(f"{tier} tier: {text(line).strip()[:100]}"))  # the program's text: no markup
        manifest = recording.record(config, found, interpreter, on_line=on_line, sandbox=box)
    for name, entry in manifest.tiers.items():
        mine = entry.records[interpreter.name]
        steps = f"{entry.steps} steps" if entry.steps is not None else "steps unknown"
        print(f"{config.goldens.name}/{entry.file}: {entry.lines} lines, {steps}; {mine.file}: {mine.floats} "
              f"formatted floats, {mine.sampling_calls} sampling calls; records for "
              f"{', '.join(sorted(entry.records))}")
    if "smoke" not in manifest.tiers:
        print(f"no module-level `{config.steps_variable} = <int>` in the original: the smoke tier will judge "
              f"each variant on the full run's first {config.smoke_lines} lines")


def run_verify(args: argparse.Namespace) -> int:
    config = configuration(args)
    options = CheckOptions(python=args.python, input=args.input, sandbox=args.sandbox)
    tiers = ("full", "smoke") if args.tier == "both" else (args.tier,)
    with Console(stderr=True).status(f"re-running the original ({', '.join(tiers)})"):
        results = recording.verify(config, options, tiers)
    for result in results:
        state = "reproduced" if result.reproduced else "NOT reproduced"
        print(f"{result.tier.name}: {state}: {result.detail}")
    return 0 if all(result.reproduced for result in results) else 1
