"""`trimbench check` as a user runs it: exit codes, the table, --json, --strict, --lines, errors."""

from __future__ import annotations

import json
import sys

import pytest

from trimbench.cli import main

PY = ["--python", sys.executable]
JSON_KEYS = {"path", "verdict", "tier", "steps", "interpreter", "seconds", "first_divergence", "detail"}


def test_no_paths_checks_every_variant(tiny_project, capsys):
    tiny_project.edit("a.py", "total = 0.0", "total = 0.0  # a")
    tiny_project.edit("b.py", "total = 0.0", "total = 0.0  # b")
    assert main(["check", *PY, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [entry["path"] for entry in out] == ["variants/a.py", "variants/b.py"]
    assert all(JSON_KEYS <= entry.keys() and entry["verdict"] == "bit-exact" for entry in out)


def test_json_is_the_only_output(tiny_project, capsys):
    path = tiny_project.edit("v.py", "total += random.random()", "total += random.random() + 1")
    assert main(["check", str(path), *PY, "--json", "--tier", "full"]) == 1
    captured = capsys.readouterr()
    [entry] = json.loads(captured.out)
    assert captured.err == ""
    assert entry["verdict"] == "diverged" and entry["steps"] == 5 and entry["tier"] == "full"
    assert entry["first_divergence"]["line"] == 2 and set(entry["first_divergence"]) >= {"expected", "actual"}


def test_table_shows_verdicts_and_the_first_difference(tiny_project, capsys):
    good = tiny_project.edit("good.py", "total = 0.0", "total = 0.0  # fine")
    bad = tiny_project.edit("bad.py", "total += random.random()", "total += random.random() + 1")
    assert main(["check", str(good), str(bad), *PY, "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "bit-exact" in out and "diverged" in out and "first difference at line 2 (step 1)" in out
    assert "1 of 2 passed" in out


@pytest.mark.parametrize("flags, code, outcome", [
    pytest.param([], 1, "text-exact", id="text-exact-fails-by-default"),
    pytest.param(["--allow-text-exact"], 0, "text-exact", id="unless-allowed"),
    pytest.param(["--strict"], 1, "diverged", id="strict-stops-at-the-first-value"),
])
def test_exactness(tiny_project, capsys, flags, code, outcome):
    path = tiny_project.edit("v.py", "probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5000000000000001]")
    assert main(["check", str(path), *PY, *flags, "--json"]) == code
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["verdict"] == outcome and entry["first_divergence"]["what"] == "weight 3 of 3 passed to random.choices"


def test_text_exact_is_loud(tiny_project, capsys):
    path = tiny_project.edit("v.py", "probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5000000000000001]")
    assert main(["check", str(path), *PY]) == 1
    out = capsys.readouterr().out
    assert "text-exact: same text, different floats (1 variant): fails; --allow-text-exact to accept it" in out
    assert "0 of 1 passed (1 text-exact); passing means bit-exact" in out


def test_allow_text_exact_in_the_configuration(tiny_project, capsys):
    pyproject = tiny_project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "allow_text_exact = true\n")
    path = tiny_project.edit("v.py", "probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5000000000000001]")
    assert main(["check", str(path), *PY]) == 0
    assert main(["check", str(path), *PY, "--strict"]) == 1  # --strict overrides it: only bit-exact


def test_strict_and_allow_text_exact_exclude_each_other(tiny_project, capsys):
    assert main(["check", *PY, "--strict", "--allow-text-exact"]) == 2


def test_lines_filter(tiny_project, capsys):
    path = tiny_project.edit("v.py", 'print(f"num docs: {len(docs)}")', "")
    assert main(["check", str(path), *PY, "--lines", "^step", "--lines", "^sample", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["lines_filter"] == ["^step", "^sample"] and "compared only" in entry["detail"]


@pytest.mark.parametrize("argv, message", [
    pytest.param(["--tier", "full", "--steps", "3"], "only the smoke tier", id="steps-with-full"),
    pytest.param(["--jobs", "0"], "--jobs must be at least 1", id="zero-jobs"),
    pytest.param(["--timeout", "-1"], "--timeout must be a positive", id="negative-timeout"),
    pytest.param(["--python", "/no/such/python"], "no such interpreter", id="missing-interpreter"),
    pytest.param(["--input", "/no/such/input.txt"], "does not exist", id="missing-input"),
])
def test_usage_errors_exit_2(tiny_project, capsys, argv, message):
    assert main(["check", "original/prog.py", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("trimbench: error: ") and message in err and err.count("\n") == 1


def test_argparse_errors_exit_2(capsys):
    assert main(["check", "--tier", "medium"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_no_variants_exit_2(tiny_project, capsys):
    assert main(["check", *PY]) == 2
    assert "has no *.py files" in capsys.readouterr().err


def test_outside_a_project_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "x.py"]) == 2
    assert "no pyproject.toml" in capsys.readouterr().err


@pytest.mark.parametrize("flag_position", ["before", "after"])
def test_configuration_found_from_the_file_outside_the_project(tiny_project, tmp_path, monkeypatch, capsys,
                                                                flag_position):
    path = tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # v")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    argv = ["check", str(path), *PY, "--json"]
    argv = ["-v", *argv] if flag_position == "before" else [*argv, "-v"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["verdict"] == "bit-exact"
    assert f"configuration from {tiny_project.root / 'pyproject.toml'}" in captured.err


def test_the_working_directory_wins_over_the_file(tiny_project, tmp_path, monkeypatch, capsys):
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[tool.trimbench]\noriginal = "missing.py"\n')
    monkeypatch.chdir(other)
    assert main(["check", str(tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # v")), *PY]) == 2
    assert "missing.py" in capsys.readouterr().err


def test_help_explains_verdicts_and_exit_codes(capsys):
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert all(word in out for word in ("bit-exact", "text-exact", "diverged", "crashed", "timeout", "invalid"))
    assert "Exit codes: 0" in out
