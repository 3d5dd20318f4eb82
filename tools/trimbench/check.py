"""The check: does a variant still print exactly what the original printed, down to the bits?

run_checks() is the one entry point (the CLI, the report and the publisher call it). It resolves
the input, the interpreter and the goldens once, then judges each variant, side by side, reusing
cached verdicts. It raises TrimbenchError only for problems of the whole run (no goldens, no
input); a problem of one variant is that variant's verdict.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from . import data, interpreters, runner, tiers
from .cache import VerdictCache, cache_key, sha256
from .config import Config
from .errors import TrimbenchError
from .golden import STEP_LINE, Golden, Goldens, Tier
from .interpreters import Interpreter
from .verdict import END_OF_OUTPUT, Divergence, Outcome, Verdict


@dataclass(frozen=True)
class CheckOptions:
    tier: str = "smoke"  # "smoke" or "full"
    steps: int | None = None  # smoke tier only; None: [tool.trimbench] smoke_steps
    python: str = "auto"
    jobs: int | None = None  # None: the number of cores
    timeout: float | None = None  # None: the tier's timeout from [tool.trimbench]
    input: Path | None = None
    lines: tuple[str, ...] | None = None  # None: [tool.trimbench] compare_lines
    use_cache: bool = True


class Progress(Protocol):
    def started(self, path: str, steps: int | None) -> None: ...
    def advanced(self, path: str, step: int) -> None: ...
    def finished(self, verdict: Verdict) -> None: ...
    def note(self, message: str) -> None: ...


def _tier(config: Config, options: CheckOptions) -> Tier:
    if options.tier not in ("smoke", "full"):
        raise TrimbenchError(f"unknown tier {options.tier!r}: choose smoke or full")
    if options.steps is not None and options.tier == "full":
        raise TrimbenchError("--steps rewrites the step count, which only the smoke tier does; drop --tier full")
    if options.steps is not None and options.steps < 1:
        raise TrimbenchError(f"--steps must be at least 1, not {options.steps}")
    if options.tier == "full":
        return Tier("full", None)
    return Tier("smoke", options.steps or config.smoke_steps)


def _line_filter(patterns: tuple[str, ...]):
    try:
        compiled = [re.compile(pattern.encode()) for pattern in patterns]
    except re.error as exc:
        raise TrimbenchError(f"--lines {exc.pattern!r}: not a valid regular expression ({exc})") from None
    return (lambda line: any(pattern.search(line) for pattern in compiled)) if compiled else None


@dataclass
class _Run:
    """What is shared by every variant of one run_checks call."""

    config: Config
    tier: Tier
    timeout: float
    goldens: Goldens
    input_file: data.InputFile
    interpreter: Interpreter
    patterns: tuple[str, ...]
    keep: Callable[[bytes], bool] | None  # the compiled patterns; None compares every line
    cache: VerdictCache | None
    progress: Progress | None

    def golden(self, interpreter: Interpreter) -> Golden:
        note = self.progress.note if self.progress else None
        return self.goldens.get(self.tier, interpreter, on_record=note)


def run_checks(config: Config, paths: Sequence[Path], options: CheckOptions = CheckOptions(),
               progress: Progress | None = None) -> list[Verdict]:
    tier = _tier(config, options)
    patterns = options.lines if options.lines is not None else config.compare_lines
    input_file = data.resolve(config, options.input)
    shared = _Run(config, tier, options.timeout or tier.timeout(config), Goldens(config, input_file), input_file,
                  interpreters.resolve(options.python), tuple(patterns), _line_filter(patterns),
                  VerdictCache(config.state_dir) if options.use_cache else None, progress)
    jobs = max(1, options.jobs or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda path: _check_one(shared, Path(path)), paths))


def _display(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _check_one(run: _Run, path: Path) -> Verdict:
    shown = _display(run.config, path)
    base = dict(path=shown, tier=run.tier.name, steps=run.tier.steps, interpreter=run.interpreter.name,
                lines_filter=run.patterns)
    try:
        raw = path.read_bytes()
        source = raw.decode("utf-8")
        compile(raw, str(path), "exec")
        runnable = run.tier.source_of(source, run.config)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, tiers.NoStepsVariable) as exc:
        return _finish(run, Verdict(verdict=Outcome.INVALID, seconds=0.0, detail=_invalid_reason(exc), **base))
    if run.tier.steps is None:
        base["steps"] = tiers.find_steps(source, run.config.steps_variable)
    digest = sha256(raw)
    key = cache_key(digest, run.golden(run.interpreter).id, run.interpreter.name, run.tier.name, run.tier.steps,
                    run.patterns)
    cached = run.cache.get(digest, key) if run.cache else None
    if cached is not None:
        return _finish(run, replace(cached, path=shown))
    if run.progress:
        run.progress.started(shown, base["steps"])
    verdict = _judge(run, path.name, runnable, run.interpreter, base)
    if run.cache:
        run.cache.put(digest, key, verdict)
    return _finish(run, verdict)


def _finish(run: _Run, verdict: Verdict) -> Verdict:
    if run.progress:
        run.progress.finished(verdict)
    return verdict


def _invalid_reason(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        return f"syntax error at line {exc.lineno}: {exc.msg}"
    if isinstance(exc, OSError):
        return f"cannot read it: {exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text: {exc}"
    return str(exc)


def _judge(run: _Run, name: str, source: str, interpreter: Interpreter, base: dict) -> Verdict:
    golden = run.golden(interpreter)
    numbers = [i for i, line in enumerate(golden.lines) if run.keep is None or run.keep(line)]
    expected = [golden.lines[i] for i in numbers]

    def on_line(line: bytes) -> None:
        match = STEP_LINE.match(line)
        if match and run.progress:
            run.progress.advanced(base["path"], int(match.group(1)))

    result = runner.run(source, name=name, interpreter=interpreter, input_file=run.input_file.path,
                        timeout=run.timeout, memory_mb=run.config.memory_mb, expected=expected, keep=run.keep,
                        on_line=on_line)
    if result.syntax_error is not None:
        if interpreter.is_pypy:  # PyPy speaks Python 3.9; this CPython parsed the file, so let it judge
            fallback = interpreters.running()
            verdict = _judge(run, name, source, fallback, {**base, "interpreter": fallback.name})
            note = f"{interpreter.name} cannot parse it ({result.syntax_error}), so CPython judged it"
            return replace(verdict, detail=f"{note}; {verdict.detail}")
        return Verdict(verdict=Outcome.INVALID, seconds=result.seconds, **base,
                       detail=f"{interpreter.name} cannot parse it: {result.syntax_error}")
    return _classify(run, result, golden, numbers, base)


def _text(line: bytes) -> str:
    return line.decode("utf-8", "replace").rstrip("\n")


def _classify(run: _Run, result: runner.RunResult, golden: Golden, numbers: list[int], base: dict) -> Verdict:
    def make(outcome: Outcome, detail: str, divergence: Divergence | None = None) -> Verdict:
        if run.patterns:
            detail += f" (compared only the lines matching {' or '.join(run.patterns)})"
        return Verdict(verdict=outcome, seconds=result.seconds, first_divergence=divergence, detail=detail,
                       stderr_tail=result.stderr_tail, **base)

    def position(index: int) -> tuple[int, int | None]:
        line = numbers[index] if index < len(numbers) else (numbers[-1] + 1 if numbers else 0)
        return line + 1, golden.step_of(line)

    matched = result.matched
    progress = f"after {matched} matching line{'s' * (matched != 1)}"
    if matched:
        step = golden.step_of(numbers[matched - 1])
        progress += f" (step {step})" if step is not None else ""
    if result.timed_out:
        return make(Outcome.TIMEOUT, f"no result within {run.timeout:g} s, {progress}")
    mismatch = result.mismatch
    if mismatch is not None and mismatch.actual is not None:
        line, step = position(mismatch.index)
        expected = golden.lines[numbers[mismatch.index]] if mismatch.index < len(numbers) else None
        shown_expected = END_OF_OUTPUT if expected is None else _text(expected)
        detail = f"line {line} differs"
        if expected is not None and expected.rstrip(b"\n") == mismatch.actual:
            detail = f"line {line} lacks its final newline"
        elif expected is None:
            detail = f"output goes on past the golden's last line (line {line})"
        return make(Outcome.DIVERGED, detail, Divergence(line, shown_expected, _text(mismatch.actual), step))
    if result.returncode != 0:
        code = result.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        last = result.stderr_tail.strip().splitlines()[-1:] or ["no error output"]
        return make(Outcome.CRASHED, f"{how} {progress}: {last[0]}")
    if mismatch is not None:  # exited 0 but printed less than the original
        line, step = position(mismatch.index)
        expected = _text(golden.lines[numbers[mismatch.index]])
        return make(Outcome.DIVERGED, f"output ends early, at line {line}", Divergence(line, expected, END_OF_OUTPUT, step))
    if result.digest == golden.digest:
        return make(Outcome.BIT_EXACT, "same stdout and the same floats as the original")
    return make(Outcome.TEXT_EXACT, "same stdout, but the floats differ from the original's (bit digest)")
