"""The search behind `trimbench auto`: a shorter program, site by site, every kept step proved bit-exact.

Each round asks every codemod for its sites on the current program and proposes them all at once; a
proposal that fails its check is split in halves, down to single sites, as automatic reducers do, so one
unsafe site costs only itself (and is remembered, and tried alone, in later rounds). Proposals are ranked by
their codemod's place in the order (the passes of a reducer), then by what they save, and checked side by
side on an Executor (local processes by default; any Executor will
do, so a distributed engine can supply one); the best one that passes is kept and the next round starts
from it. What is minimised, in order: the compaction rules broken (rules.py), honest lines, physical lines;
a change that breaks a new rule or adds an honest line is never kept. A cache keyed by the program's syntax
tree (Memory) means no program is checked twice, across runs too.
"""

from __future__ import annotations

import ast
import json
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import rules
from ..codemods import TransformSuccess, apply, find_sites
from ..fileio import write_atomic
from ..hashing import sha256
from ..verdict import Outcome, Verdict
from .attempt import Checker, count_lines, honest

# The codemods auto runs, in the order it tries them: first what repairs a broken rule, then what removes
# statements (inlining, loops to comprehensions, repeated lines to one), then what joins them (generator-unpack
# before merge-assignments, which would otherwise pair `q, k` and leave `v` to another line), then layout.
# extract-function only adds lines: not among them.
SEARCHED = ("wrap-long-comments", "dict-call", "inline-single-use", "append-comprehension", "condense-init",
            "operator-dunders", "twin-lambdas", "generator-unpack", "merge-assignments", "hoist-imports",
            "hoist-constants", "one-line-imports", "one-line-bodies", "tighten-blank-lines", "compact-docstring")


@dataclass(frozen=True, order=True)
class Shape:
    """What the search minimises, compared in this order."""

    violations: int  # compaction rules broken
    honest: int
    lines: int

    def improves_on(self, other: Shape) -> bool:
        return self < other and self.violations <= other.violations and self.honest <= other.honest


def shape_of(original: str, source: str) -> Shape | None:
    """None when black cannot format the program (so its honest lines are unknown)."""
    counted = honest(source)
    if counted is None:
        return None
    return Shape(len(rules.check(original, source)), counted, count_lines(source))


@dataclass(frozen=True)
class Candidate:
    codemod: str
    sites: tuple[int, ...]
    summaries: tuple[str, ...]
    source: str = field(repr=False)
    shape: Shape

    @property
    def summary(self) -> str:
        if len(self.summaries) == 1:
            return self.summaries[0]
        more = "; ..." if len(self.summaries) > 2 else ""
        return f"{len(self.summaries)} sites: {'; '.join(self.summaries[:2])}{more}"


@dataclass(frozen=True)
class Kept:
    """One step of the path taken."""

    round: int
    codemod: str
    summary: str
    before: Shape
    after: Shape
    verdict: Verdict
    source: str = field(repr=False)


@dataclass(frozen=True)
class Event:
    """Where the search is, for progress: the round, what was tried, the lines now and the best so far."""

    round: int
    tried: int
    cache_hits: int
    lines: int
    best: int
    text: str


@dataclass(frozen=True)
class SearchResult:
    start: Verdict
    source: str  # the best program found; the start itself when nothing helped
    path: tuple[Kept, ...]
    tried: int  # candidates judged (from the cache or by a run)
    cache_hits: int
    fast_rejections: int  # candidates rejected within a second: the fail-fast share
    seconds: float
    stopped: str  # why the search ended

    @property
    def proven(self) -> bool:
        return self.start.outcome is Outcome.BIT_EXACT


class Memory:
    """Verdicts by program: the program's syntax tree (comments and layout aside, which change no output) and
    what it is checked against. On disk, so a second search resumes where the first one stopped."""

    def __init__(self, folder: Path | None, context: str):
        self.folder, self.context, self.seen = folder, context, {}

    def key(self, source: str) -> str:
        try:
            tree = ast.dump(ast.parse(source))
        except SyntaxError:
            tree = source
        return sha256(f"{self.context}\0{tree}".encode())

    def get(self, source: str) -> Verdict | None:
        key = self.key(source)
        if key not in self.seen and self.folder is not None:
            try:
                self.seen[key] = replace(Verdict.from_json(json.loads((self.folder / f"{key}.json").read_text())),
                                         cached=True)
            except (OSError, ValueError, TypeError):
                return None  # not there, or of another shape: checked again
        return self.seen.get(key)

    def put(self, source: str, verdict: Verdict) -> None:
        if verdict.outcome in (Outcome.TIMEOUT, Outcome.INVALID):
            return  # a timeout may be the machine's fault; an invalid verdict costs nothing to give again
        key = self.key(source)
        self.seen[key] = verdict
        if self.folder is not None:
            try:
                write_atomic(self.folder / f"{key}.json", json.dumps(verdict.to_json()))
            except OSError:
                pass  # a memory that cannot be written costs only time


def _identity(codemod: str, summary: str) -> tuple[str, str]:
    """A site's identity across rounds: its codemod and what it does, without line numbers (they shift)."""
    return codemod, re.sub(r"\d+", "#", summary)


class _Search:
    def __init__(self, original: str, check: Checker, executor: Executor, memory: Memory, jobs: int,
                 codemods: Sequence[str], deadline: float | None, on_event: Callable[[Event], None] | None):
        self.original, self.check, self.executor, self.memory = original, check, executor, memory
        self.jobs, self.codemods, self.deadline, self.on_event = max(1, jobs), codemods, deadline, on_event
        self.suspects: set[tuple[str, str]] = set()  # sites that failed alone: tried alone, last
        self.tried = self.hits = self.fast = self.round = 0
        self.lines = self.best = 0

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def event(self, text: str) -> None:
        if self.on_event:
            self.on_event(Event(self.round, self.tried, self.hits, self.lines, self.best, text))

    def candidate(self, base: str, codemod: str, sites: Sequence[tuple[int, str]]) -> Candidate | None:
        result = apply(codemod, base, sites=[index for index, _ in sites])
        if not isinstance(result, TransformSuccess):
            return None
        new = shape_of(self.original, result.code)
        if new is None:
            return None
        return Candidate(codemod, tuple(i for i, _ in sites), tuple(s for _, s in sites), result.code, new)

    def proposals(self, base: str) -> list[tuple[Candidate, Sequence[tuple[int, str]]]]:
        """Every codemod's sites on `base`, all at once, and each suspect alone."""
        found = []
        for codemod in self.codemods:
            sites = [(site.index, site.summary) for site in find_sites(codemod, base)]
            fresh = [site for site in sites if _identity(codemod, site[1]) not in self.suspects]
            groups = ([fresh] if fresh else []) + [[site] for site in sites if site not in fresh]
            for group in groups:
                made = self.candidate(base, codemod, group)
                if made is not None:
                    found.append((made, group))
        return found

    def judge(self, batch: list[Candidate]) -> dict[int, Verdict]:
        """The verdict of each candidate, from the memory or run side by side."""
        known: dict[int, Verdict] = {}
        futures: dict[int, Future] = {}
        for position, candidate in enumerate(batch):
            remembered = self.memory.get(candidate.source)
            if remembered is not None:
                known[position] = remembered
                self.hits += 1
            else:
                futures[position] = self.executor.submit(self.check, candidate.source,
                                                         f"round {self.round}: {candidate.codemod}")
        for position, future in futures.items():
            verdict = future.result()
            self.memory.put(batch[position].source, verdict)
            self.fast += verdict.outcome is not Outcome.BIT_EXACT and verdict.seconds < 1.0
            known[position] = verdict
        self.tried += len(batch)
        return known

    def step(self, base: str, shape: Shape) -> Kept | None:
        """One round: the best candidate on `base` that passes, or None when none does."""
        queue = self.proposals(base)
        while queue and not self.out_of_time():
            # Passes in their order, as a reducer runs them (inlining first leaves more to merge, not the
            # reverse); within a pass, the candidate that improves most first.
            queue.sort(key=lambda item: (self.codemods.index(item[0].codemod), item[0].shape, -len(item[1])))
            head, group = queue.pop(0)
            if not head.shape.improves_on(shape):  # together no better (a rule broken): a part may be
                if len(group) > 1:
                    queue += self.halves(base, head.codemod, group)
                continue
            batch = [(head, group)]
            while queue and len(batch) < self.jobs and queue[0][0].shape.improves_on(shape):
                batch.append(queue.pop(0))
            results = self.judge([candidate for candidate, _ in batch])
            passed = []
            for position, (candidate, group) in enumerate(batch):
                if results[position].outcome is Outcome.BIT_EXACT:
                    passed.append((candidate, results[position]))
                elif len(group) > 1:
                    queue += self.halves(base, candidate.codemod, group)
                else:
                    self.suspects.add(_identity(candidate.codemod, candidate.summaries[0]))
            if passed:
                candidate, verdict = passed[0]  # the first in the order, as if the batch had run one by one
                return Kept(self.round, candidate.codemod, candidate.summary, shape, candidate.shape, verdict,
                            candidate.source)
            self.event(f"round {self.round}: {len(queue)} proposals left")
        return None

    def halves(self, base: str, codemod: str, group: Sequence[tuple[int, str]]):
        middle = len(group) // 2
        made = []
        for half in (group[:middle], group[middle:]):
            candidate = self.candidate(base, codemod, half)
            if candidate is not None:
                made.append((candidate, half))
        return made


def search(original: str, source: str, check: Checker, executor: Executor, *, memory: Memory | None = None,
           jobs: int = 2, codemods: Sequence[str] = SEARCHED, budget: float | None = None,
           on_event: Callable[[Event], None] | None = None) -> SearchResult:
    """Search from `source` (which must be bit-exact) for the shortest bit-exact rewrite; `original` is the
    program whose rules it keeps. `budget` is in seconds; `check` runs on `executor` (it must be picklable for
    a process pool)."""
    started = time.monotonic()
    start = check(source, "start")
    state = _Search(original, check, executor, memory or Memory(None, ""), jobs, codemods,
                    None if budget is None else started + budget, on_event)
    if start.outcome is not Outcome.BIT_EXACT:
        return SearchResult(start, source, (), 0, 0, 0, time.monotonic() - started, "the start is not bit-exact")
    current, shape, path = source, shape_of(original, source), []
    state.lines = state.best = shape.lines
    stopped = "no codemod shortens it further"
    while True:
        if state.out_of_time():
            stopped = "the time budget ran out"
            break
        state.round += 1
        state.event(f"round {state.round}")
        kept = state.step(current, shape)
        if kept is None:
            stopped = "the time budget ran out" if state.out_of_time() else stopped
            break
        path.append(kept)
        current, shape = kept.source, kept.after
        state.lines = state.best = shape.lines
        state.event(f"kept {kept.codemod}: {kept.summary}")
    return SearchResult(start, current, tuple(path), state.tried, state.hits, state.fast,
                        time.monotonic() - started, stopped)


def last_proven(path: Sequence[Kept], proves: Callable[[str], bool]) -> int:
    """How many steps of `path` stay proven under a stricter check (the full tier): the longest prefix whose
    last program `proves`, found by bisection (a step that breaks it is assumed to break every later one)."""
    low, high = 0, len(path)  # path[:low] is proven (0: the start, proven already)
    while low < high:
        middle = (low + high + 1) // 2
        if proves(path[middle - 1].source):
            low = middle
        else:
            high = middle - 1
    return low
