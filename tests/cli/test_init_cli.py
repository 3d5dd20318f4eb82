"""`trimbench init SCRIPT` end to end: a ready project, or one line and nothing written."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from trimbench.cli import main

PY = ["--python", sys.executable]
SEEDED = "import random\nrandom.seed(3)\nrounds = 6\nx = 0.0\nfor r in range(rounds):\n" \
         "    x += random.random()\n    print(f'round {r + 1}: {x:.3f}')\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIMBENCH_INPUT", raising=False)
    return tmp_path


def test_init_makes_a_project_that_check_passes(folder, capsys):
    (folder / "walk.py").write_text(SEEDED)
    assert main(["init", "walk.py", *PY]) == 0
    out = capsys.readouterr().out
    assert "steps: `rounds = 6`; the smoke tier runs 20 of them" in out
    assert "pyproject.toml: created with [tool.trimbench]" in out and "variants/01_walk.py" in out
    assert "trimbench check" in out and "pytest --trimbench" in out
    assert tomllib.loads((folder / "pyproject.toml").read_text())["tool"]["trimbench"] == {
        "original": "walk.py", "steps_variable": "rounds"}
    plain = subprocess.run([sys.executable, "walk.py"], capture_output=True, text=True, check=True, timeout=60)
    assert (folder / "golden" / "full.txt").read_text() == plain.stdout  # the goldens are the script's own output
    assert main(["check", *PY, "--json"]) == 0


def test_a_script_without_steps_is_judged_on_its_first_lines(folder, capsys):
    (folder / "once.py").write_text("import random\nrandom.seed(3)\nprint(f'{random.random():.3f}')\n")
    assert main(["init", "once.py", *PY]) == 0
    out = capsys.readouterr().out
    assert "steps: no module-level step count" in out and "first 25 lines" in out
    assert not (folder / "golden" / "smoke.txt").exists()


def test_an_unseeded_script_is_refused_and_nothing_is_written(folder, capsys):
    (folder / "walk.py").write_text(SEEDED.replace("random.seed(3)", "random.seed()"))
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert main(["init", "walk.py", *PY]) == 2
    assert "is not deterministic" in capsys.readouterr().err
    assert (folder / "pyproject.toml").read_text() == "[project]\nname = 'x'\n"
    assert not (folder / "variants" / "01_walk.py").exists() and not (folder / "golden").exists()


@pytest.mark.parametrize(("argv", "message"), [
    pytest.param(["init", "nope.py"], "no such file", id="missing"),
    pytest.param(["init", "walk.py", "--steps-variable", "epochs"], "no single module-level `epochs = <int>`",
                 id="unknown-steps-variable"),
])
def test_refusals_are_one_line_and_exit_2(folder, capsys, argv, message):
    (folder / "walk.py").write_text(SEEDED)
    assert main([*argv, *PY]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (folder / "pyproject.toml").exists()
