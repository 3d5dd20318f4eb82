"""`trimbench report` end to end: main([...]), stdout, stderr and exit codes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from trimbench.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHORTER = "import os\nprint(os.sep)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The real original and two small variants, in a project of their own."""
    (tmp_path / "pyproject.toml").write_text("[tool.trimbench]\noriginal = \"original/microgpt.py\"\n")
    (tmp_path / "original").mkdir()
    shutil.copy(ROOT / "original" / "microgpt.py", tmp_path / "original" / "microgpt.py")
    (tmp_path / "variants").mkdir()
    (tmp_path / "variants" / "01_short.py").write_text(SHORTER)
    (tmp_path / "variants" / "02_shorter.py").write_text("import os; print(os.sep)\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_table(project, capsys):
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    original = next(line for line in lines if line.startswith("original/microgpt.py"))
    assert original.split()[1] == "200"  # physical lines
    assert any(line.startswith("variants/01_short.py") for line in lines)
    assert "No winner: no variant has been checked yet" in out


def test_json(project, capsys):
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [item["path"] for item in data] == ["original/microgpt.py", "variants/01_short.py", "variants/02_shorter.py"]
    assert data[0]["lines"] == 200
    assert [item["honest_lines"] for item in data[1:]] == [2, 2]  # black splits 02's `;`
    assert [item["lines"] for item in data[1:]] == [2, 1]
    assert data[2]["flags"] == ["1 `;` between statements (line 1)"]
    assert not any(item["winner"] for item in data)


def test_markdown_with_sections(project, capsys):
    code, out, _ = run(capsys, "--format", "markdown", "--sections")
    assert code == 0
    assert out.startswith("**No winner")
    assert "| original/microgpt.py | 200 |" in out
    assert "| original/microgpt.py | 13 | 9 | 6 | 45 | 18 | 54 | 5 | 35 | 15 | - |" in out


def test_paths_in_the_order_given(project, capsys):
    code, out, _ = run(capsys, "--format", "json", "variants/02_shorter.py", "variants/01_short.py")
    data = json.loads(out)
    assert [item["path"] for item in data] == ["variants/02_shorter.py", "variants/01_short.py"]
    assert data[1]["saved_vs_previous"] == {"lines": -1, "honest_lines": 0, "honest_percent": 0.0}


def test_plot(project, capsys):
    code, out, err = run(capsys, "--plot", "out/chart.png", "--format", "json")
    assert code == 0 and json.loads(out)
    assert (project / "out" / "chart.png").read_bytes().startswith(b"\x89PNG")
    assert "out/chart.png" in err


@pytest.mark.parametrize(("argv", "write", "message"), [
    pytest.param(["variants/09_nope.py"], None, "trimbench: error: variants/09_nope.py: no such file\n", id="missing"),
    pytest.param([], ("variants/03_bad.py", "x = 1\nif x:\npass\n"),
                 "trimbench: error: variants/03_bad.py: line 3: expected an indented block after 'if' statement "
                 "on line 2\n", id="syntax error in a variant found by default"),
    pytest.param([], ("variants/03_bad.py", "x = = 1\n"),
                 "trimbench: error: variants/03_bad.py: line 1: invalid syntax\n", id="invalid syntax"),
])
def test_errors_exit_2_with_one_line(project, capsys, argv, write, message):
    if write:
        (project / write[0]).write_text(write[1])
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", message)


def test_plot_into_an_unwritable_place(project, capsys):
    (project / "taken").write_text("a file, not a folder")
    code, _, err = run(capsys, "--plot", "taken/chart.png", "--format", "json")
    assert code == 2 and err.startswith("trimbench: error: taken/chart.png: cannot write the chart: ")


def test_brackets_in_a_path_are_not_markup(project, capsys):
    (project / "variants" / "[bold]x.py").write_text(SHORTER)
    code, out, _ = run(capsys)
    assert code == 0 and "variants/[bold]x.py" in out


def test_outside_a_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys)
    assert code == 2 and err.startswith("trimbench: error: no pyproject.toml with a [tool.trimbench] table")


def test_unknown_format_is_a_usage_error(project, capsys):
    code, _, err = run(capsys, "--format", "csv")
    assert code == 2 and "invalid choice: 'csv'" in err


def test_check_judges_unchecked_files_then_the_cache_remembers(tiny_project, capsys):
    tiny_project.edit("01_same.py", "total = 0.0\n", "total = 0.0  # a comment changes no output\n")
    tiny_project.edit("02_other.py", "random.seed(1)", "random.seed(2)")
    code, out, _ = run(capsys, "--format", "json")
    assert code == 0 and [item["verdict"] for item in json.loads(out)] == ["unchecked"] * 3

    code, out, _ = run(capsys, "--check", "--python", sys.executable, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [(item["verdict"], item["verdict_tier"]) for item in data] == [
        ("bit-exact", "smoke"), ("bit-exact", "smoke"), ("diverged", "smoke")]
    assert [item["winner"] for item in data] == [False, True, False]

    code, out, _ = run(capsys, "--format", "json")  # no --check: the verdicts come from the cache
    assert [item["verdict"] for item in json.loads(out)] == ["bit-exact", "bit-exact", "diverged"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_diff_without_a_winner_says_there_is_none(project, capsys, fmt):
    code, out, _ = run(capsys, "--diff", "--format", fmt)
    assert code == 0 and "+import os" not in out
    if fmt == "json":
        assert not any("diff_vs_original" in item for item in json.loads(out))
    else:
        assert "No diff: the report has no winner to compare with the original." in out


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_diff_shows_the_winners_change_against_the_original(tiny_project, capsys, fmt):
    tiny_project.edit("01_same.py", "total = 0.0\n", "total = 0.0  # a comment changes no output\n")
    assert run(capsys, "--check", "--python", sys.executable, "--format", "json")[0] == 0
    code, out, _ = run(capsys, "--diff", "--format", fmt)
    assert code == 0
    change = ["-total = 0.0", "+total = 0.0  # a comment changes no output"]
    if fmt == "json":
        (diff,) = [item["diff_vs_original"] for item in json.loads(out) if "diff_vs_original" in item]
        assert diff["a"]["path"] == "original/prog.py" and diff["b"]["path"] == "variants/01_same.py"
        assert diff["diff"][-len(change) - 3:-3] == change  # then 3 lines of context
        return
    lines = out.splitlines()
    assert ": 12 -> 12 lines (saved 0), honest 12 -> 12 (saved 0)" in out
    assert lines[lines.index(change[0]) + 1] == change[1]
    if fmt == "markdown":
        assert "<details><summary>What changed: the winner's diff against the original</summary>" in out
        assert out.endswith("```\n\n</details>\n")
    else:
        assert "original/prog.py -> variants/01_same.py: 12 -> 12 lines" in out
        # the diff ends the output, with its last line of context
        assert lines[-1] == '     print(f"step {step+1:4d} / {num_steps:4d} | loss {total:.4f}")'
