"""`trimbench watch` as a user runs it."""

from __future__ import annotations

import re
import sys
import threading
import time

from trimbench.cli import main

from ..conftest import TINY_PROGRAM

PY = ["--python", sys.executable, "--no-cache"]


def shown(out: str, number: int) -> bool:
    """Whether run `number` has printed its verdict."""
    after = out.split(f"run {number} ")[-1] if f"run {number} " in out else ""
    return any(outcome in after for outcome in ("bit-exact", "text-exact", "diverged", "invalid", "crashed"))


def watching(capsys, path, saves: list[str]) -> str:
    """Run `watch` in a thread for one run more than `saves`, writing each save once the run before it shows."""
    codes = []
    thread = threading.Thread(target=lambda: codes.append(
        main(["watch", str(path), "--max-runs", str(len(saves) + 1), "--interval", "0.05", *PY])),
        daemon=True)  # never hangs pytest
    thread.start()
    out = ""
    for number, save in enumerate([*saves, None], start=1):
        deadline = time.monotonic() + 30
        while not shown(out, number) and time.monotonic() < deadline:
            time.sleep(0.05)
            out += capsys.readouterr().out
        if save is not None:
            path.write_text(save)
    thread.join(10)
    assert not thread.is_alive() and codes == [0]
    return out + capsys.readouterr().out


def test_watch_reports_again_after_a_save(tiny_project, capsys):
    path = tiny_project.variant("v.py", TINY_PROGRAM)
    out = watching(capsys, path, [TINY_PROGRAM.replace("random.seed(1)", "random.seed(2)")])
    first, second = out.index("bit-exact"), out.index("diverged")
    assert first < second and "first difference at line 2 (step 1)" in out[second:]
    assert "run 1 · first version" in out and "run 2 · +1 -1 lines (line 2)" in out
    assert re.search(r"\d\d:\d\d:\d\d · run 2", out)  # each run stamped with its time


def test_watch_shows_a_syntax_errors_line_and_message(tiny_project, capsys):
    path = tiny_project.variant("v.py", TINY_PROGRAM)
    out = watching(capsys, path, [TINY_PROGRAM.replace("for i in range(3):", "for i in range(3)")])
    assert "invalid" in out and "syntax error at line 10: expected ':'" in out


def test_watch_missing_file_exits_2(tiny_project, capsys):
    assert main(["watch", "gone.py", *PY]) == 2
    assert "gone.py: no such file" in capsys.readouterr().err
