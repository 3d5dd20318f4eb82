"""The check: does a variant still print exactly what the original printed, and compute the same values?

run_checks() is the one entry point (the CLI, the report, publish and the refactoring loop call it). It resolves
the inputs, the interpreter and the goldens once, then judges each variant, side by side, reusing cached verdicts
only when everything they were judged against is the same. It raises TrimbenchError only for problems of the
whole run (no goldens, no input); a problem of one variant is that variant's verdict.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import libcst as cst

from . import inputs as inputs_module
from . import interpreters, provenance, runner, sandbox
from .cache import VerdictCache
from .classify import classify
from .compare import Expected
from .config import Config
from .errors import TrimbenchError
from .golden import Golden, Goldens
from .hashing import sha256
from .instrument import instrument_module
from .interpreters import Interpreter
from .project import label
from .sandbox import Sandbox
from .tiers import Tier, find_steps
from .verdict import Basis, Judgement, Outcome, Verdict


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
    stop_on_value: bool = False  # only bit-exact can pass: stop a run at its first differing value
    sandbox: str | None = None  # auto, bwrap or none; None: [tool.trimbench] sandbox


class Progress(Protocol):
    def started(self, path: str, steps: int | None) -> None: ...
    def advanced(self, path: str, step: int) -> None: ...
    def finished(self, verdict: Verdict) -> None: ...
    def note(self, message: str) -> None: ...


class _Invalid(Exception):
    """The variant cannot be run at all; the message is its verdict's detail."""


class Interrupted(KeyboardInterrupt):
    """The user interrupted the check; every run was killed. `verdicts` are those given before it."""

    def __init__(self, verdicts: list[Verdict]):
        super().__init__()
        self.verdicts = verdicts


def line_filter(patterns: Sequence[str]) -> Callable[[bytes], bool] | None:
    try:
        compiled = [re.compile(pattern.encode()) for pattern in patterns]
    except re.error as exc:
        raise TrimbenchError(f"--lines {exc.pattern!r}: not a valid regular expression ({exc})") from None
    return (lambda line: any(pattern.search(line) for pattern in compiled)) if compiled else None


@dataclass
class _Run:
    """What every variant of one run_checks call shares."""

    config: Config
    options: CheckOptions
    goldens: Goldens
    interpreter: Interpreter
    patterns: tuple[str, ...]
    keep: Callable[[bytes], bool] | None
    cache: VerdictCache | None
    progress: Progress | None
    sandbox: Sandbox

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.expected: dict[tuple[int, int | None], Expected] = {}
        self.step_pattern = re.compile(self.config.step_pattern.encode())

    def tier_for(self, module: cst.Module) -> Tier:
        """The tier this variant runs in: the smoke tier rewrites its steps when it and the original can."""
        options, config = self.options, self.config
        if options.tier == "full":
            return Tier("full")
        rewritable = self.goldens.can_rewrite_steps and find_steps(module, config.steps_variable) is not None
        if options.steps is not None:
            if not rewritable:
                whose = "the original" if not self.goldens.can_rewrite_steps else "the variant"
                raise _Invalid(f"--steps rewrites `{config.steps_variable} = <int>`, which {whose} does not have "
                               "at module level; run without --steps to judge its first lines")
            return Tier("smoke", options.steps)
        return Tier("smoke", config.smoke_steps) if rewritable else Tier("smoke", first_lines=config.smoke_lines)

    def golden(self, tier: Tier, interpreter: Interpreter) -> Golden:
        source = tier.golden if tier.steps is not None else Tier("full")  # as written: the full golden
        return self.goldens.get(source, interpreter, on_record=self.progress.note if self.progress else None)

    def expected_of(self, golden: Golden, tier: Tier) -> Expected:
        with self.lock:
            key = (id(golden), tier.first_lines)
            if key not in self.expected:
                self.expected[key] = golden.expected(self.keep, tier.first_lines)
            return self.expected[key]

    def basis(self, golden: Golden) -> Basis:
        return Basis(self.goldens.original_sha256, tuple(sorted(inputs_module.hashes(self.goldens.inputs).items())),
                     golden.text_sha256, golden.records_sha256, provenance.judge(), self.options.stop_on_value,
                     self.sandbox.kind)

    def timeout(self, tier: Tier) -> float:
        return self.options.timeout or self.config.timeout(tier)


def validate(options: CheckOptions) -> None:
    if options.tier not in ("smoke", "full"):
        raise TrimbenchError(f"unknown tier {options.tier!r}: choose smoke or full")
    if options.steps is not None and options.tier == "full":
        raise TrimbenchError("--steps rewrites the step count, which only the smoke tier does; drop --tier full")
    if options.steps is not None and options.steps < 1:
        raise TrimbenchError(f"--steps must be at least 1, not {options.steps}")


def prepare(config: Config, options: CheckOptions, progress: Progress | None = None) -> _Run:
    validate(options)
    patterns = tuple(options.lines if options.lines is not None else config.compare_lines)
    found = inputs_module.resolve(config, options.input)
    box = sandbox.choose(options.sandbox or config.sandbox)
    return _Run(config, options, Goldens(config, found, box), interpreters.resolve(options.python), patterns,
                line_filter(patterns), VerdictCache(config.state_dir) if options.use_cache else None, progress, box)


def run_checks(config: Config, paths: Sequence[Path], options: CheckOptions = CheckOptions(),
               progress: Progress | None = None) -> list[Verdict]:
    """A verdict per path, in order. On an interrupt every run is killed at once and Interrupted is raised
    with the verdicts given so far."""
    run = prepare(config, options, progress)
    jobs = max(1, options.jobs or os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=jobs)
    futures = [pool.submit(_check_one, run, Path(path)) for path in paths]
    try:
        return [future.result() for future in futures]
    except KeyboardInterrupt:
        runner.LIVE.stop()  # first: no run may outlive this, even if a second interrupt cuts the rest short
        pool.shutdown(wait=True, cancel_futures=True)
        raise Interrupted([f.result() for f in futures if f.done() and not f.cancelled() and f.exception() is None])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        runner.LIVE.resume()


def display(config: Config, path: Path) -> str:
    return label(config, path)


def _check_one(run: _Run, path: Path) -> Verdict:
    shown = display(run.config, path)
    base = dict(path=shown, tier=run.options.tier, steps=run.options.steps, interpreter=run.interpreter.name,
                lines_filter=run.patterns)
    try:
        return _checked(run, path, shown, base)
    except (TrimbenchError, runner.Stopped):
        raise  # a problem of the whole run (goldens, inputs), or an interrupt: not this variant's verdict
    except Exception as exc:  # noqa: BLE001 - one variant that cannot be judged must not end the others' run
        return _finish(run, Verdict(outcome=Outcome.INVALID, seconds=0.0, **base,
                                    detail=f"trimbench could not judge it: {type(exc).__name__}: {exc}"))


def _checked(run: _Run, path: Path, shown: str, base: dict) -> Verdict:
    try:
        source, module = _readable(path, run.config.max_source_kb)
        tier = run.tier_for(module)
    except _Invalid as exc:
        return _finish(run, Verdict(outcome=Outcome.INVALID, seconds=0.0, detail=str(exc), **base))
    golden = run.golden(tier, run.interpreter)
    steps = tier.steps if tier.first_lines is None else None
    if tier.name == "full":
        steps = find_steps(module, run.config.steps_variable) or golden.steps
    if tier.first_lines is not None and not run.expected_of(golden, tier).prefix:
        tier = Tier(tier.name, None, None)  # the golden is no longer than its first lines: the whole run is compared
    base.update(steps=steps, first_lines=tier.first_lines)
    digest = sha256(source.encode("utf-8"))
    judgement = Judgement(run.basis(golden), tier.name, steps, tier.first_lines, run.patterns, run.interpreter.name)
    cached = run.cache.get(digest, judgement) if run.cache else None
    if cached is not None:
        return _finish(run, replace(cached, path=shown))
    if run.progress:
        run.progress.started(shown, steps)
    verdict = judge(run, path.name, tier.rewrite(module, run.config.steps_variable), tier, run.interpreter, base)
    if run.cache:
        run.cache.put(digest, judgement, verdict)
    return _finish(run, verdict)


def _readable(path: Path, limit_kb: int) -> tuple[str, cst.Module]:
    """The variant's source and its parse, once it is known to be UTF-8 Python that CPython and libcst parse."""
    try:
        if path.stat().st_size > limit_kb * 1024:
            raise _Invalid(f"larger than {limit_kb} KB (max_source_kb); not a program to shrink")
        raw = path.read_bytes()
        source = raw.decode("utf-8")
        compile(raw, str(path), "exec", dont_inherit=True)
        module = cst.parse_module(source)
    except SyntaxError as exc:
        raise _Invalid(f"syntax error at line {exc.lineno}: {exc.msg}") from None
    except OSError as exc:
        raise _Invalid(f"cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise _Invalid(f"not UTF-8 text: {exc}") from None
    except ValueError as exc:  # a null byte
        raise _Invalid(f"cannot be compiled: {exc}") from None
    except cst.ParserSyntaxError as exc:
        raise _Invalid(f"libcst cannot parse it, so its values cannot be recorded: line {exc.raw_line}: "
                       f"{exc.message}") from None
    return source, module


def _finish(run: _Run, verdict: Verdict) -> Verdict:
    if run.progress:
        run.progress.finished(verdict)
    return verdict


def judge(run: _Run, name: str, module: cst.Module, tier: Tier, interpreter: Interpreter, base: dict) -> Verdict:
    """Run `module` (already rewritten for `tier`) on `interpreter` against its golden, and classify the run."""
    golden = run.golden(tier, interpreter)
    expected = run.expected_of(golden, tier)
    shown = base["path"]

    def on_line(line: bytes) -> None:
        match = run.step_pattern.search(line)
        if match and match.groups() and run.progress:
            run.progress.advanced(shown, int(match.group(1)))

    result = runner.run(module.code, instrumented=instrument_module(module), name=name, interpreter=interpreter,
                        inputs=[(item.name, item.path) for item in run.goldens.inputs], timeout=run.timeout(tier),
                        memory_mb=run.config.memory_mb, expected=expected, keep=run.keep,
                        stop_on_value=run.options.stop_on_value, on_line=on_line, sandbox=run.sandbox)
    if result.syntax_error is not None:
        if interpreter.is_pypy:  # PyPy speaks Python 3.9; this CPython parsed the file, so let it judge
            fallback = interpreters.running()
            verdict = judge(run, name, module, tier, fallback, {**base, "interpreter": fallback.name})
            note = f"{interpreter.name} cannot parse it ({result.syntax_error}), so CPython judged it"
            return replace(verdict, detail=f"{note}; {verdict.detail}")
        return Verdict(outcome=Outcome.INVALID, seconds=result.seconds, **base,
                       detail=f"{interpreter.name} cannot parse it: {result.syntax_error}")
    verdict = classify(result, golden, expected, timeout=run.timeout(tier), stop_on_value=run.options.stop_on_value,
                       basis=run.basis(golden), **base)
    if run.sandbox.kind == "none":  # every verdict says so: what a program can reach unsandboxed is in the README
        return replace(verdict, detail=f"{verdict.detail}; not sandboxed: {run.sandbox.why_not}")
    return verdict
