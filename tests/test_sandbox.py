"""Hostile variants, each judged as any variant is: what it reaches, what it leaves behind, what it gets for it.

Each one prints what the tiny program prints, then attacks; what it managed goes to its stderr, which the
verdict keeps. Sandboxed cases skip, with the reason, where bubblewrap does not work; the cleanup cases run
without the sandbox too, where trimbench has to find what a run left behind on its own.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import TINY_PROGRAM
from trimbench import sandbox
from trimbench.check import CheckOptions, run_checks
from trimbench.verdict import Outcome

BWRAP = sandbox.bwrap_problem()
needs_bwrap = pytest.mark.skipif(BWRAP is not None, reason=f"no sandbox here: {BWRAP}")
SECRET = f"ghp_{uuid.uuid4().hex}"

FORGER = """
import glob, os, sys
goldens = [path for pattern in ({project!r} + '/golden/*.records', '/proc/*/cwd/golden/*.records',
                                '/proc/*/cwd/*/golden/*.records', '/proc/*/root' + {project!r} + '/golden/*.records')
           for path in glob.glob(pattern)]
pipes = [int(fd) for fd in os.listdir('/proc/self/fd') if int(fd) > 2 and os.path.exists('/proc/self/fd/' + fd)
         and os.readlink('/proc/self/fd/' + fd).startswith('pipe:')]
for path in goldens:
    for fd in pipes:
        for line in open(path):
            os.write(fd, ('999999 ' + line.split(' ', 1)[1]).encode())
print('forged from', len(goldens), 'golden files', file=sys.stderr)
sys.stdout.flush()
os._exit(0)
"""
WRITER = """
import glob, sys
for target in [{project!r} + '/pwned.txt', {project!r} + '/golden/manifest.json',
               *(cwd + '/../pwned.txt' for cwd in glob.glob('/proc/*/cwd'))]:
    try:
        with open(target, 'a') as handle:
            handle.write('pwned')
        print('wrote', target, file=sys.stderr)
    except OSError:
        pass
"""
ENVIRON = """
import glob, sys
found = set()
for path in glob.glob('/proc/*/environ'):
    try:
        items = open(path, 'rb').read().split(b'\\0')
    except OSError:
        continue
    keys = (b'GITHUB_TOKEN', b'GH_TOKEN', b'AWS_SECRET_ACCESS_KEY')
    found |= {{item.decode() for item in items if item.split(b'=')[0] in keys}}
print('secrets:', sorted(found), file=sys.stderr)
"""
DAEMON = """
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.close(1)
        os.execvp('sleep', ['sleep', {mark!r}])
    os._exit(0)
"""
HOLDER = """
import subprocess
subprocess.Popen(['sleep', {mark!r}])
"""
FLOOD = """
import sys
while True:
    sys.stdout.write('x' * 4096)
"""


def new_mark() -> str:
    """A `sleep` argument no other process on the machine has: 60 seconds and a unique fraction."""
    return f"60.{uuid.uuid4().int % 10**12:012d}"


def survivors(mark: str) -> list[int]:
    """Processes, anywhere on this machine, still sleeping with `mark` as their argument."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "cmdline").read_bytes().split(b"\0"):
                if (entry / "stat").read_text().split()[2] != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".trimbench" not in p.parts}


def hostile(project, attack: str, mark: str = "") -> Path:
    return project.variant("hostile.py", TINY_PROGRAM + attack.format(project=str(project.root), mark=mark))


def run(project, path: Path, box: str, **options):
    [verdict] = run_checks(project.config, [path], CheckOptions(python=sys.executable, use_cache=False,
                                                                sandbox=box, timeout=20, **options))
    return verdict


def judge(project, attack: str, box: str, mark: str = "", **options):
    return run(project, hostile(project, attack, mark), box, **options)


@needs_bwrap
def test_a_sandboxed_forger_finds_no_golden_to_forge_from(tiny_project):
    """A text-exact variant that looks for the goldens' values to feed the comparison: there are none to find."""
    text_exact = TINY_PROGRAM.replace("probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5000000000000001]")
    path = tiny_project.variant("forger.py", text_exact + FORGER.format(project=str(tiny_project.root)))
    verdict = run(tiny_project, path, "bwrap", tier="full")
    assert "forged from 0 golden files" in verdict.stderr_tail and verdict.outcome is Outcome.TEXT_EXACT
    assert verdict.basis.sandbox == "bwrap" and "not sandboxed" not in verdict.detail


@needs_bwrap
def test_a_sandboxed_variant_writes_nothing_outside_its_folder(tiny_project):
    path = hostile(tiny_project, WRITER)
    before = tree(tiny_project.root)
    verdict = run(tiny_project, path, "bwrap")
    # What it wrote outside its folder went to the sandbox's private /tmp, gone with it; the project is untouched.
    assert f"wrote {tiny_project.root}" not in verdict.stderr_tail and tree(tiny_project.root) == before
    assert verdict.outcome is Outcome.BIT_EXACT  # the goldens were not touched: the next check agrees
    assert judge(tiny_project, "", "bwrap").outcome is Outcome.BIT_EXACT


@needs_bwrap
def test_a_sandboxed_variant_reads_no_secret(tiny_project, monkeypatch):
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, SECRET)
    verdict = judge(tiny_project, ENVIRON, "bwrap")
    assert "secrets: []" in verdict.stderr_tail and SECRET not in verdict.stderr_tail + verdict.detail


@pytest.mark.parametrize("box", [pytest.param("bwrap", marks=needs_bwrap, id="sandboxed"),
                                 pytest.param("none", id="not-sandboxed")])
def test_a_daemon_does_not_outlive_its_run(tiny_project, box):
    mark = new_mark()
    verdict = judge(tiny_project, DAEMON, box, mark=mark)
    assert verdict.outcome is Outcome.BIT_EXACT and verdict.seconds < 10
    assert survivors(mark) == []


def test_the_survivor_check_sees_a_daemon(tmp_path):
    """The check above could only fail if it saw the daemon: here one runs outside trimbench, and is seen."""
    mark = new_mark()
    (tmp_path / "d.py").write_text(DAEMON.format(mark=mark))
    subprocess.run([sys.executable, str(tmp_path / "d.py")], check=True, timeout=10)
    found = []
    for _ in range(50):
        found = survivors(mark)
        if found:
            break
        time.sleep(0.05)
    for pid in found:
        os.kill(pid, signal.SIGKILL)
    assert found


@pytest.mark.parametrize("box", [pytest.param("bwrap", marks=needs_bwrap, id="sandboxed"),
                                 pytest.param("none", id="not-sandboxed")])
def test_a_child_holding_stdout_neither_delays_the_verdict_nor_survives(tiny_project, box):
    mark = new_mark()
    started = time.monotonic()
    verdict = judge(tiny_project, HOLDER, box, mark=mark)
    assert verdict.outcome is Outcome.BIT_EXACT and time.monotonic() - started < 10
    assert survivors(mark) == []


@pytest.mark.parametrize("box", [pytest.param("bwrap", marks=needs_bwrap, id="sandboxed"),
                                 pytest.param("none", id="not-sandboxed")])
def test_output_without_newlines_is_a_divergence_at_once(tiny_project, box):
    verdict = judge(tiny_project, FLOOD, box, tier="full")
    assert verdict.outcome is Outcome.DIVERGED and verdict.seconds < 10
    assert len(verdict.first_divergence.actual) < 400  # shown short


def test_unsandboxed_verdicts_say_so(tiny_project):
    verdict = judge(tiny_project, "", "none")
    assert verdict.basis.sandbox == "none" and "not sandboxed: turned off with sandbox = none" in verdict.detail


def test_auto_says_why_when_bwrap_is_missing(tiny_project, monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bwrap is not installed (Debian's bubblewrap package)")
    verdict = judge(tiny_project, "", "auto")
    assert "not sandboxed: bwrap is not installed" in verdict.detail
    assert os.environ.get("PATH")  # the check ran with the machine as it is
