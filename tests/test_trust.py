"""Provenance: report and publish use a cached verdict only when it was judged against what the project is now."""

from __future__ import annotations

import hashlib
import re
import sys

import pytest

from trimbench import provenance, publish, report, trust
from trimbench.check import CheckOptions, run_checks

FAST = dict(python=sys.executable, jobs=1)


@pytest.fixture
def variant(tiny_project):
    return tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # same program")


def judged(project, path, **options):
    [verdict] = run_checks(project.config, [path], CheckOptions(**{**FAST, **options}))
    return verdict


def shown(project, path):
    """The verdict the report shows for `path`, and the one publish would take."""
    rows = {row.metrics.path: row.verdict for row in report.build_report(project.config, [path]).rows}
    return rows["variants/v.py"], publish.cached_full_verdict(project.config, path.read_bytes())


def test_an_unfiltered_full_verdict_is_used_by_both(tiny_project, variant):
    verdict = judged(tiny_project, variant, tier="full")
    in_report, for_publish = shown(tiny_project, variant)
    assert in_report.basis == for_publish.basis == verdict.basis and in_report.outcome.value == "bit-exact"


def test_a_smoke_verdict_is_shown_but_never_published(tiny_project, variant):
    judged(tiny_project, variant)
    in_report, for_publish = shown(tiny_project, variant)
    assert in_report.tier == "smoke" and for_publish is None


@pytest.mark.parametrize("options", [
    pytest.param({"tier": "full", "lines": (r"^step ",)}, id="line-filter"),
    pytest.param({"steps": 1}, id="another-step-count"),
])
def test_a_verdict_of_another_comparison_is_not_used(tiny_project, variant, options):
    assert judged(tiny_project, variant, **options).outcome.value == "bit-exact"
    assert shown(tiny_project, variant) == (None, None)


def test_a_verdict_for_another_original_is_not_used(tiny_project, variant):
    judged(tiny_project, variant, tier="full")
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text() + "# one more line\n")
    assert shown(tiny_project, variant) == (None, None)  # no goldens for this original yet: nothing is trusted
    tiny_project.record()
    assert shown(tiny_project, variant) == (None, None)


def test_a_verdict_against_older_goldens_is_not_used(tiny_project, variant):
    judged(tiny_project, variant, tier="full")
    data = tiny_project.root / "data" / "input.txt"
    data.write_text("dora\nemil\n")  # another input: the same original prints other goldens
    pyproject = tiny_project.root / "pyproject.toml"
    sha = hashlib.sha256(data.read_bytes()).hexdigest()
    pyproject.write_text(re.sub(r'sha256 = "[0-9a-f]{64}"', f'sha256 = "{sha}"', pyproject.read_text()))
    tiny_project.record()
    assert shown(tiny_project, variant) == (None, None)


def test_a_verdict_of_other_judging_code_is_not_used(tiny_project, variant, monkeypatch):
    judged(tiny_project, variant, tier="full")
    monkeypatch.setattr(provenance, "judge", lambda: "0" * 64)
    assert shown(tiny_project, variant) == (None, None)


def test_goldens_for_this_original_are_what_is_current(tiny_project):
    now = trust.current(tiny_project.config)
    assert now is not None and now.manifest.original_sha256 == hashlib.sha256(
        (tiny_project.root / "original" / "prog.py").read_bytes()).hexdigest()
    (tiny_project.root / "golden" / "manifest.json").write_text("[]")
    assert trust.current(tiny_project.config) is None
