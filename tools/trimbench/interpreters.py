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
    "import platform, sys; impl = platform.python_implementation(); "
    "extra = ' %d.%d.%d' % sys.pypy_version_info[:3] if impl == 'PyPy' else ''; "
    "print(impl + extra, platform.python_version(), platform.machine(), sep='|')"
)


@dataclass(frozen=True)
class Interpreter:
    path: str
    implementation: str  # "CPython" or "PyPy"
    name: str  # e.g. "PyPy 7.3.11 (Python 3.9.16)"; also the key of its digests in the manifest

    @property
    def is_pypy(self) -> bool:
        return self.implementation == "PyPy"


def running() -> Interpreter:
    """The CPython that runs trimbench itself: always available, the fallback for PyPy."""
    return _make(sys.executable, "CPython", platform.python_version(), platform.machine())


def _make(path: str, implementation: str, python_version: str, machine: str) -> Interpreter:
    impl = implementation.split()[0]
    label = f"{implementation} (Python {python_version})" if impl == "PyPy" else f"CPython {python_version}"
    return Interpreter(path=path, implementation=impl, name=f"{label} {machine}")


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
    implementation, version, machine = out.stdout.strip().split("|")
    if implementation.split()[0] not in ("CPython", "PyPy"):
        raise TrimbenchError(f"--python {path}: {implementation} is not supported (CPython or PyPy)")
    return _make(found, implementation, version, machine)


def resolve(choice: str = "auto") -> Interpreter:
    """`auto`: pypy3 when it is on PATH, else the running CPython; anything else names an interpreter."""
    if choice == "auto":
        pypy = shutil.which("pypy3")
        return describe(pypy) if pypy else running()
    return describe(choice)
