"""Which Python runs the programs: PyPy when present (5 to 8 times faster, same stdout), else this CPython.

PyPy and CPython print the same text for microgpt, but their floats differ in the last bits,
so every verdict and every recorded bit digest names the interpreter that produced it.
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass

from .errors import TrimbenchError

DESCRIBE = (
    "import os, platform, sys; impl = platform.python_implementation(); "
    "extra = ' %d.%d.%d' % sys.pypy_version_info[:3] if impl == 'PyPy' else ''; "
    "homes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, "
    "os.path.dirname(os.path.realpath(sys.executable))}; "
    "print(impl + extra, platform.python_version(), platform.machine(), os.pathsep.join(sorted(homes)), "
    "sys.executable, sep='|')"
)


@dataclass(frozen=True)
class Interpreter:
    path: str
    implementation: str  # "CPython" or "PyPy"
    name: str  # e.g. "PyPy 7.3.11 (Python 3.9.16) x86_64"; also the key of its records in the manifest
    homes: tuple[str, ...] = ()  # where it and its libraries live: what a sandbox must show it

    @property
    def is_pypy(self) -> bool:
        return self.implementation == "PyPy"


def running() -> Interpreter:
    """The CPython that runs trimbench itself: always available, the fallback for PyPy."""
    homes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    return _make(sys.executable, "CPython", platform.python_version(), platform.machine(), sorted(homes))


def _make(path: str, implementation: str, python_version: str, machine: str, homes=()) -> Interpreter:
    impl = implementation.split()[0]
    label = f"{implementation} (Python {python_version})" if impl == "PyPy" else f"CPython {python_version}"
    return Interpreter(path=path, implementation=impl, name=f"{label} {machine}", homes=tuple(homes))


@functools.cache
def describe(path: str) -> Interpreter:
    found = shutil.which(path)
    if found is None:
        raise TrimbenchError(f"--python {path}: no such interpreter")
    found = os.path.abspath(found)  # programs run in a temp folder, where a relative path means nothing
    try:
        out = subprocess.run([found, "-c", DESCRIBE], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise TrimbenchError(f"--python {path}: cannot run it as Python ({exc})") from None
    try:
        implementation, version, machine, homes, executable = out.stdout.strip().split("|")
    except ValueError:
        raise TrimbenchError(f"--python {path}: it does not describe itself as Python does") from None
    if implementation.split()[0] not in ("CPython", "PyPy"):
        raise TrimbenchError(f"--python {path}: {implementation} is not supported (CPython or PyPy)")
    # Its own name for itself, not a wrapper's (a pyenv shim is a shell script a sandbox would not show).
    return _make(executable if os.path.isabs(executable) else found, implementation, version, machine,
                 homes.split(os.pathsep))


def resolve(choice: str = "auto") -> Interpreter:
    """`auto`: pypy3 when it is on PATH, else the running CPython; anything else names an interpreter."""
    if choice == "auto":
        pypy = shutil.which("pypy3")
        return describe(pypy) if pypy else running()
    return describe(choice)
