"""The tiers: the smoke tier's rewrite of the step count, and how each tier names itself."""

from __future__ import annotations

import pytest

from trimbench.tiers import NoStepsVariable, Tier, find_steps, with_steps


@pytest.mark.parametrize("source, expected", [
    pytest.param("num_steps = 1000 # number of training steps\n", "num_steps = 20 # number of training steps\n",
                 id="plain-keeps-comment"),
    pytest.param("lr, num_steps = 0.01, 1000\n", "lr, num_steps = 0.01, 20\n", id="tuple"),
    pytest.param("num_steps: int = 1000\n", "num_steps: int = 20\n", id="annotated"),
    pytest.param("x = 1; num_steps = 1000\n", "x = 1; num_steps = 20\n", id="after-semicolon"),
    pytest.param("num_steps = 1000\ndef f():\n    num_steps = 5\n", "num_steps = 20\ndef f():\n    num_steps = 5\n",
                 id="only-module-level"),
])
def test_rewrites(source, expected):
    assert with_steps(source, 20, "num_steps") == expected
    assert find_steps(source, "num_steps") is not None


@pytest.mark.parametrize("source", [
    pytest.param("steps = 1000\n", id="absent"),
    pytest.param("num_steps = int('1000')\n", id="not-a-literal"),
    pytest.param("num_steps = 10\nnum_steps = 20\n", id="twice"),
    pytest.param("if True:\n    num_steps = 1000\n", id="nested"),
    pytest.param("a, num_steps = pair\n", id="tuple-from-name"),
])
def test_refuses(source):
    with pytest.raises(NoStepsVariable, match="cannot be rewritten"):
        with_steps(source, 20, "num_steps")
    assert find_steps(source, "num_steps") is None


def test_the_original_has_1000_steps_and_one_rewritten_line(repo_config):
    source = repo_config.original.read_text()
    rewritten = with_steps(source, 20, repo_config.steps_variable)
    changed = [(a, b) for a, b in zip(source.splitlines(), rewritten.splitlines()) if a != b]
    assert find_steps(source, repo_config.steps_variable) == 1000
    assert changed == [("num_steps = 1000 # number of training steps", "num_steps = 20 # number of training steps")]


def test_another_variable_name():
    assert with_steps("iterations = 50\n", 3, "iterations") == "iterations = 3\n"
    assert find_steps("iterations = 50\n", "num_steps") is None


@pytest.mark.parametrize("tier, recorded, label, golden", [
    pytest.param(Tier("full"), 1000, "full (1000 steps)", Tier("full"), id="full"),
    pytest.param(Tier("full"), None, "full", Tier("full"), id="full-steps-unknown"),
    pytest.param(Tier("smoke", 20), None, "smoke (20 steps)", Tier("smoke", 20), id="smoke"),
    pytest.param(Tier("smoke", first_lines=25), 1000, "smoke (first 25 lines of 1000 steps)", Tier("full"),
                 id="first-lines-read-the-full-golden"),
])
def test_labels_and_goldens(tier, recorded, label, golden):
    assert tier.label(recorded) == label and tier.golden == golden
