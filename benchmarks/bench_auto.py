"""Benchmark of `trimbench auto` on microgpt: how short, how honest, how fast, and how much fails fast.

Goal (issue 11): at most 135 physical lines within 20 minutes on 2 cores, the result bit-exact in the full
tier and within the compaction rules (the hand-made chain reaches 120). Also: candidates judged per
minute, and the share rejected in under a second (a check stops at the first differing value). Prints a
table; run from the repo root (it writes the result and the path to a temporary folder):

    python benchmarks/bench_auto.py [--jobs N] [--budget MINUTES]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from trimbench import config as config_module
from trimbench import rules
from trimbench.refactor import AutoRequest, run_auto

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2, help="candidates checked side by side (default 2)")
    parser.add_argument("--budget", type=float, default=20.0, help="minutes of search (default 20)")
    args = parser.parse_args()
    config = config_module.load(ROOT)
    folder = Path(tempfile.mkdtemp(prefix="trimbench-bench-auto-"))
    request = AutoRequest(src=config.original, output=folder / "microgpt.py", chain=folder / "chain", jobs=args.jobs,
                          budget_minutes=args.budget, use_cache=False)  # no memory from earlier runs
    started = time.monotonic()
    outcome = run_auto(config, request)
    wall = time.monotonic() - started
    result, written = outcome.result, outcome.source
    broken = rules.check(config.original.read_text(), written)
    last = outcome.path[-1].after if outcome.path else None
    table = Table(title=f"trimbench auto original/microgpt.py --jobs {args.jobs} (budget {args.budget:g} min)")
    for column in ("measure", "value", "goal", "met"):
        table.add_column(column, justify="right" if column == "value" else "left")
    lines = last.lines if last else 200
    table.add_row("physical lines reached", str(lines), "<= 135 (hand chain: 120)", "yes" if lines <= 135 else "NO")
    table.add_row("honest lines", str(last.honest if last else "-"), "fewer than the original's 169", "")
    table.add_row("rules broken by the result", str(len(broken)), "0", "yes" if not broken else "NO")
    table.add_row("full-tier verdict", outcome.final.outcome.value, "bit-exact",
                  "yes" if outcome.final.outcome.value == "bit-exact" else "NO")
    table.add_row("wall time, search + proof (s)", f"{wall:.0f}", "<= 1200", "yes" if wall <= 1200 else "NO")
    table.add_row("steps kept", str(len(outcome.path)), "", "")
    table.add_row("candidates judged", str(result.tried), "", "")
    table.add_row("of them from the cache", str(result.cache_hits), "", "")
    runs = result.tried - result.cache_hits
    table.add_row("candidates run per minute", f"{runs / (result.seconds / 60):.1f}" if result.seconds else "-", "", "")
    share = 100 * result.fast_rejections / runs if runs else 0.0
    table.add_row("share of runs rejected in under 1 s (%)", f"{share:.0f}", "", "")
    table.add_row("stopped because", result.stopped, "", "")
    Console(width=120).print(table)
    print(f"result: {outcome.written}; path: {folder / 'chain'}")
    for violation in broken:
        print(f"  rule broken: {violation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
