"""One codemod, applied and proved: kept only when bit-exact; skips and failures say why."""

from __future__ import annotations

import sys

import pytest

from trimbench.check import CheckOptions
from trimbench.errors import TrimbenchError
from trimbench.refactor import LineChange, SourceChecker, Status, attempt, read_source
from trimbench.verdict import Outcome

from ..conftest import TINY_PROGRAM
from .fakes import FakeChecker, verdict


def test_attempt_keeps_a_bit_exact_rewrite():
    step = attempt("merge-assignments", TINY_PROGRAM, lambda source, label: verdict(Outcome.BIT_EXACT, label))
    assert step.status is Status.KEPT and (step.lines_before, step.lines_after) == (12, 11) and step.saved == 1
    assert "num_steps, total = 5, 0.0" in step.source


@pytest.mark.parametrize("outcome", [pytest.param(Outcome.TEXT_EXACT, id="text-exact"),
                                     pytest.param(Outcome.DIVERGED, id="diverged")])
def test_attempt_rejects_anything_but_bit_exact(outcome):
    step = attempt("merge-assignments", TINY_PROGRAM, lambda source, label: verdict(outcome, label))
    assert step.status is Status.REJECTED and step.verdict.outcome is outcome


def test_attempt_reports_a_skip_without_checking():
    checker = FakeChecker()
    step = attempt("condense-init", TINY_PROGRAM, checker)
    assert step.status is Status.SKIPPED and "no run of 3+" in step.note and step.lines_after is None
    assert checker.calls == []


def test_attempt_passes_options_and_names_the_known_ones():
    passing = lambda s, label: verdict(Outcome.BIT_EXACT)  # noqa: E731
    step = attempt("extract-function", TINY_PROGRAM, passing, options={"name": "draw"})
    assert "def draw(i):" in step.source and step.saved < 0
    with pytest.raises(TrimbenchError, match="takes the options name, line"):
        attempt("extract-function", TINY_PROGRAM, passing, options={"colour": "red"})


def test_attempt_unknown_codemod_lists_the_known_ones():
    with pytest.raises(TrimbenchError, match="unknown codemod 'shrink'; known codemods: operator-dunders"):
        attempt("shrink", TINY_PROGRAM, FakeChecker())


def test_source_checker_labels_the_verdict(tiny_project):
    options = CheckOptions(python=sys.executable, jobs=1, use_cache=False)
    checker = SourceChecker(tiny_project.config, options, "prog.py")
    good = checker(TINY_PROGRAM, "round 1: x")
    bad = checker(TINY_PROGRAM.replace("random.seed(1)", "random.seed(2)"), "bad")
    assert (good.path, good.outcome) == ("round 1: x", Outcome.BIT_EXACT)
    assert bad.outcome is Outcome.DIVERGED


def test_read_source_refuses_missing_and_unparseable_files(tmp_path):
    with pytest.raises(TrimbenchError, match="no such file"):
        read_source(tmp_path / "gone.py")
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    with pytest.raises(TrimbenchError, match="broken.py: line 1"):
        read_source(broken)




def test_line_change_says_what_a_rewrite_did():
    change = LineChange.between("a = 1\nb = 2\n", "a, b = 1, 2\n")
    assert (change.lines_before, change.lines_after, change.honest_before, change.honest_after) == (2, 1, 2, 1)
    assert str(change) == "2 -> 1 lines (1 saved, honest lines 2 -> 1)"
    assert str(LineChange.between("a = 1\n", "a = 1\n\nb = 2\n")) == "1 -> 3 lines (2 more, honest lines 1 -> 2)"
