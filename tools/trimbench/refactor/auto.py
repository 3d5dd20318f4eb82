"""`trimbench auto` as a workflow: search from SRC, prove the result in the full tier, write it and the path taken.

run() returns an AutoOutcome for the CLI to render. The search checks every step in the tier asked for (smoke
by default, stopping each run at its first differing value); the result is then checked in the full tier,
and when that fails the longest proven prefix of the path is what is written (found by bisection).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from .. import manifest as manifest_module
from .. import provenance
from ..check import CheckOptions
from ..config import Config
from ..errors import TrimbenchError
from ..fileio import check_destination, write_atomic
from ..hashing import fingerprint
from ..verdict import Outcome, Verdict
from .attempt import read_source
from .checker import SourceChecker
from .search import SEARCHED, Event, Kept, Memory, SearchResult, last_proven, search


@dataclass(frozen=True)
class AutoRequest:
    src: Path
    output: Path
    chain: Path | None = None  # write each kept step there as a numbered variant
    jobs: int = 2
    budget_minutes: float | None = 20.0
    tier: str = "smoke"  # the tier every step is checked in; the result is always checked in full
    python: str = "auto"
    input: Path | None = None
    sandbox: str | None = None
    use_cache: bool = True
    codemods: tuple[str, ...] = SEARCHED


@dataclass(frozen=True)
class AutoOutcome:
    result: SearchResult
    path: tuple[Kept, ...]  # the steps written: the search's path, or its longest full-tier prefix
    source: str  # what was written
    final: Verdict | None  # the full-tier verdict of what was written; None when nothing was
    written: Path | None
    chain: tuple[Path, ...] = ()


def run(config: Config, request: AutoRequest, on_event: Callable[[Event], None] | None = None,
        executor: Executor | None = None) -> AutoOutcome:
    source = read_source(request.src)
    original = read_source(config.original)
    check_destination(request.output)
    if request.jobs < 1:
        raise TrimbenchError("--jobs must be at least 1")
    options = CheckOptions(tier=request.tier, python=request.python, input=request.input, jobs=1,
                           use_cache=request.use_cache, stop_on_value=True, sandbox=request.sandbox)
    checker = SourceChecker(config, options, request.src.name)
    memory = Memory(config.state_dir / "auto" if request.use_cache else None, _context(config, options))
    budget = None if request.budget_minutes is None else request.budget_minutes * 60
    own = executor is None
    pool = executor or ProcessPoolExecutor(request.jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        result = search(original, source, checker, pool, memory=memory, jobs=request.jobs,
                        codemods=request.codemods, budget=budget, on_event=on_event)
    except KeyboardInterrupt:
        if own:
            _stop_workers(pool)
        raise
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    if not result.proven:
        return AutoOutcome(result, (), source, None, None)
    path, best, final = _proved_in_full(config, options, request, result, source)
    write_atomic(request.output, best)
    return AutoOutcome(result, path, best, final, request.output, _write_chain(request, path))


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """An interrupt ends the checks under way at once: a worker's runs die with it (the sandbox's, and the
    probe's, parent-death signal), where waiting for them would take up to a timeout."""
    for process in list(getattr(pool, "_processes", {}).values()):  # no public way before Python 3.14
        process.kill()


def _context(config: Config, options: CheckOptions) -> str:
    """What a remembered verdict depends on besides the program: the goldens, the check, the judging code."""
    try:
        goldens = (config.goldens / manifest_module.NAME).read_bytes()
    except OSError:
        goldens = b""
    parts = [goldens, repr((options.tier, options.steps, options.python, options.sandbox, config.sandbox)).encode(),
             provenance.judge().encode()]
    return fingerprint(parts)


def _proved_in_full(config: Config, options: CheckOptions, request: AutoRequest, result: SearchResult,
                    start: str) -> tuple[tuple[Kept, ...], str, Verdict]:
    """The path and program to write, with the full-tier verdict of that program."""
    full = SourceChecker(config, replace(options, tier="full", steps=None), request.src.name)
    if not result.path:
        return (), start, full(start, "result")
    if request.tier == "full":
        return result.path, result.source, result.path[-1].verdict
    verdict = full(result.source, "result")
    if verdict.outcome is Outcome.BIT_EXACT:
        return result.path, result.source, verdict
    kept = last_proven(result.path[:-1], lambda source: full(source, "bisect").outcome is Outcome.BIT_EXACT)
    path = result.path[:kept]
    best = path[-1].source if path else start
    return path, best, full(best, "result")


def _write_chain(request: AutoRequest, path: tuple[Kept, ...]) -> tuple[Path, ...]:
    if request.chain is None:
        return ()
    written = []
    for number, kept in enumerate(path, start=1):
        target = request.chain / f"{number:02d}_{kept.codemod.replace('-', '_')}.py"
        write_atomic(target, kept.source)
        written.append(target)
    return tuple(written)
