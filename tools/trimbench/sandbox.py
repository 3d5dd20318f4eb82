"""The sandbox every run goes in: bubblewrap (bwrap), when it works here, so a program sees only its own folder.

Inside, the program sees a read-only system (/usr, the few files of /etc that programs read, and the
interpreter's own install), its run folder as its working directory and home (writable), a private /tmp, its
own PID namespace (the processes of trimbench are not in its /proc), no network, and it dies with trimbench.
The repository, the goldens, the caches and the environment of trimbench are not there to be read or written.
A program running in the same interpreter as the probe is trusted not to patch the probe itself.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import TrimbenchError

CHOICES = ("auto", "bwrap", "none")
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64")
ETC = ("passwd", "group", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives")
ISOLATION = ("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session")


@dataclass(frozen=True)
class Sandbox:
    kind: str  # "bwrap" or "none"
    why_not: str = ""  # for "none": why the runs are not sandboxed

    @property
    def label(self) -> str:
        return self.kind if self.kind == "bwrap" else f"none ({self.why_not})"

    def wrap(self, argv: Sequence[str], *, run_dir: Path, control_dir: Path, shown: Sequence[str] = ()) -> list[str]:
        """The command that runs `argv` in this sandbox, seeing `run_dir` (writable), `control_dir` and `shown`
        (read-only) besides the system."""
        if self.kind == "none":
            return list(argv)
        return ["bwrap", *_system(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                *_read_only(shown), "--ro-bind", str(control_dir), str(control_dir),
                "--bind", str(run_dir), str(run_dir), "--chdir", str(run_dir), *ISOLATION, "--", *argv]


def _system() -> list[str]:
    """The system as it is laid out here: each directory read-only, each merged-/usr link as a link."""
    args: list[str] = []
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return args


def _read_only(paths: Sequence[str]) -> list[str]:
    args: list[str] = []
    for path in dict.fromkeys(paths):
        if os.path.isdir(path) and not any(path == root or path.startswith(root + "/") for root in SYSTEM):
            args += ["--ro-bind", path, path]
    return args


@functools.cache
def bwrap_problem() -> str | None:
    """Why bwrap cannot sandbox a run here, or None when it can (tried once, with the flags every run uses)."""
    if shutil.which("bwrap") is None:
        return "bwrap is not installed (Debian's bubblewrap package)"
    with tempfile.TemporaryDirectory(prefix="trimbench-sandbox-") as tmp:
        folder = Path(tmp)
        argv = Sandbox("bwrap").wrap(["/bin/sh", "-c", "exit 0"], run_dir=folder, control_dir=folder)
        try:
            result = subprocess.run(argv, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"bwrap does not start: {exc}"
    if result.returncode != 0:
        last = result.stderr.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        return f"bwrap does not work here: {last[0]}"
    return None


def choose(setting: str) -> Sandbox:
    """`auto`: bwrap when it works here, else none (and every verdict says so); `bwrap`: bwrap or an error."""
    if setting not in CHOICES:
        raise TrimbenchError(f"sandbox {setting!r}: choose one of {', '.join(CHOICES)}")
    if setting == "none":
        return Sandbox("none", "turned off with sandbox = none")
    problem = bwrap_problem()
    if problem is None:
        return Sandbox("bwrap")
    if setting == "bwrap":
        raise TrimbenchError(f"--sandbox bwrap: {problem}; install it, or run with --sandbox none")
    return Sandbox("none", problem)
