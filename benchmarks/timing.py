"""What the benchmarks share: the median wall time of a few runs (these machines are noisy)."""

from __future__ import annotations

import statistics
import time


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
