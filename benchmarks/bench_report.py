"""Benchmark of `trimbench report`: the original and ten variants, measured and rendered.

Target (from the issue): the report for the original and ten variants in under 1.5 s, measured cold
(no metrics cache). The files are copied into a temporary project (the first ten variants of
variants/, topped up with copies of the original with lines removed or changed when there are fewer),
so the figures depend on neither of the repository's caches. Prints a table of medians; run from the
repo root:

    python benchmarks/bench_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from timing import timed
from trimbench import config as config_module
from trimbench.metrics import measure
from trimbench.project import label
from trimbench.report import build_report, to_json, to_markdown, to_table, write_chart

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 1.5  # seconds
VARIANTS = 10



def make_project(folder: Path) -> None:
    """pyproject, the original and ten distinct variants."""
    (folder / "pyproject.toml").write_text("[tool.trimbench]\n")
    (folder / "original").mkdir()
    original = (ROOT / "original" / "microgpt.py").read_text()
    (folder / "original" / "microgpt.py").write_text(original)
    (folder / "variants").mkdir()
    sources = [path.read_text() for path in sorted((ROOT / "variants").glob("*.py"))[:VARIANTS]]
    lines = original.splitlines(keepends=True)
    while len(sources) < VARIANTS:  # drop a blank line and change a comment, differently each time
        k = len(sources)
        blanks = [i for i, line in enumerate(lines) if not line.strip()]
        copy = [line for i, line in enumerate(lines) if i != blanks[k % len(blanks)]]
        sources.append("".join(copy).replace("# Repeat in sequence", f"# Repeat in sequence ({k})"))
    assert len(set(sources)) == VARIANTS, "the variants must be distinct files"
    for k, source in enumerate(sources, start=1):
        (folder / "variants" / f"{k:02d}.py").write_text(source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_project(folder)
        config = config_module.load(folder)
        paths = [config.original, *sorted(config.variants.glob("*.py"))]
        sources = [(label(config, path), path.read_bytes()) for path in paths]
        report = build_report(config)  # also fills the metrics cache for the warm figures
        console = Console(file=open("/dev/null", "w"), width=200)  # rendering cost without the terminal's

        cold = lambda: build_report(config, use_cache=False)  # noqa: E731
        figures = [
            ("cold: build_report, 11 files (parallel processes)", timed(cold, args.repeat)),
            ("cold: measure(), 11 files one after another", timed(lambda: [measure(*s) for s in sources], args.repeat)),
            ("cold: measure(), the original alone", timed(lambda: measure(*sources[0]), args.repeat)),
            ("render table + markdown + JSON", timed(lambda: (console.print(to_table(report, True)),
                                                              to_markdown(report, True), to_json(report, True)),
                                                     args.repeat)),
            ("cold: build_report + markdown (the target)", timed(lambda: to_markdown(cold()), args.repeat)),
            ("warm: build_report + markdown, metrics cached", timed(lambda: to_markdown(build_report(config)),
                                                                   args.repeat)),
            ("chart (--plot), after the report", timed(lambda: write_chart(report, folder / "c.png"), args.repeat)),
            ("warm: `trimbench report` process, imports included",
             timed(lambda: subprocess.run([sys.executable, "-m", "trimbench", "report"], cwd=folder, check=True,
                                          stdout=subprocess.DEVNULL), args.repeat)),
        ]
    table = Table(title=f"trimbench report: medians of {args.repeat} runs (target: 11 files under {BUDGET} s)")
    table.add_column("what")
    table.add_column("median s", justify="right")
    table.add_column("x budget", justify="right")
    for name, seconds in figures:
        table.add_row(name, f"{seconds:.3f}", f"{seconds / BUDGET:.2f}")
    sequential, parallel = figures[1][1], figures[0][1]
    Console(width=120).print(table)
    print(f"parallel speed-up over one-by-one: {sequential / parallel:.2f}x")
    target = figures[4][1]
    print(f"target {'met' if target < BUDGET else 'MISSED'}: {target:.3f} s for 11 files (budget {BUDGET} s)")
    return 0 if target < BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
