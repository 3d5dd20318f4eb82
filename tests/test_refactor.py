"""The refactoring loop's core: one attempt, the greedy search (with a fake checker, then for real), and watch."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from trimbench.check import CheckOptions, run_checks
from trimbench.errors import TrimbenchError
from trimbench.refactor import SourceChecker, Status, attempt, auto, count_lines, read_source, watch
from trimbench.verdict import Outcome, Verdict

from .conftest import TINY_PROGRAM

# The tiny program with a temporary that inline-single-use removes; merge-assignments joins num_steps and total.
INLINABLE = TINY_PROGRAM.replace("    total += random.random()\n", "    x = random.random()\n    total += x\n")
assert INLINABLE != TINY_PROGRAM


def verdict(outcome: Outcome, label: str = "v") -> Verdict:
    return Verdict(path=label, outcome=outcome, tier="smoke", steps=2, interpreter="fake", seconds=0.0)


class FakeChecker:
    """Bit-exact unless the source contains one of `bad`; remembers what it was asked."""

    def __init__(self, *bad: str, start: Outcome = Outcome.BIT_EXACT):
        self.bad, self.start, self.calls = bad, start, []

    def __call__(self, source: str, label: str) -> Verdict:
        self.calls.append((source, label))
        if len(self.calls) == 1:
            return verdict(self.start, label)
        return verdict(Outcome.DIVERGED if any(b in source for b in self.bad) else Outcome.BIT_EXACT, label)


# --- attempt ---------------------------------------------------------------------------------------------

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


# --- auto with a fake checker ------------------------------------------------------------------------------

def test_auto_keeps_every_shorter_bit_exact_change_and_stops():
    checker = FakeChecker()
    result = auto(INLINABLE, checker)
    assert [step.codemod for step in result.kept] == ["merge-assignments", "inline-single-use"]
    assert count_lines(result.source) == count_lines(INLINABLE) - 2
    assert "total += random.random()" in result.source and "num_steps, total = 5, 0.0" in result.source
    # round 2 keeps nothing, so the search ends there
    assert {step.round for step in result.steps} == {1, 2} and not any(s.round == 2 for s in result.kept)


def test_auto_never_keeps_a_longer_program_and_never_checks_it():
    checker = FakeChecker()
    result = auto(TINY_PROGRAM, checker, codemods=["extract-function"])
    [step] = result.steps
    assert step.status is Status.NOT_SHORTER and step.verdict is None
    assert result.source == TINY_PROGRAM and len(checker.calls) == 1  # only the start


def test_auto_drops_a_rejected_change_and_goes_on_from_the_last_good_program():
    checker = FakeChecker("num_steps, total")  # merge-assignments' rewrite "diverges"
    result = auto(INLINABLE, checker, codemods=["merge-assignments", "inline-single-use"])
    assert [(s.codemod, s.status) for s in result.steps if s.round == 1] == [
        ("merge-assignments", Status.REJECTED), ("inline-single-use", Status.KEPT)]
    assert "num_steps = 5\n" in result.source and "x = random.random()" not in result.source


def test_auto_checks_a_rejected_program_only_once():
    checker = FakeChecker("num_steps, total")
    auto(INLINABLE, checker, codemods=["merge-assignments", "inline-single-use"])
    checked = [source for source, _ in checker.calls]
    assert len(checked) == len(set(checked))  # merge-assignments proposes the same rewrite in round 2


def test_auto_refuses_a_start_that_is_not_bit_exact():
    checker = FakeChecker(start=Outcome.TEXT_EXACT)
    result = auto(INLINABLE, checker)
    assert not result.proven and result.steps == () and result.source == INLINABLE and len(checker.calls) == 1


def test_auto_reports_as_it_goes():
    seen = []
    result = auto(INLINABLE, FakeChecker(), on_start=lambda v: seen.append("start"), on_step=seen.append)
    assert seen == ["start", *result.steps]


# --- for real ----------------------------------------------------------------------------------------------

def test_source_checker_labels_the_verdict(tiny_project):
    options = CheckOptions(python=sys.executable, jobs=1, use_cache=False)
    checker = SourceChecker(tiny_project.config, options, "prog.py")
    good = checker(TINY_PROGRAM, "round 1: x")
    bad = checker(TINY_PROGRAM.replace("random.seed(1)", "random.seed(2)"), "bad")
    assert (good.path, good.outcome) == ("round 1: x", Outcome.BIT_EXACT)
    assert bad.outcome is Outcome.DIVERGED


def test_auto_on_the_tiny_program_for_real(tiny_project):
    options = CheckOptions(python=sys.executable, jobs=1, use_cache=False)
    checker = SourceChecker(tiny_project.config, options, "prog.py")
    result = auto(INLINABLE, checker)
    assert result.proven and [step.codemod for step in result.kept] == ["merge-assignments", "inline-single-use"]
    assert all(step.verdict.outcome is Outcome.BIT_EXACT for step in result.kept)


def test_auto_on_the_original_is_bit_exact_and_shorter(repo_config, tmp_path):
    """The issue's acceptance test: each kept step is bit-exact in the smoke tier, and so is the written result."""
    source = repo_config.original.read_text()
    checker = SourceChecker(repo_config, CheckOptions(tier="smoke", jobs=1, use_cache=False), "microgpt.py")
    result = auto(source, checker)
    assert result.proven and result.kept and count_lines(result.source) < count_lines(source)
    assert "extract-function" not in [step.codemod for step in result.kept]
    written = tmp_path / "microgpt.py"
    written.write_text(result.source)
    [final] = run_checks(repo_config, [written], CheckOptions(tier="smoke", jobs=1, use_cache=False))
    assert final.outcome is Outcome.BIT_EXACT


def test_read_source_refuses_missing_and_unparseable_files(tmp_path):
    with pytest.raises(TrimbenchError, match="no such file"):
        read_source(tmp_path / "gone.py")
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n")
    with pytest.raises(TrimbenchError, match="broken.py: line 1"):
        read_source(broken)


# --- watch -------------------------------------------------------------------------------------------------

def test_watch_checks_at_once_then_after_each_change_of_content(tmp_path):
    path = tmp_path / "v.py"
    path.write_text("a = 1\n")
    contents, first, stop = [], threading.Event(), threading.Event()

    def check() -> Verdict:
        contents.append(path.read_text())
        return verdict(Outcome.BIT_EXACT if "a = 1" in contents[-1] else Outcome.DIVERGED)

    outcomes = []

    def on_verdict(v: Verdict) -> None:
        outcomes.append(v.outcome)
        first.set()
        if len(outcomes) == 2:
            stop.set()

    thread = threading.Thread(target=watch, args=(path, check, on_verdict, stop.is_set), kwargs={"interval": 0.02})
    thread.start()
    try:
        assert first.wait(10)
        path.write_text("a = 1\n")  # a save that changes nothing is not checked again...
        time.sleep(0.3)  # ...though the watcher polls it fifteen times meanwhile
        assert len(outcomes) == 1
        path.write_text("a = 2  # longer\n")
        assert stop.wait(10)
    finally:
        stop.set()
        thread.join(10)
    assert outcomes == [Outcome.BIT_EXACT, Outcome.DIVERGED] and contents[-1] == "a = 2  # longer\n"


def test_watch_ignores_a_touch_and_waits_for_a_missing_file(tmp_path):
    path = tmp_path / "v.py"
    polls, runs = [], []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 2:
            path.write_text("a = 1\n")  # appears after two polls
        if len(polls) == 4:
            path.write_text("a = 1\n")  # rewritten with the same bytes: new mtime, same content

    runs_done = watch(path, lambda: verdict(Outcome.BIT_EXACT), runs.append, lambda: len(polls) >= 8,
                      interval=0.01, sleep=sleep)
    assert runs_done == len(runs) == 1
