"""One run of one program: a fresh temporary folder, a sandbox, its own process group, a deadline, a streaming compare.

The program is someone's code under test. It runs in a temporary folder holding only a copy of it and its
input files, in the sandbox of sandbox.py when there is one, with stdin closed, a small environment (no tokens
leak into it), a memory cap and a deadline. Its stdout and the probe's records are compared with the golden
while it runs (compare.py); as soon as they can no longer match, the run is killed, so a broken variant costs
seconds, not minutes. The run is over when its main process has exited and its pipes are drained, or a short
grace period after that when something it started still holds stdout open. Every live run is known (LIVE),
so an interrupt ends them all at once; whatever a run left behind is killed with it.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .compare import Comparer, Comparison, Expected
from .instrument import instrument
from .interpreters import Interpreter
from .probe import SYNTAX_ERROR_EXIT
from .sandbox import Sandbox

NO_SANDBOX = Sandbox("none", "not asked for")

PROBE = Path(__file__).with_name("probe.py")
STDERR_TAIL_BYTES = 4000
GRACE_SECONDS = 0.5  # after the main process exits, for output still in flight
ENV_PASSED = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
MARKER = "TRIMBENCH_RUN"  # in every run's environment: how a process the run left behind is found
CHUNK = 1 << 16


@dataclass(frozen=True)
class RunResult:
    """Raw facts of a run; classify.py turns them into a verdict."""

    returncode: int | None  # None when trimbench killed the run
    timed_out: bool
    comparison: Comparison
    syntax_error: str | None  # the interpreter could not parse the program
    stderr_tail: str
    seconds: float


class Stopped(Exception):
    """trimbench is stopping (an interrupt): no run starts, and a run cut short gives no verdict."""


class _Live:
    """Every run trimbench has started and not yet reaped, so that an interrupt can end them all at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.runs: dict[int, str] = {}  # process group -> the run's marker
        self.stopping = False

    def add(self, pid: int, marker: str) -> None:
        with self.lock:
            if self.stopping:
                _kill_group(pid)
            self.runs[pid] = marker

    def discard(self, pid: int) -> None:
        with self.lock:
            self.runs.pop(pid, None)

    def stop(self) -> None:
        """Kill every live run, and start none until resume()."""
        with self.lock:
            self.stopping = True
            runs = dict(self.runs)
        for pid, marker in runs.items():
            _kill_group(pid)
            kill_strays(marker)

    def resume(self) -> None:
        with self.lock:
            self.stopping = False


LIVE = _Live()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_strays(marker: str) -> int:
    """Kill what a run left behind outside its process group (a daemon that called setsid): any process whose
    environment still holds the run's marker. A sandboxed run needs none of this: its PID namespace dies with it."""
    needle = f"{MARKER}={marker}".encode()
    killed = 0
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                os.kill(int(entry.name), signal.SIGKILL)
                killed += 1
        except (OSError, ValueError):
            continue  # gone already, or not ours to read
    return killed


def _environment(workdir: Path, marker: str) -> dict[str, str]:
    env = {key: os.environ[key] for key in ENV_PASSED if key in os.environ}
    env.update(HOME=str(workdir), TMPDIR=str(workdir), PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1",
               PYTHONDONTWRITEBYTECODE="1", PYTHONNOUSERSITE="1")
    env[MARKER] = marker
    return env


def run(
    source: str,
    *,
    name: str,
    interpreter: Interpreter,
    inputs: Sequence[tuple[str, Path]] = (),
    timeout: float,
    memory_mb: int,
    expected: Expected | None = None,
    keep: Callable[[bytes], bool] | None = None,
    stop_on_value: bool = False,
    on_line: Callable[[bytes], None] | None = None,
    instrumented: str | None = None,
    sandbox: Sandbox = NO_SANDBOX,
) -> RunResult:
    """Run `source` (saved as `name`) and compare it with `expected`; with expected=None, record it.

    `inputs` are (name in the run folder, file) pairs; `instrumented` is `source` instrumented, when the
    caller has it already. Raises libcst's ParserSyntaxError when the source cannot be instrumented.
    """
    instrumented = instrument(source) if instrumented is None else instrumented
    started = time.monotonic()
    comparer = Comparer(expected, keep, stop_on_value, on_line)
    with tempfile.TemporaryDirectory(prefix="trimbench-") as tmp:
        control, workdir = Path(tmp) / "control", Path(tmp) / "run"
        control.mkdir()
        workdir.mkdir()
        script = workdir / name
        script.write_text(source, encoding="utf-8")
        for input_name, path in inputs:
            (workdir / input_name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, workdir / input_name)
        shutil.copyfile(PROBE, control / "probe.py")
        (control / "program.py").write_text(instrumented, encoding="utf-8")
        if LIVE.stopping:
            raise Stopped()
        read_records, write_records = os.pipe()
        argv = [interpreter.path, "-u", str(control / "probe.py"), str(script), str(control / "program.py"),
                str(write_records), str(memory_mb)]
        marker = uuid.uuid4().hex
        try:
            proc = subprocess.Popen(sandbox.wrap(argv, run_dir=workdir, control_dir=control, shown=interpreter.homes),
                                    cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, env=_environment(workdir, marker), start_new_session=True,
                                    pass_fds=(write_records,))
        finally:
            os.close(write_records)
        LIVE.add(proc.pid, marker)
        try:
            returncode, timed_out, tail = _watch(proc, read_records, comparer, started + timeout)
        finally:
            _kill_group(proc.pid)  # also ends anything the program left running in its group
            proc.wait()
            kill_strays(marker)
            LIVE.discard(proc.pid)
            os.close(read_records)
            proc.stdout.close()
            proc.stderr.close()
        if LIVE.stopping:
            raise Stopped()
    comparison = comparer.finish()
    syntax_error = comparer.syntax_error if returncode == SYNTAX_ERROR_EXIT else None
    return RunResult(returncode, timed_out, comparison, syntax_error, tail.decode("utf-8", "replace"),
                     time.monotonic() - started)


class _Pipes:
    """The run's three pipes, read without blocking; each chunk goes to its sink."""

    def __init__(self, proc: subprocess.Popen, records_fd: int, comparer: Comparer):
        self.stdout, self.stderr, self.records = proc.stdout.fileno(), proc.stderr.fileno(), records_fd
        self.tail = bytearray()
        self.sinks = {self.records: comparer.feed_records, self.stdout: comparer.feed_stdout,
                      self.stderr: self._keep_tail}
        self.open = set(self.sinks)
        for fd in self.open:
            os.set_blocking(fd, False)

    def _keep_tail(self, chunk: bytes) -> None:
        self.tail += chunk
        del self.tail[:-STDERR_TAIL_BYTES]

    def read(self, fd: int) -> bytes | None:
        """One chunk, or None when nothing is there now; the end of a pipe closes it for reading."""
        if fd not in self.open:
            return None
        try:
            chunk = os.read(fd, CHUNK)
        except BlockingIOError:
            return None
        if not chunk:
            self.open.discard(fd)
        return chunk or None

    def drain(self, fd: int) -> None:
        while (chunk := self.read(fd)) is not None:
            self.sinks[fd](chunk)

    def step(self, ready: set[int]) -> None:
        if self.stdout in ready:
            chunk = self.read(self.stdout)
            # A record is written before the stdout bytes that follow it: take every record first.
            self.drain(self.records)
            if chunk is not None:
                self.sinks[self.stdout](chunk)
        elif self.records in ready:
            self.drain(self.records)
        if self.stderr in ready:
            self.drain(self.stderr)


def _watch(proc: subprocess.Popen, records_fd: int, comparer: Comparer, deadline: float):
    """Pump the pipes into the comparer until the run is over: (returncode or None, timed out, stderr tail)."""
    pipes = _Pipes(proc, records_fd, comparer)
    exited_at = None
    with selectors.DefaultSelector() as selector:
        for fd in pipes.open:
            selector.register(fd, selectors.EVENT_READ)
        while pipes.open and not comparer.stop:
            now = time.monotonic()
            if now >= deadline:
                return None, True, bytes(pipes.tail)
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at >= GRACE_SECONDS:
                break  # something the program started holds a pipe open; the program itself is done
            # Poll the process every 50 ms: it may exit while a child of it keeps stdout open.
            until = deadline if exited_at is None else min(deadline, exited_at + GRACE_SECONDS)
            ready = {key.fd for key, _ in selector.select(min(until - now, 0.05))}
            pipes.step(ready)
            for fd in ready - pipes.open:
                if fd in selector.get_map():
                    selector.unregister(fd)
    if not comparer.stop:
        for fd in (pipes.records, pipes.stdout, pipes.stderr):  # what is still in the pipes belongs to the run
            pipes.drain(fd)
    if comparer.stop:
        return None, False, bytes(pipes.tail)
    try:
        returncode = proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return None, True, bytes(pipes.tail)
    return returncode, False, bytes(pipes.tail)
