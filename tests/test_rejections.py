"""Broken variants of microgpt, each written to fail in one known way, must each get the right verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from trimbench.check import CheckOptions, run_checks
from trimbench.verdict import Outcome

BROKEN = Path(__file__).parent / "broken"
HANG = "infinite_loop.py"

CASES = [
    # file, verdict, golden line of the first difference (None: no divergence to point at)
    pytest.param("dunders_grads_one.py", Outcome.DIVERGED, 5, id="day1-dunders-grads-one"),
    pytest.param("init_order.py", Outcome.DIVERGED, 4, id="init-order"),
    pytest.param("adam_bias_off_by_one.py", Outcome.DIVERGED, 5, id="adam-bias-off-by-one"),
    pytest.param("extra_print.py", Outcome.DIVERGED, 4, id="extra-print"),
    pytest.param("crash_after_steps.py", Outcome.CRASHED, None, id="crash-after-steps"),
    pytest.param("syntax_error.py", Outcome.INVALID, None, id="syntax-error"),
    pytest.param("infinite_loop.py", Outcome.TIMEOUT, None, id="infinite-loop"),
    pytest.param("softmax_inline_sum.py", Outcome.TEXT_EXACT, None, id="same-text-other-bits"),
    pytest.param("folded_constant.py", Outcome.TEXT_EXACT, None, id="folded-constant"),
]


@pytest.fixture(scope="module")
def verdicts(repo_config):
    """All cases in one parallel run: a smoke check of microgpt takes about a second each on PyPy."""
    names = [case.values[0] for case in CASES if case.values[0] != HANG]
    found = run_checks(repo_config, [BROKEN / name for name in names], CheckOptions(tier="smoke", use_cache=False))
    # The hang is judged alone, with a timeout short enough to keep the suite fast on any interpreter.
    [hang] = run_checks(repo_config, [BROKEN / HANG], CheckOptions(tier="smoke", use_cache=False, timeout=3))
    return dict(zip(names, found)) | {HANG: hang}


@pytest.mark.parametrize("name, outcome, line", CASES)
def test_broken_variant_is_rejected(verdicts, name, outcome, line):
    verdict = verdicts[name]
    assert verdict.outcome is outcome, verdict.detail
    assert not verdict.passes(strict=True)
    if line is not None:
        assert verdict.first_divergence.line == line
        assert verdict.first_divergence.expected != verdict.first_divergence.actual


def test_crash_keeps_the_error(verdicts):
    verdict = verdicts["crash_after_steps.py"]
    assert "after 8 matching lines (step 5)" in verdict.detail and "RuntimeError: out of patience" in verdict.detail


def test_divergence_names_its_step(verdicts):
    assert verdicts["adam_bias_off_by_one.py"].first_divergence.step == 2
    assert verdicts["init_order.py"].first_divergence.step == 1


def test_syntax_error_is_found_before_running(verdicts):
    verdict = verdicts["syntax_error.py"]
    line = (BROKEN / "syntax_error.py").read_text().splitlines().index("def linear(x, w)") + 1
    assert verdict.seconds == 0.0 and f"syntax error at line {line}:" in verdict.detail
