"""Hashes of trimbench's own code that a verdict or a golden depends on, in place of a version number.

A verdict judged by other code (probe, instrumentation, runner, comparison, classifier) is not reused; records
made by another probe or instrumentation cannot be compared with new ones. Hashing the code itself means an
edit can never leave an old verdict standing by mistake.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .hashing import fingerprint

HERE = Path(__file__).parent
RECORDER_MODULES = ("probe.py", "instrument.py", "output.py")  # what decides a golden's records and their lines
JUDGE_MODULES = (*RECORDER_MODULES, "compare.py", "runner.py", "sandbox.py", "classify.py", "tiers.py", "golden.py",
                 "check.py")


@functools.cache
def recorder() -> str:
    return fingerprint((HERE / name).read_bytes() for name in RECORDER_MODULES)


@functools.cache
def judge() -> str:
    return fingerprint((HERE / name).read_bytes() for name in JUDGE_MODULES)
