"""`trimbench diff` end to end: main([...]), stdout, stderr and exit codes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from rich.console import Console

from tests.projects import make_project
from trimbench.cli import diff as diff_command
from trimbench.cli import main
from trimbench.report import diff_files

ORIGINAL = "import os\n\n# Let there be an input dataset\ndocs = [1, 2, 3]\nx = 1\ny = 2\nprint(x + y)\n"
SHORTER = ORIGINAL.replace("x = 1\ny = 2\n", "x, y = 1, 2\n")
# What the diff of ORIGINAL to SHORTER must hold, derived from the two sources by hand.
CHANGE = ["@@ -2,6 +2,5 @@", " ", " # Let there be an input dataset", " docs = [1, 2, 3]", "-x = 1", "-y = 2",
          "+x, y = 1, 2", " print(x + y)"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    made = make_project(tmp_path / "project", ORIGINAL)
    made.variant("01_pair.py", SHORTER)
    monkeypatch.chdir(made.root)
    return made


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("a, b", [
    pytest.param("original/prog.py", "variants/01_pair.py", id="paths"),
    pytest.param("original/prog.py", "01_pair", id="a name in the variants folder"),
    pytest.param("original/prog.py", "01_pair.py", id="a name with .py"),
])
def test_a_pipe_gets_the_summary_the_sections_and_the_unified_diff(project, capsys, a, b):
    code, out, err = run(capsys, a, b)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "original/prog.py -> variants/01_pair.py: 7 -> 6 lines (saved 1), honest 5 -> 4 (saved 1)"
    assert lines[4].split() == ["dataset", "5", "4", "1"]
    assert lines[-len(CHANGE) - 2:] == ["--- original/prog.py", "+++ variants/01_pair.py", *CHANGE]
    assert "\x1b[" not in out


def test_files_that_differ_still_exit_0_and_the_same_file_says_no_line_differs(project, capsys):
    code, out, _ = run(capsys, "original/prog.py", "original/prog.py")
    assert code == 0 and out.endswith("\nNo line differs.\n")
    assert "saved 0" in out.splitlines()[0]


@pytest.mark.parametrize(("context", "hunk"), [
    pytest.param([], "@@ -2,6 +2,5 @@", id="3 lines by default"),
    pytest.param(["--context", "1"], "@@ -4,4 +4,3 @@", id="fewer"),
    pytest.param(["--context", "10"], "@@ -1,7 +1,6 @@", id="more than the file has"),
])
def test_context(project, capsys, context, hunk):
    code, out, _ = run(capsys, "original/prog.py", "01_pair", *context)
    assert code == 0 and hunk in out.splitlines()


def test_markdown(project, capsys):
    code, out, _ = run(capsys, "original/prog.py", "01_pair", "--format", "markdown")
    assert code == 0
    assert out.startswith("**`original/prog.py` -> `variants/01_pair.py`: 7 -> 6 lines (saved 1)")
    assert "| dataset | 5 | 4 | 1 |" in out
    assert "\n".join(["```diff", "--- original/prog.py", "+++ variants/01_pair.py", *CHANGE, "```"]) in out


def test_json(project, capsys):
    code, out, _ = run(capsys, "original/prog.py", "01_pair", "--format", "json", "--context", "0")
    data = json.loads(out)
    assert code == 0
    assert (data["a"]["path"], data["b"]["path"], data["saved"], data["context"]) == (
        "original/prog.py", "variants/01_pair.py", {"lines": 1, "honest_lines": 1}, 0)
    assert data["diff"][2:] == ["@@ -5,2 +5 @@", "-x = 1", "-y = 2", "+x, y = 1, 2"]


@pytest.mark.parametrize(("argv", "write", "message"), [
    pytest.param(["original/prog.py", "variants/09_nope.py"], None,
                 "trimbench: error: no variant 'variants/09_nope.py': neither a file nor one in variants/\n",
                 id="missing"),
    pytest.param(["09_nope", "01_pair"], None,
                 "trimbench: error: no variant '09_nope': neither a file nor one in variants/\n", id="missing name"),
    pytest.param(["original/prog.py", "03_bad"], ("variants/03_bad.py", "x = = 1\n"),
                 "trimbench: error: variants/03_bad.py: line 1: invalid syntax\n", id="syntax error"),
    pytest.param(["original/prog.py", "03_big"], ("variants/03_big.py", "x = 1\n" * 200_000),
                 "trimbench: error: variants/03_big.py: larger than 1024 KB (max_source_kb in [tool.trimbench]); "
                 "not a program to report on\n", id="too large"),
])
def test_errors_exit_2_with_one_line(project, capsys, argv, write, message):
    if write:
        (project.root / write[0]).write_text(write[1])
    assert run(capsys, *argv) == (2, "", message)


@pytest.mark.parametrize("context", ["-1", "three"])
def test_context_is_a_number_of_lines(project, capsys, context):
    code, _, err = run(capsys, "original/prog.py", "01_pair", "--context", context)
    assert code == 2 and f"{context!r} is not a number of lines" in err


def test_outside_a_project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n")
    code, _, err = run(capsys, "a.py", "a.py")
    assert code == 2 and err.startswith("trimbench: error: no pyproject.toml with a [tool.trimbench] table")


def test_from_elsewhere_the_configuration_is_found_near_a(project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    a, b = project.root / "original" / "prog.py", project.root / "variants" / "01_pair.py"
    code, out, _ = run(capsys, str(a), str(b))
    assert code == 0 and out.startswith("original/prog.py -> variants/01_pair.py: ")


def test_markup_in_a_line_is_shown_as_it_is(project, capsys):
    markup = "# [bold]x[/bold] [/] [link=https://example.org]a[/link]"
    project.variant("02_markup.py", SHORTER + markup + "\n")
    code, out, err = run(capsys, "01_pair", "02_markup")
    assert code == 0 and out.endswith(f"\n+{markup}\n") and err == ""


@pytest.mark.parametrize(("width", "table"), [
    pytest.param(100, True, id="wide enough: the table"),
    pytest.param(30, False, id="too narrow: one line per section"),
])
def test_a_terminal_gets_colour_and_a_table_that_fits(project, monkeypatch, width, table):
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = io.StringIO()
    changes = diff_files(project.config, project.original, project.root / "variants" / "01_pair.py")
    diff_command.show(Console(file=out, force_terminal=True, width=width, color_system="standard"), changes)
    text = out.getvalue()
    assert "\x1b[31m-x = 1\x1b[0m" in text and "\x1b[32m+x, y = 1, 2\x1b[0m" in text
    assert ("dataset: 5 -> 4 lines (saved 1)" in text) is not table
    assert any(line.split()[:2] == ["section", "before"] for line in text.splitlines()) is table


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
@pytest.mark.parametrize("after", [
    pytest.param(SHORTER, id="a change"),
    pytest.param(SHORTER.rstrip("\n"), id="the final newline dropped"),
])
def test_what_a_pipe_gets_is_a_patch_from_a_to_b(project, capsys, tmp_path, after):
    project.variant("02_b.py", after)
    code, out, _ = run(capsys, "original/prog.py", "02_b")
    assert code == 0
    subprocess.run(["patch", "-s", "-o", str(tmp_path / "patched.py"), str(project.original)], input=out.encode(),
                   check=True)
    assert (tmp_path / "patched.py").read_text() == after
