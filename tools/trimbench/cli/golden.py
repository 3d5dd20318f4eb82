"""`trimbench golden record|verify`: the original's outputs, recorded and re-checked."""

from __future__ import annotations

import argparse

from rich.console import Console

from .. import config as config_module
from .. import data, golden, interpreters
from .check import add_run_options


def register(subparsers) -> None:
    parser = subparsers.add_parser("golden", help="record or verify the original's golden outputs",
                                   description="The goldens are the original's stdout in the full and smoke "
                                   "tiers, plus a manifest of what they were recorded from and their bit digests.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    record = actions.add_parser("record", help="run the original and write golden/ (atomically)",
                                description="Run the original in the full and smoke tiers and write the golden "
                                "files and manifest. The full tier takes about 40 s on PyPy, 5 min on CPython. "
                                "Digests recorded earlier on another interpreter are kept while the text agrees.")
    add_run_options(record)
    record.set_defaults(run=run_record)
    verify = actions.add_parser("verify", help="re-run the original and confirm it reproduces golden/",
                                description="A determinism check: exit 0 when the original reproduces every "
                                "golden (text and, where recorded, bit digest), 1 when not.")
    add_run_options(verify)
    verify.add_argument("--tier", choices=("smoke", "full", "both"), default="both")
    verify.set_defaults(run=run_verify)


def run_record(args: argparse.Namespace) -> int:
    config = config_module.load()
    input_file = data.resolve(config, args.input)
    interpreter = interpreters.resolve(args.python)
    console = Console(stderr=True)
    console.print(f"recording the original on {interpreter.name}…", highlight=False)
    with console.status("") as status:
        def on_line(tier: str, line: bytes) -> None:
            status.update(f"{tier} tier: {line.decode('utf-8', 'replace').strip()}")
        manifest = golden.record(config, input_file, interpreter, on_line=on_line)
    for entry in manifest["tiers"].values():
        print(f"{config.goldens.name}/{entry['file']}: {entry['lines']} lines, {entry['steps']} steps, "
              f"digests for {', '.join(sorted(entry['digests']))}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    config = config_module.load()
    goldens = golden.Goldens(config, data.resolve(config, args.input))
    interpreter = interpreters.resolve(args.python)
    chosen = [t for t in golden.committed_tiers(config) if args.tier in (t.name, "both")]
    ok = True
    for tier in chosen:
        with Console(stderr=True).status(f"re-running the original, {tier.name} tier, on {interpreter.name}"):
            result = golden.verify(goldens, interpreter, tier)
        ok &= result.reproduced
        print(f"{tier.name}: {'reproduced' if result.reproduced else 'NOT reproduced'}: {result.detail}")
    return 0 if ok else 1
