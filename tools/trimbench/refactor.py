"""The refactoring loop: apply a codemod and prove the result, search for a shorter proven program, watch a file.

Pure logic: no argparse, no printing. Every function takes its checker as a plain callable
(`source, label -> Verdict`), so the search can be tested with a fake checker and run for real with
`SourceChecker`, which writes the source to a temporary folder and calls `check.run_checks`.
Only a bit-exact verdict keeps a change: text-exact means the floats moved, and that is not a refactoring.
"""

from __future__ import annotations

import inspect
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from types import MappingProxyType

import libcst as cst

from .check import CheckOptions, Progress, run_checks
from .codemods import CODEMODS, TransformFailure, TransformSkip, TransformSuccess, apply
from .config import Config
from . import lines
from .hashing import file_sha256
from .errors import TrimbenchError
from .verdict import Outcome, Verdict

Checker = Callable[[str, str], Verdict]  # (source, label to show) -> its verdict


count_lines = lines.count  # physical lines, as the report counts them


def read_source(path: Path) -> str:
    """A program to rewrite: it must exist, be UTF-8 and parse, else a TrimbenchError (the user can fix it)."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TrimbenchError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TrimbenchError(f"{path}: cannot read it: {exc}") from None
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise TrimbenchError(f"{path}: line {exc.raw_line}: {exc.message}") from None
    return source


def check_codemod_name(name: str) -> None:
    if name not in CODEMODS:
        raise TrimbenchError(f"unknown codemod {name!r}; known codemods: {', '.join(CODEMODS)}")


def codemod_options(name: str) -> tuple[str, ...]:
    """The keyword options a codemod's constructor takes (extract-function: name, line)."""
    parameters = list(inspect.signature(CODEMODS[name].__init__).parameters)
    return tuple(p for p in parameters if p not in ("self", "context"))


class Status(str, Enum):
    SKIPPED = "skipped"  # the codemod found nothing it may safely change
    FAILED = "failed"  # the codemod raised: a bug in the codemod
    NOT_SHORTER = "not shorter"  # applied, but saves no line (auto only): never checked
    REJECTED = "rejected"  # checked, not bit-exact
    KEPT = "kept"  # checked, bit-exact


@dataclass(frozen=True)
class Step:
    """One codemod tried on one source: what it did to the line count and what the check said."""

    codemod: str
    round: int
    lines_before: int
    lines_after: int | None  # None when the codemod did not apply
    status: Status
    verdict: Verdict | None = None  # None when nothing was checked
    note: str = ""  # the skip reason or the failure, for SKIPPED and FAILED
    source: str | None = field(default=None, repr=False)  # the rewritten program when the codemod applied

    @property
    def saved(self) -> int:
        return self.lines_before - self.lines_after if self.lines_after is not None else 0


def attempt(name: str, source: str, check: Checker, *, options: Mapping[str, object] = MappingProxyType({}),
            round: int = 1, require_shorter: bool = False, label: str | None = None) -> Step:
    """Apply one codemod and check the result; KEPT only when the result is bit-exact (and shorter, if asked).

    `options` go to the codemod's constructor (extract-function's name and line).
    """
    check_codemod_name(name)
    before = count_lines(source)
    try:
        result = apply(name, source, **options)
    except (TypeError, ValueError) as exc:  # the codemod's constructor refused an option (apply runs it unguarded)
        known = ", ".join(codemod_options(name)) or "none"
        raise TrimbenchError(f"codemod {name} takes the options {known}; "
                             f"{', '.join(f'{k}={v!r}' for k, v in options.items())} refused: {exc}") from None
    base = dict(codemod=name, round=round, lines_before=before)
    if isinstance(result, TransformSkip):
        return Step(**base, lines_after=None, status=Status.SKIPPED, note=result.skip_description or "nothing to do")
    if isinstance(result, TransformFailure):
        note = f"{type(result.error).__name__}: {result.error}"
        return Step(**base, lines_after=None, status=Status.FAILED, note=note)
    assert isinstance(result, TransformSuccess)
    after = count_lines(result.code)
    if require_shorter and after >= before:
        return Step(**base, lines_after=after, status=Status.NOT_SHORTER, source=result.code)
    verdict = check(result.code, label or name)
    status = Status.KEPT if verdict.outcome is Outcome.BIT_EXACT else Status.REJECTED
    return Step(**base, lines_after=after, status=status, verdict=verdict, source=result.code)


@dataclass(frozen=True)
class AutoResult:
    source: str  # the shortest bit-exact program found; the start itself when nothing helped
    start: Verdict  # the starting program's verdict: the search runs only when it is bit-exact
    steps: tuple[Step, ...]  # every attempt, in order

    @property
    def proven(self) -> bool:
        return self.start.outcome is Outcome.BIT_EXACT

    @property
    def kept(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.status is Status.KEPT)


def auto(source: str, check: Checker, *, codemods: Sequence[str] = tuple(CODEMODS),
         on_start: Callable[[Verdict], None] | None = None, on_step: Callable[[Step], None] | None = None,
         start_label: str = "start") -> AutoResult:
    """Greedy search: each round tries every codemod, in order, on the current best program.

    A change is kept when it saves at least one physical line and the result is bit-exact; the next
    codemod then starts from it. Rounds repeat until one keeps nothing. The line count falls with every
    kept change, so the search ends. A codemod that only adds lines (extract-function) is never kept:
    the search does not look ahead for a longer program that a later codemod would shorten.
    """
    for name in codemods:
        check_codemod_name(name)
    start = check(source, start_label)
    if on_start:
        on_start(start)
    if start.outcome is not Outcome.BIT_EXACT:
        return AutoResult(source, start, ())
    steps: list[Step] = []
    rejected: dict[str, Verdict] = {}  # programs already checked and found wanting: never checked twice
    current, round, improved = source, 0, True
    while improved:
        round, improved = round + 1, False
        for name in codemods:
            step = attempt(name, current, _remembering(check, rejected), round=round, require_shorter=True,
                           label=f"round {round}: {name}")
            steps.append(step)
            if on_step:
                on_step(step)
            if step.status is Status.KEPT:
                current, improved = step.source, True
            elif step.status is Status.REJECTED:
                rejected[step.source] = step.verdict
    return AutoResult(current, start, tuple(steps))


def _remembering(check: Checker, rejected: dict[str, Verdict]) -> Checker:
    def remembered(source: str, label: str) -> Verdict:
        if source in rejected:  # the same rewrite reached again: its verdict cannot have changed
            return replace(rejected[source], path=label, seconds=0.0, cached=True)
        return check(source, label)
    return remembered


class SourceChecker:
    """A Checker for real: writes the source to a fresh temporary folder under `filename`, then runs the check.

    The verdict's path is the label (the temporary file means nothing to the user). The verdict cache is
    keyed by content, so a later `trimbench check` of the written file reuses the verdict.
    """

    def __init__(self, config: Config, options: CheckOptions, filename: str, progress: Progress | None = None):
        self.config, self.options, self.filename, self.progress = config, options, filename, progress

    def __call__(self, source: str, label: str) -> Verdict:
        with tempfile.TemporaryDirectory(prefix="trimbench-refactor-") as folder:
            path = Path(folder) / self.filename
            path.write_text(source, encoding="utf-8")
            progress = _Relabel(self.progress, label) if self.progress else None
            [verdict] = run_checks(self.config, [path], self.options, progress)
        return replace(verdict, path=label)


class _Relabel:
    """A Progress that shows `label` instead of the temporary path."""

    def __init__(self, inner: Progress, label: str):
        self.inner, self.label = inner, label

    def started(self, path: str, steps: int | None) -> None:
        self.inner.started(self.label, steps)

    def advanced(self, path: str, step: int) -> None:
        self.inner.advanced(self.label, step)

    def finished(self, verdict: Verdict) -> None:
        self.inner.finished(replace(verdict, path=self.label))

    def note(self, message: str) -> None:
        self.inner.note(message)


# --- watch -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fingerprint:
    mtime_ns: int
    size: int


def _fingerprint(path: Path) -> Fingerprint | None:
    try:
        stat = path.stat()
    except OSError:  # mid-save: some editors delete, then rename a new file in
        return None
    return Fingerprint(stat.st_mtime_ns, stat.st_size)


def _content_hash(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def watch(path: Path, check: Callable[[], Verdict], on_verdict: Callable[[Verdict], None],
          should_stop: Callable[[], bool], *, interval: float = 0.3,
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Check `path` now, then again after every save that changes its content, until should_stop(); returns the runs.

    A save is noticed by polling mtime and size every `interval` seconds, and acted on once they have
    held still for one poll (an editor may write in pieces). A save that leaves the content as it was
    (same sha256) is not checked again.
    """
    checked_hash: str | None = None
    seen: Fingerprint | None = None  # the fingerprint last acted on
    pending: Fingerprint | None = None  # a new fingerprint waiting to hold still
    runs = 0
    while not should_stop():
        now = _fingerprint(path)
        if now is not None and now != seen:
            if runs == 0 or now == pending:
                seen, pending = now, None
                digest = _content_hash(path)
                if digest is not None and digest != checked_hash:
                    checked_hash = digest
                    on_verdict(check())
                    runs += 1
                    continue
            else:
                pending = now
        sleep(interval)
    return runs
