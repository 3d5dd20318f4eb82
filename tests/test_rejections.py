"""Variants of microgpt broken on purpose, each an edit of the original named for what it breaks, with its verdict.

The edits are applied to original/microgpt.py at test time, so each case is only the lines it changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trimbench.check import CheckOptions, run_checks
from trimbench.verdict import Outcome

ORIGINAL = Path(__file__).resolve().parents[1] / "original" / "microgpt.py"

DUNDERS_GRADS_ONE = """
import operator
def op_method(op_name, local_grads):
    op = getattr(operator, op_name)
    def method(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(op(self.data, other.data), (self, other), local_grads)
    return method
for op in ['add', 'mul', 'sub', 'truediv']:
    setattr(Value, f'__{op}__', op_method(op, (1, 1)))
"""

EDITS = {  # name: [(old, new), ...], each old found exactly once in the original
    "dunders_grads_one": [("\n# Initialize the parameters", DUNDERS_GRADS_ONE + "\n# Initialize the parameters")],
    "init_order": [("{'wte': matrix(vocab_size, n_embd), 'wpe': matrix(block_size, n_embd),",
                    "{'wpe': matrix(block_size, n_embd), 'wte': matrix(vocab_size, n_embd),")],
    "adam_bias_off_by_one": [("beta1 ** (step + 1)", "beta1 ** (step + 2)"),
                             ("beta2 ** (step + 1)", "beta2 ** (step + 2)")],
    "extra_print": [('print(f"num params: {len(params)}")\n',
                     'print(f"num params: {len(params)}")\nprint(f"num layers: {n_layer}")\n')],
    "crash_after_steps": [("    print(f\"step {step+1:4d}", "    if step == 5:\n"
                                                        "        raise RuntimeError('out of patience')\n"
                                                        "    print(f\"step {step+1:4d}")],
    "syntax_error": [("def linear(x, w):", "def linear(x, w)")],
    "infinite_loop": [("    lr_t = learning_rate", "    while step == 2:\n        pass\n    lr_t = learning_rate")],
    "softmax_inline_sum": [("    total = sum(exps)\n    return [e / total for e in exps]",
                            "    return [e / sum(exps) for e in exps]")],
    "folded_constant": [("(1 - beta1) * p.grad", "0.15 * p.grad")],
}
HANG = "infinite_loop"

CASES = [
    # edit, verdict, golden line of the first difference (None: no divergence to point at), kind of difference
    pytest.param("dunders_grads_one", Outcome.DIVERGED, 5, "text", id="day1-dunders-grads-one"),
    pytest.param("init_order", Outcome.DIVERGED, 4, "text", id="init-order"),
    pytest.param("adam_bias_off_by_one", Outcome.DIVERGED, 5, "text", id="adam-bias-off-by-one"),
    pytest.param("extra_print", Outcome.DIVERGED, 4, "text", id="extra-print"),
    pytest.param("crash_after_steps", Outcome.CRASHED, None, None, id="crash-after-steps"),
    pytest.param("syntax_error", Outcome.INVALID, None, None, id="syntax-error"),
    pytest.param("infinite_loop", Outcome.TIMEOUT, None, None, id="infinite-loop"),
    pytest.param("softmax_inline_sum", Outcome.TEXT_EXACT, 12, "value", id="same-text-other-bits"),
    pytest.param("folded_constant", Outcome.TEXT_EXACT, 12, "value", id="folded-constant"),
]


def broken_source(name: str) -> str:
    source = ORIGINAL.read_text()
    for old, new in EDITS[name]:
        assert source.count(old) == 1, (name, old)  # an edit that misses must not pass as an unchanged copy
        source = source.replace(old, new)
    return source


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    paths = {}
    for name in EDITS:
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(broken_source(name))
    return paths


@pytest.fixture(scope="module")
def verdicts(repo_config, broken):
    """All cases in one parallel run: a smoke check of microgpt takes about a second each on PyPy."""
    names = [name for name in EDITS if name != HANG]
    found = run_checks(repo_config, [broken[name] for name in names], CheckOptions(tier="smoke", use_cache=False))
    # The hang is judged alone, with a timeout short enough to keep the suite fast on any interpreter.
    [hang] = run_checks(repo_config, [broken[HANG]], CheckOptions(tier="smoke", use_cache=False, timeout=3))
    return dict(zip(names, found)) | {HANG: hang}


@pytest.mark.parametrize("name, outcome, line, kind", CASES)
def test_broken_variant_is_rejected(verdicts, name, outcome, line, kind):
    verdict = verdicts[name]
    assert verdict.outcome is outcome, verdict.detail
    assert not verdict.passes()
    if line is not None:
        assert (verdict.first_divergence.line, verdict.first_divergence.kind) == (line, kind)
        assert verdict.first_divergence.expected != verdict.first_divergence.actual


def test_crash_keeps_the_error(verdicts):
    verdict = verdicts["crash_after_steps"]
    assert "after 8 matching lines (step 5)" in verdict.detail and "RuntimeError: out of patience" in verdict.detail


def test_divergence_names_its_step(verdicts):
    assert verdicts["adam_bias_off_by_one"].first_divergence.step == 2
    assert verdicts["init_order"].first_divergence.step == 1


def test_syntax_error_is_found_before_running(verdicts):
    verdict = verdicts["syntax_error"]
    line = broken_source("syntax_error").splitlines().index("def linear(x, w)") + 1
    assert verdict.seconds == 0.0 and f"syntax error at line {line}:" in verdict.detail


def test_same_text_other_bits_shows_both_values_in_full(verdicts):
    divergence = verdicts["softmax_inline_sum"].first_divergence
    assert divergence.what == "a formatted float" and divergence.step == 9
    assert float(divergence.expected) != float(divergence.actual) and f"{float(divergence.expected):.4f}" == \
        f"{float(divergence.actual):.4f}"


def test_strict_stops_at_the_first_differing_value(repo_config, broken):
    [verdict] = run_checks(repo_config, [broken["folded_constant"]], CheckOptions(tier="full", use_cache=False,
                                                                                  stop_on_value=True))
    assert verdict.outcome is Outcome.DIVERGED and verdict.first_divergence.kind == "value"
    assert verdict.first_divergence.step == 9 and "the run was stopped" in verdict.detail
