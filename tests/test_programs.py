"""The proof on programs that are not microgpt: each a small seeded script in a project of its own.

Every case records the original's goldens by running it, then judges a variant as a new user would: with only
`original` (and no inputs) in [tool.trimbench].
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap

import pytest

from tests.projects import make_project
from trimbench.check import CheckOptions, run_checks
from trimbench.verdict import Outcome

WALK = textwrap.dedent("""\
    import random
    random.seed(7)
    steps = 1000
    x = 0.0
    total = 0.0
    for step in range(steps):
        x += random.gauss(0, 1)
        total += x * x
        if step % 250 == 0:
            print(f"step {step}: x = {x:.4f}")
    print(f"mean square: {total / steps:.6f}")
""")
FSUM = (WALK.replace("import random", "import math, random").replace("total = 0.0", "squares = []")
        .replace("total += x * x", "squares.append(x * x)").replace("total / steps", "math.fsum(squares) / steps"))

CASES = [
    # id, original, variant, outcome, what the verdict must say
    ("random-walk-fsum", WALK, FSUM, Outcome.TEXT_EXACT,
     ["same text, but a formatted float differs at line 5 (step 750)", "357.7630672091193", "357.76306720911947"]),
    ("augmented-assignment", WALK, WALK.replace("x += random.gauss(0, 1)", "x = x + random.gauss(0, 1)"),
     Outcome.BIT_EXACT, ["5 lines, 5 formatted floats and the final RNG state"]),
    ("folded-sum-at-4-decimals", 'print(f"{0.1 + 0.2:.4f}")\n', 'print(f"{0.3:.4f}")\n', Outcome.TEXT_EXACT,
     ["0.30000000000000004", "0.3"]),
    ("percent-format", 'x = 0.1 + 0.2\nprint("x = %.3f" % x)\n', 'x = 0.3\nprint("x = %.3f" % x)\n',
     Outcome.TEXT_EXACT, ["0.30000000000000004"]),
    ("str-format-same", 'x = 2 / 3\nprint("{:.2f}".format(x))\n', 'print("{:.2f}".format(2 / 3))\n',
     Outcome.BIT_EXACT, ["1 line, 1 formatted float"]),
    ("str-format-other", 'x = 2 / 3\nprint("{:.2f}".format(x))\n', 'print("{:.2f}".format(1 - 1 / 3))\n',
     Outcome.TEXT_EXACT, ["0.6666666666666666", "0.6666666666666667"]),
    ("no-floats", "print(sum(range(10)))\n", "print(45)\n", Outcome.TEXT_EXACT, ["no floats observed"]),
    ("carriage-returns-same", 'for i in range(3):\n    print(f"step {i} {i / 7:.2f}", end="\\r")\nprint()\n',
     'for i in range(3):\n    print(f"step {i} {i / 7:.2f}", end="\\r")\nprint("")\n', Outcome.BIT_EXACT,
     ["3 lines, 3 formatted floats"]),  # the last `\\r` and the final newline make one `\\r\\n`
    ("carriage-returns-only-terminators-differ",
     'for i in range(3):\n    print(f"step {i} {i / 7:.2f}", end="\\r")\nprint()\n',
     'for i in range(3):\n    print(f"step {i} {i / 7:.2f}")\nprint()\n', Outcome.DIVERGED,
     ["line 1: `\\n` where the golden has `\\r`"]),
]


def judge(tmp_path, original, variant, **options):
    project = make_project(tmp_path / "project", original, original="walk.py")
    project.record()
    path = project.variant("v.py", variant)
    [verdict] = run_checks(project.config, [path], CheckOptions(python=sys.executable, use_cache=False, **options))
    return verdict


@pytest.mark.parametrize("original, variant, outcome, says", [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_verdicts_on_small_programs(tmp_path, original, variant, outcome, says):
    verdict = judge(tmp_path, original, variant, tier="full")
    shown = f"{verdict.detail} | {verdict.compared} | {verdict.first_divergence}"
    assert verdict.outcome is outcome, shown
    for words in says:
        assert words in shown


def test_the_first_differing_value_is_reported_in_full(tmp_path):
    divergence = judge(tmp_path, WALK, FSUM, tier="full").first_divergence
    assert (divergence.kind, divergence.what, divergence.line, divergence.step) == \
        ("value", "a formatted float", 5, 750)
    assert (float(divergence.expected), float(divergence.actual)) == (357.7630672091193, 357.76306720911947)


def test_strict_stops_at_the_first_differing_value(tmp_path):
    verdict = judge(tmp_path, WALK, FSUM, tier="full", stop_on_value=True)
    assert verdict.outcome is Outcome.DIVERGED and verdict.first_divergence.kind == "value"
    assert "the run was stopped (only bit-exact can pass)" in verdict.detail


def test_the_smoke_tier_judges_a_program_without_a_steps_variable_on_its_first_lines(tmp_path):
    walk = WALK.replace("step % 250", "step % 10")  # 100 lines: more than the 25 the smoke tier reads
    verdict = judge(tmp_path, walk, walk.replace("x += random", "x = x + random"))
    assert (verdict.outcome, verdict.tier_label) == (Outcome.BIT_EXACT, "smoke (first 25 lines)")
    assert verdict.compared == "the first 25 lines and 25 formatted floats"


def test_a_line_filter_that_matches_nothing_says_so(tmp_path):
    verdict = judge(tmp_path, WALK, WALK.replace("step {step}:", "iteration {step}:"), tier="full",
                    lines=(r"^step ",))
    assert verdict.outcome is Outcome.DIVERGED and verdict.detail.startswith("no output line matched the filter")


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="NumPy is not installed (pip install numpy)")
def test_numpy_arrays_are_compared_by_their_bytes(tmp_path):
    original = "import numpy as np\nx = np.arange(5.0)\nprint(x * 0.1)\n"
    verdict = judge(tmp_path, original, original.replace("x * 0.1", "x / 10"), tier="full")
    assert verdict.outcome is Outcome.TEXT_EXACT  # numpy prints 8 digits: [0.  0.1 0.2 0.3 0.4] either way
    assert verdict.first_divergence.what == "a formatted array"
    assert judge(tmp_path / "same", original, original.replace("print(x * 0.1)", "y = x * 0.1\nprint(y)"),
                 tier="full").outcome is Outcome.BIT_EXACT
