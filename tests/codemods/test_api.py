"""The codemods' public API: find_sites, apply's one error contract, and per-site independence on the original."""

from __future__ import annotations

import difflib
import inspect
import random

import libcst as cst
import pytest

from trimbench.codemods import (CODEMODS, Site, TransformFailure, TransformSkip, TransformSuccess, apply,
                                find_sites)
from trimbench.codemods.inline_single_use import InlineSingleUse
from trimbench.codemods.merge_assignments import MergeAssignments

from ._original import line_count, original_source

SHRINKING = ["operator-dunders", "condense-init", "merge-assignments", "inline-single-use"]
OPTIONS: dict[str, dict[str, object]] = {"extract-function": {"name": "adam_update"}}
# Codemods that meet the original only after others: hoist-constants finds the download's constant first in its
# `if` once hoist-imports has moved the import above it out.
AFTER: dict[str, tuple[str, ...]] = {"hoist-constants": ("hoist-imports",)}
# On the original (after AFTER's codemods): how many sites, and the line count after the whole-file rewrite.
ON_ORIGINAL = {
    "operator-dunders": (1, 195),
    "twin-lambdas": (2, 198),
    "condense-init": (1, 196),
    "generator-unpack": (1, 198),
    "merge-assignments": (13, 185),
    "inline-single-use": (12, 188),
    "append-comprehension": (0, 200),  # its loop has five statements until inline-single-use runs (its own tests)
    "extract-function": (1, 203),
    "one-line-imports": (1, 198),
    "hoist-imports": (1, 199),
    "hoist-constants": (1, 198),
    "one-line-bodies": (2, 198),
    "dict-call": (1, 200),
    "tighten-blank-lines": (15, 185),
    "compact-docstring": (1, 195),
    "wrap-long-comments": (1, 201),
}


def source_for(name: str) -> str:
    """The original, rewritten by the codemods the codemod `name` comes after (AFTER)."""
    source = original_source()
    for before in AFTER.get(name, ()):
        source = apply(before, source).code
    return source


def changed_lines(before: str, after: str) -> set[int]:
    """1-based lines of `before` that `after` replaces or deletes (an insertion counts the line it precedes)."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    changed: set[int] = set()
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            changed.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return changed


@pytest.mark.parametrize("name", CODEMODS)
def test_every_codemod_takes_sites(name: str) -> None:
    parameter = inspect.signature(CODEMODS[name].__init__).parameters["sites"]
    assert parameter.default is None and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


@pytest.mark.parametrize("name", CODEMODS)
def test_sites_on_the_original_are_numbered_in_source_order(name: str) -> None:
    sites = find_sites(name, source_for(name), **OPTIONS.get(name, {}))
    assert len(sites) == ON_ORIGINAL[name][0]
    assert [s.index for s in sites] == list(range(len(sites)))
    assert [s.line for s in sites] == sorted({s.line for s in sites})
    assert all(isinstance(s, Site) and s.summary and "\n" not in s.summary for s in sites)


@pytest.mark.parametrize("name", CODEMODS)
def test_applying_every_site_is_the_whole_file_rewrite(name: str) -> None:
    source, options = source_for(name), OPTIONS.get(name, {})
    whole = apply(name, source, **options)
    every = apply(name, source, sites=range(ON_ORIGINAL[name][0]), **options)
    if ON_ORIGINAL[name][0] == 0:
        assert isinstance(whole, TransformSkip) and isinstance(every, TransformSkip)
        return
    assert isinstance(whole, TransformSuccess) and isinstance(every, TransformSuccess)
    assert every.code == whole.code
    assert line_count(whole.code) == ON_ORIGINAL[name][1]


@pytest.mark.parametrize("name", CODEMODS)
def test_each_site_alone_changes_only_its_own_lines(name: str) -> None:
    source, options = source_for(name), OPTIONS.get(name, {})
    sites = find_sites(name, source, **options)
    everything = changed_lines(source, apply(name, source, **options).code) if sites else set()
    for site in sites:
        alone = apply(name, source, sites=[site.index], **options)
        assert isinstance(alone, TransformSuccess), site
        compile(alone.code, site.summary, "exec")
        changed = changed_lines(source, alone.code)
        assert site.line in changed, site
        assert not changed & {other.line for other in sites if other is not site}, site
        assert changed <= everything, site


@pytest.mark.parametrize("name", [n for n in CODEMODS if ON_ORIGINAL[n][0] > 1])
def test_any_subset_saves_the_sum_of_its_sites(name: str) -> None:
    # Independent sites: each saves the same lines whether applied alone or with any others.
    source = source_for(name)
    sites = find_sites(name, source)
    saved = {s.index: line_count(source) - line_count(apply(name, source, sites=[s.index]).code) for s in sites}
    rng = random.Random(11)
    for _ in range(3):
        subset = rng.sample(sorted(saved), rng.randint(1, len(saved)))
        result = apply(name, source, sites=subset)
        compile(result.code, f"{name} {subset}", "exec")
        assert line_count(result.code) == line_count(source) - sum(saved[i] for i in subset), subset


def test_the_shrinking_codemods_in_turn_take_the_original_to_165_lines() -> None:
    source = original_source()
    for name in SHRINKING:
        result = apply(name, source)
        assert isinstance(result, TransformSuccess), name
        source = result.code
    assert line_count(source) == 165


def test_run_in_rounds_the_shrinking_codemods_reach_a_fixed_point() -> None:
    """Chains (an inlined value whose statement is itself inlinable) take more than one round; each shortens."""
    source, lengths = original_source(), []
    for _ in range(6):
        results = [apply(name, source) for name in SHRINKING]
        if all(isinstance(result, TransformSkip) for result in results):
            break
        for name in SHRINKING:
            result = apply(name, source)
            source = result.code if isinstance(result, TransformSuccess) else source
        lengths.append(line_count(source))
    else:
        pytest.fail(f"no fixed point in 6 rounds: {lengths}")
    assert lengths == sorted(lengths, reverse=True) and len(set(lengths)) == len(lengths) and lengths[-1] < 165


# --- the error contract (apply's docstring) ---------------------------------------------------------------

@pytest.mark.parametrize("name", CODEMODS)
def test_an_empty_subset_is_a_skip(name: str) -> None:
    source, options = source_for(name), OPTIONS.get(name, {})
    assert isinstance(apply(name, source, sites=(), **options), TransformSkip)
    assert isinstance(apply(name, source, sites=[99], **options), TransformSkip)  # no such site: nothing chosen


def test_an_unknown_codemod_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        apply("shrink", "x = 1\n")
    with pytest.raises(KeyError):
        find_sites("shrink", "x = 1\n")


@pytest.mark.parametrize("name, options", [
    pytest.param("merge-assignments", {"colour": "red"}, id="unknown-option"),
    pytest.param("extract-function", {"line": "abc"}, id="line-not-an-int"),
    pytest.param("extract-function", {"name": 3}, id="name-not-a-str"),
    pytest.param("condense-init", {"min_run": "3"}, id="min-run-not-an-int"),
    pytest.param("inline-single-use", {"sites": "01"}, id="sites-a-string"),
    pytest.param("inline-single-use", {"sites": [0.5]}, id="sites-not-ints"),
])
def test_a_wrong_option_is_a_type_error(name: str, options: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        apply(name, "x = 1\n", **options)
    with pytest.raises(TypeError):
        find_sites(name, "x = 1\n", **{k: v for k, v in options.items() if k != "sites"} or {"sites": None})


@pytest.mark.parametrize("name", CODEMODS)
def test_a_source_that_does_not_parse_is_a_failure_with_no_site(name: str) -> None:
    assert isinstance(apply(name, "def f(:\n"), TransformFailure)
    assert find_sites(name, "def f(:\n") == ()


def test_a_codemod_that_raises_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self, node):
        raise RuntimeError("a bug")

    monkeypatch.setattr(InlineSingleUse, "visit_Module", broken)
    result = apply("inline-single-use", "t = 1\nprint(t)\n")
    assert isinstance(result, TransformFailure) and str(result.error) == "a bug"


def test_code_that_does_not_compile_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self, original, updated):
        return cst.parse_module("return 1\n")

    monkeypatch.setattr(MergeAssignments, "leave_Module", broken)
    result = apply("merge-assignments", "a = 1\nb = 2\n")
    assert isinstance(result, TransformFailure) and "outside function" in str(result.error)


def test_ctrl_c_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self, node):
        raise KeyboardInterrupt

    monkeypatch.setattr(InlineSingleUse, "visit_Module", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply("inline-single-use", "t = 1\nprint(t)\n")
