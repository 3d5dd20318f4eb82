"""Measuring many files for a report: in parallel processes, and cached on disk by their bytes and the counting code."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

from .. import metrics as metrics_module
from .. import sections as sections_module
from ..fileio import write_atomic
from ..hashing import fingerprint
from ..metrics import FileMetrics, measure


@functools.cache
def counting_fingerprint() -> str:
    """Everything but a file's bytes that decides its counts: the counting code itself and the tools'
    versions. Hashing the code, not a version number, means an edit to it can never serve stale counts."""
    parts = [Path(module.__file__).read_bytes() for module in (metrics_module, sections_module)]
    parts += [f"black {version('black')} libcst {version('libcst')} radon {version('radon')} {sys.version}".encode()]
    return fingerprint(parts)


class MetricsCache:
    """FileMetrics on disk under .trimbench/metrics/, keyed by the file's bytes and counting_fingerprint().

    Measuring a file takes about 0.15 s, mostly black; a report re-measures only what changed."""

    def __init__(self, state_dir: Path):
        self.folder = state_dir / "metrics"

    def _path(self, data: bytes) -> Path:
        return self.folder / f"{fingerprint([counting_fingerprint().encode(), data])}.json"

    def get(self, name: str, data: bytes) -> FileMetrics | None:
        try:
            found = FileMetrics.from_json(json.loads(self._path(data).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: measured again
        return replace(found, path=name)

    def put(self, data: bytes, metrics: FileMetrics) -> None:
        try:
            write_atomic(self._path(data), json.dumps(metrics.to_json()))
        except OSError:
            pass  # a read-only project still gets its report, only slower next time


def measure_cached(items: Sequence[tuple[str, bytes]], cache: MetricsCache | None) -> list[FileMetrics]:
    """measure_all(), skipping the files whose counts are in the cache."""
    found = [cache.get(name, data) if cache else None for name, data in items]
    missing = [index for index, metrics in enumerate(found) if metrics is None]
    for index, metrics in zip(missing, measure_all([items[index] for index in missing])):
        found[index] = metrics
        if cache:
            cache.put(items[index][1], metrics)
    return found


def measure_all(items: Sequence[tuple[str, bytes]]) -> list[FileMetrics]:
    """measure() for each (label, source), in order. Black dominates the cost, so several files are
    measured in parallel processes; the first file that fails raises, as it would in a plain loop."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(len(items), cores)
    if workers >= 2 and len(items) >= 3 and "fork" in multiprocessing.get_all_start_methods():
        try:  # fork: the workers start with black, libcst and radon already imported
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        except (OSError, NotImplementedError):  # no process semaphores here (some sandboxes): one by one
            pass
        else:
            with pool:
                return list(pool.map(measure, *zip(*items)))
    return [measure(name, data) for name, data in items]


