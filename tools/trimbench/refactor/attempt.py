"""One codemod, applied and proved: the rewrite is kept only when the check finds it bit-exact."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import MappingProxyType

import libcst as cst

from .. import lines
from ..codemods import CODEMODS, TransformFailure, TransformSkip, TransformSuccess, apply
from ..errors import TrimbenchError
from ..metrics import honest_lines
from ..verdict import Outcome, Verdict

Checker = Callable[[str, str], Verdict]  # (source, label to show) -> its verdict
count_lines = lines.count  # physical lines, as the report counts them


def honest(source: str) -> int | None:
    """Honest lines of a program (code lines after black), or None when black cannot format it."""
    try:
        return honest_lines("<source>", source)
    except TrimbenchError:
        return None


@dataclass(frozen=True)
class LineChange:
    """What a rewrite did to the counts the report shows."""

    lines_before: int
    lines_after: int
    honest_before: int | None
    honest_after: int | None

    @classmethod
    def between(cls, before: str, after: str) -> LineChange:
        return cls(count_lines(before), count_lines(after), honest(before), honest(after))

    def __str__(self) -> str:
        """`200 -> 195 lines (5 saved, honest lines 169 -> 163)`; `3 more` when the rewrite adds lines."""
        a, b = self.lines_before, self.lines_after
        change = f"{a - b} saved" if a >= b else f"{b - a} more"
        known = self.honest_before is not None and self.honest_after is not None
        honest_part = f", honest lines {self.honest_before} -> {self.honest_after}" if known else ""
        return f"{a} -> {b} lines ({change}{honest_part})"


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


