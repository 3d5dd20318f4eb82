"""Benchmark of `trimbench check`: the cost of a verdict against a plain run, and how fast failures surface.

Targets (from the issues): a full verdict of a correct variant, every formatted value recorded and
compared, at most 1.05 x a plain run of the same file on the same interpreter; a variant whose text
diverges at step 2, and one whose text is identical but whose floats differ at step 2 (rejected with
--strict), each judged in under 3 s in the full tier; a smoke verdict on PyPy in under 2 s; the
sandbox (bubblewrap) adding at most 0.1 s to a smoke verdict. Prints a table of medians; run from the
repo root:

    python benchmarks/bench_check.py [--repeat N] [--skip-full]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from timing import timed
from trimbench import config as config_module
from trimbench import inputs, interpreters, sandbox
from trimbench.check import CheckOptions, run_checks
from trimbench.verdict import Outcome

ROOT = Path(__file__).resolve().parents[1]
EDITS = {  # case: (old, new), one edit of the original
    "text diverges at step 2": ("beta1 ** (step + 1)", "beta1 ** (step + 2)"),
    "floats diverge at step 2, same text": ("0.99, 1e-8", "0.99, 1.01e-8"),
}


def edited(original: Path, folder: Path, name: str) -> Path:
    old, new = EDITS[name]
    source = original.read_text()
    assert source.count(old) == 1, old
    path = folder / (name.replace(" ", "_").replace(",", "") + ".py")
    path.write_text(source.replace(old, new))
    return path


def plain_run(interpreter, script: Path, input_file: Path) -> None:
    """What a user would do by hand: the file and input.txt in a folder, python FILE, stdout read."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(script, Path(tmp) / script.name)
        shutil.copy(input_file, Path(tmp) / "input.txt")
        subprocess.run([interpreter.path, script.name], cwd=tmp, stdout=subprocess.PIPE, check=True)


def verdict(config, path: Path, expected: Outcome, **options) -> None:
    [result] = run_checks(config, [path], CheckOptions(use_cache=False, jobs=1, **options))
    assert result.outcome is expected, (result.outcome, result.detail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the median is shown (default 3)")
    parser.add_argument("--skip-full", action="store_true", help="skip the two full runs (about 40 s each on PyPy)")
    args = parser.parse_args()
    config = config_module.load(ROOT)
    (input_file,) = inputs.resolve(config)
    interpreter = interpreters.resolve("auto")
    variants = sorted(config.variants.glob("*.py"))
    correct = variants[-1] if variants else config.original
    folder = Path(tempfile.mkdtemp(prefix="trimbench-bench-"))
    text, bits = (edited(config.original, folder, name) for name in EDITS)

    table = Table(title=f"trimbench check on {interpreter.name}, median of {args.repeat}")
    for column in ("case", "median s", "reference s", "ratio", "target", "met"):
        table.add_column(column, justify="left" if column in ("case", "target") else "right")
    if not args.skip_full:
        plain = timed(lambda: plain_run(interpreter, correct, input_file.path), args.repeat)
        full = timed(lambda: verdict(config, correct, Outcome.BIT_EXACT, tier="full"), args.repeat)
        table.add_row(f"full verdict, {correct.name}", f"{full:.2f}", f"{plain:.2f} plain run", f"{full / plain:.3f}",
                      "<= 1.05 x plain", "yes" if full / plain <= 1.05 else "NO")
    early = timed(lambda: verdict(config, text, Outcome.DIVERGED, tier="full"), args.repeat)
    table.add_row("full verdict, text diverges at step 2", f"{early:.2f}", "", "", "< 3 s",
                  "yes" if early < 3 else "NO")
    quiet = timed(lambda: verdict(config, bits, Outcome.DIVERGED, tier="full", stop_on_value=True), args.repeat)
    table.add_row("full --strict, floats differ at step 2", f"{quiet:.2f}", "", "", "< 3 s",
                  "yes" if quiet < 3 else "NO")
    smoke = timed(lambda: verdict(config, correct, Outcome.BIT_EXACT, tier="smoke"), args.repeat)
    table.add_row(f"smoke verdict, {correct.name}", f"{smoke:.2f}", "", "", "< 2 s on PyPy",
                  ("yes" if smoke < 2 else "NO") if interpreter.is_pypy else "n/a (no PyPy)")
    if sandbox.bwrap_problem() is None:
        boxed = timed(lambda: verdict(config, correct, Outcome.BIT_EXACT, tier="smoke", sandbox="bwrap"), args.repeat)
        bare = timed(lambda: verdict(config, correct, Outcome.BIT_EXACT, tier="smoke", sandbox="none"), args.repeat)
        table.add_row("smoke verdict in bwrap", f"{boxed:.2f}", f"{bare:.2f} unsandboxed", f"{boxed / bare:.3f}",
                      "<= +0.1 s", "yes" if boxed - bare <= 0.1 else "NO")
    else:
        table.add_row("smoke verdict in bwrap", "", "", "", "<= +0.1 s", f"n/a ({sandbox.bwrap_problem()})")
    shutil.rmtree(folder)
    Console(width=120).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
