"""`trimbench codemod` as a user runs it: exit codes, what is written, what is printed."""

from __future__ import annotations

import sys

import pytest

from trimbench.cli import main

from ..conftest import TINY_PROGRAM

PY = ["--python", sys.executable, "--no-cache"]


# --- codemod -----------------------------------------------------------------------------------------------

def test_codemod_bit_exact_writes_dest(tiny_project, capsys):
    src = tiny_project.variant("src.py", TINY_PROGRAM)
    dest = tiny_project.root / "out" / "dest.py"
    assert main(["codemod", "merge-assignments", str(src), "-o", str(dest), *PY]) == 0
    out = capsys.readouterr().out
    assert "12 -> 11 lines (1 saved, honest lines" in out and "bit-exact" in out and f"wrote {dest}" in out
    assert "num_steps, total = 5, 0.0" in dest.read_text()


@pytest.mark.parametrize("old, new, verdict", [
    pytest.param("random.seed(1)", "random.seed(2)", "diverged", id="diverged"),
    pytest.param("probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5000000000000001]", "diverged",
                 id="text-exact-is-not-enough"),
])
def test_codemod_not_bit_exact_exits_1_and_writes_nothing(tiny_project, capsys, old, new, verdict):
    src = tiny_project.edit("src.py", old, new)
    dest = tiny_project.root / "dest.py"
    assert main(["codemod", "merge-assignments", str(src), "-o", str(dest), *PY]) == 1
    out = capsys.readouterr().out
    assert f"not bit-exact ({verdict}): {dest} not written" in out
    assert not dest.exists()


def test_codemod_in_place_keeps_src_when_not_bit_exact(tiny_project, capsys):
    src = tiny_project.edit("src.py", "random.seed(1)", "random.seed(2)")
    before = src.read_text()
    assert main(["codemod", "merge-assignments", str(src), "-o", str(src), *PY]) == 1
    assert src.read_text() == before


def test_codemod_that_does_not_apply_says_why(tiny_project, capsys):
    src = tiny_project.variant("src.py", TINY_PROGRAM)
    dest = tiny_project.root / "dest.py"
    assert main(["codemod", "condense-init", str(src), "-o", str(dest), *PY]) == 1
    out = capsys.readouterr().out
    assert "condense-init does not apply" in out and "no run of 3+" in out and "not written" in out
    assert not dest.exists()


def test_codemod_options_reach_the_codemod(tiny_project, capsys):
    src = tiny_project.variant("src.py", TINY_PROGRAM)
    dest = tiny_project.root / "dest.py"
    assert main(["codemod", "extract-function", str(src), "-o", str(dest), "--option", "name=draw", *PY]) == 0
    assert "def draw(i):" in dest.read_text()
    assert "12 -> 16 lines (4 more, honest lines" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    pytest.param(["shrink", "{src}"],
                 "unknown codemod 'shrink'; known codemods: operator-dunders, twin-lambdas, condense-init",
                 id="unknown-codemod"),
    pytest.param(["merge-assignments", "{root}/gone.py"], "gone.py: no such file", id="src-missing"),
    pytest.param(["merge-assignments", "{broken}"], "broken.py: line 1", id="src-unparseable"),
    pytest.param(["extract-function", "{src}", "--option", "line=abc"], "takes the options name, line",
                 id="bad-option"),
])
def test_codemod_usage_errors_exit_2(tiny_project, capsys, argv, message):
    src = tiny_project.variant("src.py", TINY_PROGRAM)
    broken = tiny_project.variant("broken.py", "def f(:\n")
    dest = tiny_project.root / "dest.py"
    argv = [a.format(src=src, root=tiny_project.root, broken=broken) for a in argv]
    assert main(["codemod", *argv, "-o", str(dest), *PY]) == 2
    assert message in capsys.readouterr().err
    assert not dest.exists()


@pytest.mark.parametrize("command", ["codemod", "auto", "watch"])
def test_help_explains_exit_codes(capsys, command):
    assert main([command, "--help"]) == 0
    assert "Exit codes: 0" in capsys.readouterr().out


