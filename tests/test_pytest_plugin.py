"""The pytest plugin as a user runs it: a project made by `trimbench init`, then a real `pytest --trimbench`."""

from __future__ import annotations

import sys
import textwrap

import pytest

from trimbench.cli import main

# A seeded random walk that is not microgpt: its step count is `n_iters`, and it reads a file beside it.
WALK = textwrap.dedent('''\
    import random
    random.seed(7)
    words = open('words.txt').read().split()
    n_iters = 30
    pos = 0.0
    for it in range(n_iters):
        pos += random.gauss(0, 1)
        print(f"iter {it+1:3d} | pos {pos:.4f} | {random.choice(words)}")
''')
PYTHON = f"--trimbench-python={sys.executable}"


@pytest.fixture
def project(pytester, monkeypatch, capsys):
    monkeypatch.delenv("TRIMBENCH_INPUT", raising=False)  # the walk's input is its own words.txt
    pytester.path.joinpath("walk.py").write_text(WALK)
    pytester.path.joinpath("words.txt").write_text("apple\npear\nfig\n")
    assert main(["init", "walk.py", "--python", sys.executable]) == 0
    capsys.readouterr()
    return pytester


def variant(pytester, name: str, old: str, new: str) -> None:
    assert old in WALK, old
    pytester.path.joinpath("variants", name).write_text(WALK.replace(old, new))


def test_one_item_per_variant_and_the_original_all_passing(project):
    variant(project, "02_plus.py", "pos += random.gauss(0, 1)", "pos = pos + random.gauss(0, 1)")
    result = project.runpytest_subprocess("--trimbench", PYTHON, "-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*trimbench::walk.py PASSED*", "*trimbench::variants/01_walk.py PASSED*",
                                 "*trimbench::variants/02_plus.py PASSED*"])


@pytest.mark.parametrize(("old", "new", "flags", "said"), [
    pytest.param("random.seed(7)", "random.seed(8)", [], ["*diverged, smoke (20 steps)*",
                                                          "*first difference at line 1*", "*expected: iter   1*"],
                 id="diverged"),
    pytest.param("random.gauss(0, 1)", "random.gauss(0, 1.0000000000000002)", [],
                 ["*text-exact, smoke (20 steps)*", "*a formatted float*", "*passing means bit-exact*"],
                 id="text-exact-fails"),
    pytest.param("random.gauss(0, 1)", "random.gauss(0, 1.0000000000000002)", ["--trimbench-strict"],
                 ["*diverged, smoke (20 steps)*", "*a formatted float*"], id="strict"),
    pytest.param("pos = 0.0", "pos = 0.0\nraise SystemExit('gone')", [], ["*crashed*", "*end of stderr*", "*gone*"],
                 id="crashed"),
])
def test_a_failing_variant_says_its_verdict_and_first_difference(project, old, new, flags, said):
    variant(project, "02_broken.py", old, new)
    result = project.runpytest_subprocess("--trimbench", PYTHON, *flags)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*trimbench: variants/02_broken.py*", *said])


def test_the_full_tier_sees_what_the_smoke_tier_does_not(project):
    late = "    print(f\"iter {it+1:3d} | pos {pos:.4f} | {random.choice(words)}\")\n"
    variant(project, "02_late.py", late, late + "    if it == 25:\n        print('extra')\n")
    project.runpytest_subprocess("--trimbench", PYTHON).assert_outcomes(passed=3)
    full = project.runpytest_subprocess("--trimbench", PYTHON, "--trimbench-tier", "full")
    full.assert_outcomes(passed=2, failed=1)
    full.stdout.fnmatch_lines(["*diverged, full (30 steps)*", "*first difference at line 27*"])


def test_works_with_xdist(project):
    variant(project, "02_plus.py", "pos += random.gauss(0, 1)", "pos = pos + random.gauss(0, 1)")
    variant(project, "03_bad.py", "random.seed(7)", "random.seed(8)")
    result = project.runpytest_subprocess("--trimbench", PYTHON, "-n", "2")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*FAILED trimbench::variants/03_bad.py*"])


def test_marker_selects_only_the_variants(project):
    project.makepyfile(test_other="def test_other():\n    assert True\n")
    everything = project.runpytest_subprocess("--trimbench", PYTHON)
    everything.assert_outcomes(passed=3)
    only = project.runpytest_subprocess("--trimbench", PYTHON, "-m", "trimbench")
    only.assert_outcomes(passed=2, deselected=1)


def test_without_the_flag_nothing_is_added(project):
    project.makepyfile(test_other="def test_other():\n    assert True\n")
    project.runpytest_subprocess(PYTHON).assert_outcomes(passed=1)


def test_missing_goldens_fail_the_run_once_and_are_never_recorded(project):
    for path in sorted(project.path.joinpath("golden").iterdir()):
        path.unlink()
    result = project.runpytest_subprocess("--trimbench", PYTHON, "-n", "2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--trimbench: no goldens in*`trimbench golden record`*"])
    assert list(project.path.joinpath("golden").iterdir()) == []


def test_outside_a_project_the_run_fails(pytester, monkeypatch):
    result = pytester.runpytest_subprocess("--trimbench")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--trimbench: no pyproject.toml with a [[]tool.trimbench[]] table*"])


def test_stale_goldens_fail_each_item_with_the_command(project):
    walk = project.path / "walk.py"
    walk.write_text(walk.read_text() + "print('one more')\n")
    result = project.runpytest_subprocess("--trimbench", PYTHON)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*record them again from the original with `trimbench golden record`*"])
