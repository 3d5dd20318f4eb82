"""One run of one program: a fresh temp folder, its own process group, a timeout, a streaming compare.

The program is someone's code under test. It runs in a temporary folder that holds only a copy of
it and its input file, with stdin closed, a small environment (no tokens leak into it), a memory cap
and a timeout. Its stdout is compared with the expected lines while it runs; at the first line that
differs the whole process group is killed, so a broken variant costs seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .interpreters import Interpreter
from .probe import SYNTAX_ERROR_EXIT

PROBE = Path(__file__).with_name("probe.py")
STDERR_TAIL_BYTES = 4000
ENV_PASSED = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")


@dataclass(frozen=True)
class Mismatch:
    index: int  # position in the expected lines
    actual: bytes | None  # None: the program's output ended before this line


@dataclass(frozen=True)
class RunResult:
    """Raw facts of a run; check.py turns them into a verdict."""

    returncode: int | None  # None when the run was killed (mismatch or timeout)
    timed_out: bool
    matched: int  # expected lines matched, in order
    mismatch: Mismatch | None
    digest: str | None
    syntax_error: str | None  # the interpreter could not parse the program
    stderr_tail: str
    seconds: float
    lines: tuple[bytes, ...] = ()  # every stdout line, kept only when recording (expected is None)


def _split_lines(buffer: bytes) -> tuple[list[bytes], bytes]:
    *complete, rest = buffer.split(b"\n")
    return [line + b"\n" for line in complete], rest


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _environment(workdir: Path) -> dict[str, str]:
    env = {key: os.environ[key] for key in ENV_PASSED if key in os.environ}
    env.update(HOME=str(workdir), TMPDIR=str(workdir), PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1",
               PYTHONDONTWRITEBYTECODE="1")
    return env


def run(
    source: str | bytes,
    *,
    name: str,
    interpreter: Interpreter,
    input_file: Path,
    input_name: str = "input.txt",
    timeout: float,
    memory_mb: int,
    expected: Sequence[bytes] | None = None,
    keep: Callable[[bytes], bool] | None = None,
    on_line: Callable[[bytes], None] | None = None,
) -> RunResult:
    """Run `source` (saved as `name`) and compare each stdout line that `keep` accepts with `expected`.

    With expected=None nothing is compared and every line is returned (recording a golden).
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="trimbench-") as tmp:
        control, workdir = Path(tmp), Path(tmp) / "run"
        workdir.mkdir()
        script = workdir / name
        script.write_bytes(source.encode("utf-8") if isinstance(source, str) else source)
        shutil.copyfile(input_file, workdir / input_name)
        shutil.copyfile(PROBE, control / "probe.py")
        report, stderr_path = control / "report.json", control / "stderr.txt"
        with open(stderr_path, "wb") as stderr:
            proc = subprocess.Popen(
                [interpreter.path, "-u", str(control / "probe.py"), str(script), str(report), str(memory_mb)],
                cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
                env=_environment(workdir), start_new_session=True,
            )
            try:
                timed_out, matched, mismatch, lines = _stream(proc, started + timeout, expected, keep, on_line)
                returncode = None
                output_ended = mismatch is None or mismatch.actual is None
                if not timed_out and output_ended:
                    try:
                        returncode = proc.wait(timeout=max(0.0, started + timeout - time.monotonic()))
                    except subprocess.TimeoutExpired:  # closed its stdout but kept running
                        timed_out = True
            finally:
                _kill_group(proc)  # also reaps anything the program left running in the background
                proc.wait()
                proc.stdout.close()
        # Only a program that ended on its own has a report worth reading; a killed one may have none.
        facts = json.loads(report.read_text()) if returncode is not None and report.exists() else {}
        with open(stderr_path, "rb") as handle:
            handle.seek(max(0, stderr_path.stat().st_size - STDERR_TAIL_BYTES))
            tail = handle.read().decode("utf-8", "replace")
    if returncode == SYNTAX_ERROR_EXIT and "syntax_error" in facts:
        return RunResult(returncode, False, 0, None, None, facts["syntax_error"], tail, time.monotonic() - started)
    return RunResult(
        returncode=returncode,
        timed_out=timed_out,
        matched=matched,
        mismatch=mismatch,
        digest=facts.get("digest") if returncode == 0 else None,
        syntax_error=None,
        stderr_tail=tail,
        seconds=time.monotonic() - started,
        lines=tuple(lines),
    )


def _stream(proc, deadline, expected, keep, on_line):
    """Read stdout until EOF, the first mismatch or the deadline: (timed_out, matched, mismatch, lines)."""
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    recorded: list[bytes] = []
    matched, pending = 0, b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        eof = False
        while not eof:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True, matched, None, recorded
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 1 << 16)
            eof = not chunk
            lines, pending = _split_lines(pending + chunk)
            if eof and pending:
                lines.append(pending)  # a last line with no newline: compared as it is
            for line in lines:
                if on_line is not None:
                    on_line(line)
                if expected is None:
                    recorded.append(line)
                    continue
                if keep is not None and not keep(line):
                    continue
                if matched >= len(expected) or line != expected[matched]:
                    return False, matched, Mismatch(matched, line), recorded
                matched += 1
    if expected is not None and matched < len(expected):
        return False, matched, Mismatch(matched, None), recorded
    return False, matched, None, recorded
