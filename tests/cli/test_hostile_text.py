"""Text from programs and paths is data, never markup: brackets go through every command as they are."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from trimbench.cli import main

PY = ["--python", sys.executable, "--no-cache"]
# Folders whose path, as text, is rich markup: a closing tag with nothing open, a style, a link.
MARKUP_FOLDERS = [
    pytest.param(("[", "]"), "[/]", id="closing-tag"),
    pytest.param(("[bold]x[", "bold]"), "[bold]x[/bold]", id="style"),
    pytest.param(("[link=https:", "example.org]a[", "link]"), "[link=https:/example.org]a[/link]", id="link"),
]
CRASH_LINES = "[/] [bold]loud[/bold] [link=file:///etc/passwd]secret[/link]"


def variant_in(project, parts: tuple[str, ...]) -> Path:
    folder = project.root / "variants" / Path(*parts)
    folder.mkdir(parents=True)
    path = folder / "v.py"
    path.write_text(project.original_source)
    return path


@pytest.mark.parametrize("parts, shown", MARKUP_FOLDERS)
@pytest.mark.parametrize("command", ["check", "report", "diff", "codemod", "auto", "watch", "publish"])
def test_a_path_that_looks_like_markup(tiny_project, capsys, parts, shown, command):
    path = variant_in(tiny_project, parts)
    relative = str(path.relative_to(tiny_project.root))
    argv = {
        "check": ["check", relative, *PY],
        "report": ["report", "original/prog.py", relative],
        "diff": ["diff", "original/prog.py", relative],
        "codemod": ["codemod", "merge-assignments", relative, "-o", str(path.with_name("out.py")), *PY],
        "auto": ["auto", relative, "-o", str(path.with_name("out.py")), *PY],
        "watch": ["watch", relative, "--max-runs", "1", *PY],
        "publish": ["publish", relative, "--dry-run", "--python", sys.executable],
    }[command]
    code = main(argv)
    captured = capsys.readouterr()
    everything = captured.out + captured.err
    assert "Traceback" not in everything and "MarkupError" not in everything, everything
    assert shown in everything.replace("\n", ""), everything  # the brackets are shown, not eaten
    assert code in (0, 1), everything


def test_a_crash_whose_stderr_looks_like_markup(tiny_project, capsys):
    crash = tiny_project.edit("crash.py", "for i in range(3):",
                              f"raise SystemExit({CRASH_LINES!r})\nfor i in range(3):")
    assert main(["check", str(crash), *PY]) == 1
    out = capsys.readouterr().out
    assert CRASH_LINES in out and "Traceback" not in out.split("end of stderr")[0]


def test_an_original_that_prints_markup_is_recorded(tiny_project, capsys):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text() + f"print({CRASH_LINES!r})\n")
    assert main(["golden", "record", "--python", sys.executable]) == 0
    assert CRASH_LINES in (tiny_project.root / "golden" / "full.txt").read_text()
    assert "Traceback" not in capsys.readouterr().err
