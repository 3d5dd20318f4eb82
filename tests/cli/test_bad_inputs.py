"""Every command, every bad input: the documented exit code, one line on stderr, never a traceback.

Each case breaks the tiny project in one way, then runs one command as a user would.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from trimbench.cli import main

PY = ["--python", sys.executable]


def missing_original(project) -> None:
    (project.root / "original" / "prog.py").unlink()


def manifest(text: str):
    def breaks(project) -> None:
        (project.root / "golden" / "manifest.json").write_text(text)
    return breaks


def manifest_lines_as_text(project) -> None:
    path = project.root / "golden" / "manifest.json"
    data = json.loads(path.read_text())
    data["tiers"]["full"]["lines"] = str(data["tiers"]["full"]["lines"])
    path.write_text(json.dumps(data))


def symlink_loop(project) -> None:
    os.symlink("loop.py", project.root / "variants" / "loop.py")


def huge_variant(project) -> None:
    with open(project.root / "variants" / "huge.py", "w") as handle:
        handle.write("x = 1\n" * 9_000_000)  # 54 MB


def folder_dest(project) -> None:
    (project.root / "out.py").mkdir()


def nothing(project) -> None:
    pass


CASES = [
    # id, how the project is broken, argv, exit code, words of the one stderr line
    ("check-missing-original", missing_original, ["check", "variants/v.py", *PY], 2, "the original"),
    ("check-truncated-manifest", manifest('{"format": 2, "orig'), ["check", "variants/v.py", *PY], 2,
     "is not a trimbench manifest"),
    ("check-manifest-a-list", manifest("[]"), ["check", "variants/v.py", *PY], 2,
     "manifest.json is not a trimbench manifest"),
    ("check-manifest-wrong-types", manifest_lines_as_text, ["check", "variants/v.py", *PY], 2,
     "tiers.full.lines is not a count"),
    ("check-symlink-loop", symlink_loop, ["check", "variants/loop.py", *PY], 1, "invalid variants/loop.py"),
    ("check-huge-variant", huge_variant, ["check", "variants/huge.py", *PY], 1, "invalid variants/huge.py"),
    ("check-missing-path", nothing, ["check", "variants/gone.py", *PY], 1, "invalid variants/gone.py"),
    ("report-symlink-loop", symlink_loop, ["report", "original/prog.py", "variants/loop.py"], 2, "loop.py"),
    ("report-huge-file", huge_variant, ["report", "original/prog.py", "variants/huge.py"], 2,
     "larger than 1024 KB"),
    ("report-missing-original", missing_original, ["report"], 2, "original/prog.py: no such file"),
    ("diff-symlink-loop", symlink_loop, ["diff", "original/prog.py", "variants/loop.py"], 2, "no variant"),
    ("diff-huge-file", huge_variant, ["diff", "original/prog.py", "huge"], 2, "larger than 1024 KB"),
    ("diff-missing-original", missing_original, ["diff", "original/prog.py", "v"], 2, "no variant"),
    ("golden-record-missing-original", missing_original, ["golden", "record", *PY], 2, "does not exist"),
    ("golden-verify-bad-manifest", manifest("null"), ["golden", "verify", *PY], 2, "is not a trimbench manifest"),
    ("codemod-into-a-folder", folder_dest, ["codemod", "merge-assignments", "original/prog.py", "-o", "out.py",
                                            *PY], 2, "out.py is a folder"),
    ("codemod-under-a-file", nothing, ["codemod", "merge-assignments", "original/prog.py", "-o",
                                       "pyproject.toml/out.py", *PY], 2, "pyproject.toml is not a folder"),
    ("auto-into-a-folder", folder_dest, ["auto", "original/prog.py", "-o", "out.py", *PY], 2, "out.py is a folder"),
    ("auto-missing-src", nothing, ["auto", "gone.py", "-o", "out.py", *PY], 2, "gone.py: no such file"),
    ("watch-missing-file", nothing, ["watch", "gone.py", *PY], 2, "gone.py: no such file"),
    ("publish-missing-original", missing_original, ["publish", "--dry-run", *PY], 2, "no such file"),
    ("check-bad-sandbox-setting", nothing, ["check", "--sandbox", "docker", *PY], 2, "invalid choice"),
]


@pytest.mark.parametrize("breaks, argv, code, words", [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_one_line_and_the_documented_exit_code(tiny_project, capsys, breaks, argv, code, words):
    tiny_project.variant("v.py", tiny_project.original_source)
    breaks(tiny_project)
    assert main(argv) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and words in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 or "--sandbox" in argv and lines[-1].startswith("trimbench check: error:"), err


@pytest.mark.parametrize("entry", [
    pytest.param("[]", id="a-list"),
    pytest.param("null", id="null"),
    pytest.param(json.dumps({"path": 1, "verdict": "bit-exact"}), id="wrong-types"),
    pytest.param("{not json", id="not-json"),
    pytest.param(None, id="a-folder"),
])
def test_a_damaged_cache_entry_is_ignored_and_rewritten(tiny_project, capsys, entry):
    path = tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # cached")
    assert main(["check", str(path), *PY, "--json"]) == 0
    capsys.readouterr()
    [cached] = list((tiny_project.root / ".trimbench" / "verdicts").rglob("*.json"))
    cached.unlink()
    if entry is None:
        cached.mkdir()
    else:
        cached.write_text(entry)
    assert main(["check", str(path), *PY, "--json"]) == 0
    [verdict] = json.loads(capsys.readouterr().out)
    assert verdict["verdict"] == "bit-exact" and verdict["cached"] is False
    assert cached.is_file() and json.loads(cached.read_text())["verdict"] == "bit-exact"  # rewritten whole
    assert Path(cached).stat().st_size > 100
