"""Ctrl-C, as a user sends it to a real `trimbench check`: exit 130 at once, and nothing it started survives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import TINY_PROGRAM
from tests.test_sandbox import BWRAP, new_mark, survivors

SLOW = """
import subprocess, time
subprocess.Popen(['sleep', {mark!r}])
time.sleep(60)
"""


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("box", [
    pytest.param("bwrap", marks=pytest.mark.skipif(BWRAP is not None, reason=str(BWRAP)), id="sandboxed"),
    pytest.param("none", id="not-sandboxed"),
])
@pytest.mark.parametrize("interrupts", [pytest.param(1, id="once"), pytest.param(2, id="twice")])
def test_an_interrupt_stops_every_run_and_exits_130(tiny_project, box, interrupts):
    mark = new_mark()
    slow = tiny_project.variant("slow.py", TINY_PROGRAM.replace("for i in range(3):", SLOW.format(mark=mark)
                                                                + "for i in range(3):"))
    quick = tiny_project.variant("quick.py", TINY_PROGRAM)
    # One job: quick is judged before slow starts, so the interrupt surely comes after quick's verdict.
    proc = subprocess.Popen([sys.executable, "-m", "trimbench", "check", str(quick), str(slow), "--python",
                             sys.executable, "--sandbox", box, "--jobs", "1", "--no-cache"],
                            cwd=tiny_project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: survivors(mark), 20), "the slow variant never started"
        for _ in range(interrupts):
            proc.send_signal(signal.SIGINT)
            time.sleep(0.02)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert wait_for(lambda: survivors(mark) == [], 5), f"left running: {survivors(mark)}"
    if interrupts == 1:
        assert "variants/quick.py" in out  # what was judged before the interrupt is still shown
    assert os.getpgid(0) != 0  # the test process itself was left alone
