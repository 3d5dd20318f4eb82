"""The search behind `auto`, with fake checkers on a thread pool: what it keeps, splits, remembers and refuses."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import VisitorBasedCodemodCommand

from trimbench import rules
from trimbench.codemods import CODEMODS, apply
from trimbench.codemods._sites import Candidate, SiteChooser
from trimbench.refactor import Memory, Shape, count_lines, last_proven, search, shape_of
from trimbench.refactor.search import Kept
from trimbench.verdict import Outcome

from ..conftest import TINY_PROGRAM
from .fakes import FakeChecker

ORIGINAL = (Path(__file__).resolve().parents[2] / "original" / "microgpt.py").read_text()
# The tiny program with a temporary that inline-single-use removes; merge-assignments joins num_steps and total.
INLINABLE = TINY_PROGRAM.replace("    total += random.random()\n", "    x = random.random()\n    total += x\n")
# Two temporaries in two loops: inline-single-use has two sites on it.
TWO_SITES = INLINABLE.replace("    probs = [0.2, 0.3, 0.5]\n    print(", "    probs = [0.2, 0.3, 0.5]\n    w = probs\n"
                              "    print(").replace("weights=probs)", "weights=w)")


@pytest.fixture
def pool():
    with ThreadPoolExecutor(2) as executor:
        yield executor


def run(source, checker, pool, **options):
    return search(INLINABLE, source, checker, pool, **options)


def test_keeps_every_shorter_bit_exact_change_and_stops(pool):
    result = run(INLINABLE, FakeChecker(), pool)
    assert sorted(kept.codemod for kept in result.path) == ["inline-single-use", "merge-assignments"]
    assert count_lines(result.source) == count_lines(INLINABLE) - 2
    assert "total += random.random()" in result.source and "num_steps, total = 5, 0.0" in result.source
    assert result.stopped == "no codemod shortens it further"
    shapes = [result.path[0].before] + [kept.after for kept in result.path]
    assert shapes == sorted(shapes, reverse=True)  # every step improves on the one before


def test_one_unsafe_site_costs_only_itself(pool):
    """Both inlinings proposed together fail; split in halves, the safe one is kept and the unsafe one left."""
    assert TWO_SITES != INLINABLE
    checker = FakeChecker("w = [0.2")  # inlining `probs` into `w = probs` "diverges"
    result = run(TWO_SITES, checker, pool, codemods=["inline-single-use"])
    assert [kept.codemod for kept in result.path] == ["inline-single-use"]
    assert "total += random.random()" in result.source and "w = probs" in result.source
    tried = [source for source, _ in checker.calls[1:]]
    assert any("w = [0.2" in s and "total += random.random()" in s for s in tried)  # both together, first
    assert any("w = [0.2" in s and "total += x" in s for s in tried)  # then the unsafe half alone


def test_no_program_is_checked_twice(pool, tmp_path):
    checker = FakeChecker("w = [0.2")
    first = run(TWO_SITES, checker, pool, memory=Memory(tmp_path, "context"))
    checked = [source for source, _ in checker.calls[1:]]
    assert len(checked) == len(set(checked)) and first.tried >= len(checked)
    again = FakeChecker("w = [0.2")
    second = run(TWO_SITES, again, pool, memory=Memory(tmp_path, "context"))  # a second run resumes from disk
    assert second.source == first.source and len(again.calls) == 1 and second.cache_hits == second.tried
    other = FakeChecker("w = [0.2")
    run(TWO_SITES, other, pool, memory=Memory(tmp_path, "another context"))  # other goldens: checked again
    assert len(other.calls) > 1


def test_a_start_that_is_not_bit_exact_is_all_it_checks(pool):
    checker = FakeChecker(start=Outcome.TEXT_EXACT)
    result = run(INLINABLE, checker, pool)
    assert not result.proven and result.path == () and result.source == INLINABLE and len(checker.calls) == 1


PARTS = ["'alpha' * 12 + 'beta' * 12 + 'gamma' * 12", "'delta' * 12 + 'eps' * 12 + 'zeta' * 12",
         "'theta' * 12 + 'iota' * 12 + 'kappa' * 12"]
THREE = "".join(f"{name} = {part}\n" for name, part in zip(["first", "second", "third"], PARTS)) + "print(first)\n"
SPREAD = f"first, second, third = ({PARTS[0]},\n    {PARTS[1]}, {PARTS[2]})\nprint(first)\n"


class SpreadOut(SiteChooser, VisitorBasedCodemodCommand):
    """Writes THREE as SPREAD: a physical line saved, two honest lines added (black writes a part a line)."""

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)

    def visit_Module(self, node: cst.Module) -> bool:
        self.choose([Candidate(1, 0, "spread out", None)], "not THREE")
        return False

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return cst.parse_module(SPREAD)


def test_a_change_that_adds_honest_lines_is_never_kept(pool, monkeypatch):
    monkeypatch.setitem(CODEMODS, "spread-out", SpreadOut)
    before, after = shape_of(THREE, THREE), shape_of(THREE, apply("spread-out", THREE).code)
    assert after.lines < before.lines and after.honest > before.honest and after.violations == 0  # as it says
    result = search(THREE, THREE, FakeChecker(), pool, codemods=["spread-out"])
    assert result.path == () and result.source == THREE


def test_the_budget_stops_the_search(pool):
    result = run(INLINABLE, FakeChecker(), pool, budget=0.0)
    assert result.path == () and result.stopped == "the time budget ran out"


@pytest.mark.parametrize("before, after, improves", [
    pytest.param(Shape(0, 10, 12), Shape(0, 10, 11), True, id="fewer-physical-lines"),
    pytest.param(Shape(0, 10, 12), Shape(0, 9, 12), True, id="fewer-honest-lines"),
    pytest.param(Shape(0, 10, 12), Shape(0, 11, 8), False, id="more-honest-lines-never"),
    pytest.param(Shape(1, 10, 12), Shape(0, 10, 13), True, id="a-rule-repaired-at-the-cost-of-a-line"),
    pytest.param(Shape(0, 10, 12), Shape(1, 9, 9), False, id="a-new-rule-broken-never"),
    pytest.param(Shape(0, 10, 12), Shape(0, 10, 12), False, id="the-same"),
])
def test_what_counts_as_an_improvement(before, after, improves):
    assert after.improves_on(before) is improves


def test_shape_counts_rules_honest_and_physical_lines():
    assert shape_of("x = 1\n", "x = 1\ndata = 2\n") == Shape(0, 2, 2)
    assert shape_of("x = 1\n", "x = 1; data = 2\n") == Shape(1, 2, 1)  # `;` breaks a rule; black splits it
    assert shape_of("x = 1\n", "x = 1\ny = 2\n") == Shape(1, 2, 2)  # a new one-letter name breaks one too


@pytest.mark.parametrize("proven, expected", [
    pytest.param([True, True, True], 3, id="all"),
    pytest.param([True, False, False], 1, id="first"),
    pytest.param([False, False, False], 0, id="none"),
    pytest.param([True, True, False, False, False], 2, id="two-of-five"),
])
def test_last_proven_finds_the_longest_proven_prefix(proven, expected):
    path = [Kept(1, "c", "s", Shape(0, 1, 1), Shape(0, 1, 1), None, str(index)) for index in range(len(proven))]
    asked = []

    def proves(source):
        asked.append(source)
        return proven[int(source)]

    assert last_proven(path, proves) == expected and len(asked) <= len(proven).bit_length() + 1


@pytest.mark.slow  # about 80 s of libcst and black: run with `pytest -m slow` (CI does)
def test_on_microgpt_every_kept_step_keeps_the_rules(pool):
    """With every candidate passing its check, what the search keeps is what its own rules allow: the result
    obeys the compaction rules (the original's two long lines repaired) and never adds an honest line."""
    result = search(ORIGINAL, ORIGINAL, FakeChecker(), pool)
    assert result.path and count_lines(result.source) < 160
    assert rules.check(ORIGINAL, result.source) == () and rules.check(ORIGINAL, ORIGINAL) != ()
    shapes = [shape_of(ORIGINAL, ORIGINAL)] + [kept.after for kept in result.path]
    assert all(after.improves_on(before) for before, after in zip(shapes, shapes[1:]))
