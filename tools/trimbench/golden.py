"""The original's recorded outputs: its stdout per tier, and per interpreter every value it formatted.

golden/ holds `<tier>.txt` (the text) and `<tier>.<interpreter>.records` (the values, see records.py) with
manifest.json (manifest.py). The floats of PyPy and CPython differ in the last bits, so records are kept per
interpreter. What the committed goldens lack (the records of another interpreter, another step count) is
recorded from the original on demand and kept in the per-user cache, never in golden/.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import inputs as inputs_module
from . import manifest as manifest_module
from . import provenance, records, runner
from .compare import Expected
from .config import Config
from .errors import TrimbenchError
from .fileio import write_atomic
from .hashing import fingerprint, sha256
from .inputs import InputFile
from .instrument import instrument_module
from .interpreters import Interpreter
from .manifest import RECORD, TierEntry
from .output import split_lines, text
from .records import Record
from .runner import NO_SANDBOX
from .sandbox import Sandbox
from .tiers import Tier, find_steps


@dataclass(frozen=True)
class Golden:
    tier: Tier  # "full", or "smoke" with its rewritten steps
    steps: int | None  # the step count the original ran
    lines: tuple[bytes, ...]
    records: tuple[Record, ...]  # `where` is the line each belongs to; len(lines) + 1 after the output
    interpreter: str
    step_pattern: str

    @cached_property
    def text_sha256(self) -> str:
        return sha256(b"".join(self.lines))

    @cached_property
    def records_sha256(self) -> str:
        return sha256(records.dump(self.records))

    @cached_property
    def _steps(self) -> tuple[int | None, ...]:
        pattern, steps, current = re.compile(self.step_pattern.encode()), [], None
        for line in self.lines:
            match = pattern.search(line)
            current = int(match.group(1)) if match and match.groups() else current
            steps.append(current)
        return tuple(steps)

    def step_of(self, line: int) -> int | None:
        """The step a golden line (1-based) belongs to: the last step line at or before it."""
        return self._steps[min(line, len(self._steps)) - 1] if self._steps and line >= 1 else None

    def expected(self, keep: Callable[[bytes], bool] | None = None, first_lines: int | None = None) -> Expected:
        """What a run must reproduce: the lines `keep` accepts (the first `first_lines` of them) and their records."""
        numbers = [n for n, line in enumerate(self.lines, 1) if keep is None or keep(line)]
        if first_lines is not None and first_lines >= len(numbers):
            first_lines = None  # the first lines are all of them: the run is compared to its end
        if first_lines is not None:
            numbers = numbers[:first_lines]
        wanted = set(numbers)
        trailing = first_lines is None  # values recorded after the last line: the final RNG state
        kept = tuple(r for r in self.records if r.where in wanted or (trailing and r.where > len(self.lines)))
        return Expected(tuple(self.lines[n - 1] for n in numbers), tuple(numbers), kept, first_lines is not None)


def slug(interpreter: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", interpreter.lower()).strip("-")


def cache_folder(original_sha256: str, input_hashes: dict[str, str]) -> Path:
    """Where goldens recorded on demand live: per original, inputs and probe, in the per-user cache."""
    key = fingerprint([original_sha256.encode(), repr(sorted(input_hashes.items())).encode(),
                       provenance.recorder().encode()])
    return inputs_module.cache_dir() / "goldens" / key[:24]


def cached_paths(folder: Path, tier: Tier, interpreter: str) -> tuple[Path, Path]:
    """The text and the records of a golden recorded on demand."""
    stem = f"{tier.name}-{tier.steps}"
    return folder / f"{stem}.txt", folder / f"{stem}.{slug(interpreter)}.records"


class Goldens:
    """The goldens of the project for its current original and inputs; refuses any recorded from others."""

    def __init__(self, config: Config, inputs: tuple[InputFile, ...], sandbox: Sandbox = NO_SANDBOX):
        self.config, self.inputs, self.sandbox = config, inputs, sandbox
        self.folder = config.goldens
        self.original_sha256 = sha256(_read(config.original))
        self.manifest = manifest_module.load(self.folder / manifest_module.NAME)
        self._check_sources()
        self._lock = threading.Lock()
        self._loaded: dict[tuple[Tier, str], Golden] = {}
        self._cache = cache_folder(self.original_sha256, inputs_module.hashes(inputs))

    def _check_sources(self) -> None:
        path, manifest = self.folder / manifest_module.NAME, self.manifest
        if manifest.original_sha256 != self.original_sha256:
            raise TrimbenchError(f"{path} was recorded from an original with sha256 {manifest.original_sha256}, but "
                                 f"{self.config.original} has sha256 {self.original_sha256}; restore the original "
                                 f"or {RECORD}")
        current = inputs_module.hashes(self.inputs)
        if manifest.inputs != current:
            raise TrimbenchError(f"{path} was recorded with the inputs {_show(manifest.inputs)}, but the inputs now "
                                 f"are {_show(current)}; {RECORD}")
        if manifest.recorder != provenance.recorder():
            raise TrimbenchError(f"{path} was recorded by another version of trimbench's probe, whose values cannot "
                                 f"be compared with this one's; {RECORD}")

    @property
    def can_rewrite_steps(self) -> bool:
        """Whether the original has a steps variable, so that the smoke tier can rewrite it."""
        return "smoke" in self.manifest.tiers

    def entry(self, tier: Tier) -> TierEntry | None:
        """The committed golden of `tier`, if golden/ holds it."""
        entry = self.manifest.tiers.get(tier.name)
        if entry is not None and (tier.name == "full" or entry.steps == tier.steps):
            return entry
        return None

    def get(self, tier: Tier, interpreter: Interpreter, on_record: Callable[[str], None] | None = None) -> Golden:
        """The golden of `tier` with the records of `interpreter`, recording what is missing (one at a time)."""
        with self._lock:
            if (tier, interpreter.name) not in self._loaded:
                self._loaded[tier, interpreter.name] = self._load(tier, interpreter, on_record)
            return self._loaded[tier, interpreter.name]

    def _load(self, tier: Tier, interpreter: Interpreter, on_record) -> Golden:
        entry = self.entry(tier)
        text_path, records_path = self._cached_paths(tier, interpreter)
        lines = self._committed_text(entry) if entry else (split_lines(text_path.read_bytes())
                                                           if text_path.is_file() else None)
        found: tuple[Record, ...] | None = None
        if entry is not None and interpreter.name in entry.records:
            found = self._committed_records(entry.records[interpreter.name])
        elif records_path.is_file():
            found = records.load(records_path.read_bytes())
        if found is None or lines is None:
            if on_record:
                on_record(f"recording the original's {tier.label()} run on {interpreter.name}, once")
            lines, found = self._record(tier, interpreter, lines)
            if entry is None:
                write_atomic(text_path, b"".join(lines))
            write_atomic(records_path, records.dump(found))
        steps = entry.steps if entry else tier.steps
        return Golden(tier, steps, lines, found, interpreter.name, self.config.step_pattern)

    def _cached_paths(self, tier: Tier, interpreter: Interpreter) -> tuple[Path, Path]:
        return cached_paths(self._cache, tier, interpreter.name)

    def _committed_text(self, entry: TierEntry) -> tuple[bytes, ...]:
        return split_lines(self._committed(entry.file, entry.sha256))

    def _committed_records(self, entry: manifest_module.RecordsEntry) -> tuple[Record, ...]:
        try:
            return records.load(self._committed(entry.file, entry.sha256))
        except ValueError:
            raise TrimbenchError(f"{self.folder / entry.file} is not a records file; {RECORD}") from None

    def _committed(self, name: str, digest: str) -> bytes:
        path = self.folder / name
        if not path.is_file():
            raise TrimbenchError(f"{path} is missing; {RECORD}")
        data = path.read_bytes()
        if sha256(data) != digest:
            raise TrimbenchError(f"{path} does not match its sha256 in {manifest_module.NAME}; goldens are "
                                 f"recorded, never edited: {RECORD}")
        return data

    def _record(self, tier: Tier, interpreter: Interpreter, lines: tuple[bytes, ...] | None):
        """Run the original in `tier` on `interpreter`; its text must agree with the golden text, if there is one."""
        recording = run_original(self.config, self.inputs, interpreter, tier, sandbox=self.sandbox)
        got_lines, got = recording.lines, recording.records
        if lines is not None and got_lines != lines:
            line = next((i for i, (a, b) in enumerate(zip(lines, got_lines), 1) if a != b),
                        min(len(lines), len(got_lines)) + 1)
            raise TrimbenchError(f"the original on {interpreter.name} does not print its golden text "
                                 f"(first difference at line {line}); is it deterministic?")
        return got_lines, got


@dataclass(frozen=True)
class Recording:
    lines: tuple[bytes, ...]
    records: tuple[Record, ...]  # `where` is the line each belongs to
    seconds: float


def run_original(config: Config, inputs: tuple[InputFile, ...], interpreter: Interpreter, tier: Tier,
                 on_line: Callable[[bytes], None] | None = None, sandbox: Sandbox = NO_SANDBOX) -> Recording:
    """Run the original in `tier`, recording: its stdout lines and every record with the line it belongs to."""
    source = _read(config.original).decode("utf-8")
    where = f"the original ({config.original.name}) on {interpreter.name}, {tier.label()}"
    module = tier.rewrite(source, config.steps_variable)
    result = runner.run(module.code, instrumented=instrument_module(module), name=config.original.name,
                        interpreter=interpreter, inputs=[(item.name, item.path) for item in inputs],
                        timeout=config.timeout(tier), memory_mb=config.memory_mb, on_line=on_line, sandbox=sandbox)
    if result.timed_out:
        raise TrimbenchError(f"{where} did not finish within {config.timeout(tier):.0f} s")
    if result.syntax_error is not None:
        raise TrimbenchError(f"{where}: {interpreter.name} cannot parse it: {result.syntax_error}")
    if result.comparison.overflow is not None:
        raise TrimbenchError(f"{where} cannot be recorded: {result.comparison.overflow}")
    if result.returncode != 0:
        last = result.stderr_tail.strip().splitlines()[-1:] or ["no error output"]
        raise TrimbenchError(f"{where} failed (exit {result.returncode}): {last[0]}")
    return Recording(result.comparison.lines, result.comparison.records, result.seconds)


def first_difference(a: tuple[bytes, ...], b: tuple[bytes, ...]) -> str | None:
    """Where two recordings of the same run first differ, for people; None when they are the same."""
    for number, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return f"line {number}: {text(x)!r} then {text(y)!r}"
    if len(a) != len(b):
        return f"one run printed {len(a)} lines, the other {len(b)}"
    return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TrimbenchError(f"the original {path} does not exist; set `original` in [tool.trimbench]") from None
    except OSError as exc:
        raise TrimbenchError(f"the original {path}: cannot read it: {exc.strerror or exc}") from None


def _show(hashes: dict[str, str]) -> str:
    return ", ".join(f"{name} ({sha[:12]}…)" for name, sha in sorted(hashes.items())) or "none"


def committed_tiers(config: Config, source: str) -> tuple[Tier, ...]:
    """The tiers `golden record` writes: full, and smoke when the original's step count can be rewritten."""
    smoke = (Tier("smoke", config.smoke_steps),) if find_steps(source, config.steps_variable) is not None else ()
    return (Tier("full"), *smoke)

