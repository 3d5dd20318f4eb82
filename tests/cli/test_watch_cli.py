"""`trimbench watch` as a user runs it."""

from __future__ import annotations

import sys
import threading
import time

from trimbench.cli import main

from ..conftest import TINY_PROGRAM

PY = ["--python", sys.executable, "--no-cache"]


# --- watch -------------------------------------------------------------------------------------------------

def test_watch_reports_again_after_a_save(tiny_project, capsys):
    path = tiny_project.variant("v.py", TINY_PROGRAM)
    codes = []
    thread = threading.Thread(target=lambda: codes.append(
        main(["watch", str(path), "--max-runs", "2", "--interval", "0.05", *PY])), daemon=True)  # never hangs pytest
    thread.start()
    out = ""
    deadline = time.monotonic() + 30
    while "bit-exact" not in out and time.monotonic() < deadline:
        time.sleep(0.05)
        out += capsys.readouterr().out
    assert "bit-exact" in out
    path.write_text(TINY_PROGRAM.replace("random.seed(1)", "random.seed(2)"))
    thread.join(10)
    assert not thread.is_alive() and codes == [0]
    out += capsys.readouterr().out
    first, second = out.index("bit-exact"), out.index("diverged")
    assert first < second and "first difference at line 2 (step 1)" in out[second:]


def test_watch_missing_file_exits_2(tiny_project, capsys):
    assert main(["watch", "gone.py", *PY]) == 2
    assert "gone.py: no such file" in capsys.readouterr().err
