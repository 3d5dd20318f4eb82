"""The original's recorded outputs, and the manifest that says what they were recorded from.

golden/full.txt and golden/smoke.txt hold the original's stdout in the full and smoke tiers;
golden/manifest.json holds the sha256 of the original and the input, each tier's step count and
text hash, and its bit digests. The floats of PyPy and CPython differ in the last bits, so there
is one digest per interpreter. A digest, or a golden for another step count, that the manifest
lacks is recorded from the original on demand and kept in the per-user cache, never in golden/.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import __version__, data, runner, tiers
from .cache import sha256
from .config import Config
from .data import InputFile
from .errors import TrimbenchError
from .fileio import write_atomic
from .interpreters import Interpreter

MANIFEST = "manifest.json"
STEP_LINE = re.compile(rb"^step\s+(\d+)\s*/\s*(\d+)")


@dataclass(frozen=True)
class Tier:
    name: str  # "full" (the program as written) or "smoke" (num_steps rewritten)
    steps: int | None  # None: as written

    def source_of(self, source: str, config: Config) -> str:
        return source if self.steps is None else tiers.with_steps(source, self.steps, config.steps_variable)

    def timeout(self, config: Config) -> float:
        return config.timeout_full if self.name == "full" else config.timeout_smoke


@dataclass(frozen=True)
class Golden:
    tier: Tier
    lines: tuple[bytes, ...]
    digest: str
    interpreter: str

    @cached_property
    def text_sha256(self) -> str:
        return sha256(b"".join(self.lines))

    @property
    def id(self) -> str:
        return f"{self.text_sha256}:{self.digest}"

    @cached_property
    def _steps(self) -> tuple[int | None, ...]:
        steps, current = [], None
        for line in self.lines:
            match = STEP_LINE.match(line)
            current = int(match.group(1)) if match else current
            steps.append(current)
        return tuple(steps)

    def step_of(self, index: int) -> int | None:
        """The training step a line belongs to: the last `step k` line at or before it."""
        return self._steps[min(index, len(self._steps) - 1)] if self._steps else None


def split_lines(text: bytes) -> tuple[bytes, ...]:
    return tuple(text.splitlines(keepends=True))


def run_original(config: Config, input_file: InputFile, interpreter: Interpreter, tier: Tier,
                 expected: tuple[bytes, ...] | None = None,
                 on_line: Callable[[bytes], None] | None = None) -> tuple[tuple[bytes, ...], str]:
    """Run the original in `tier`: its stdout lines and bit digest. With `expected`, confirm it reproduces them."""
    source = config.original.read_text(encoding="utf-8")
    result = runner.run(tier.source_of(source, config), name=config.original.name, interpreter=interpreter,
                        input_file=input_file.path, timeout=tier.timeout(config), memory_mb=config.memory_mb,
                        expected=expected, on_line=on_line)
    where = f"the original on {interpreter.name} ({tier.name} tier)"
    if result.timed_out:
        raise TrimbenchError(f"{where} did not finish within {tier.timeout(config):.0f} s")
    if result.mismatch is not None:
        line, got = result.mismatch.index + 1, result.mismatch.actual
        raise TrimbenchError(f"{where} does not reproduce its golden at line {line}: "
                             f"expected {expected[line - 1]!r}, got {got!r}; is the run deterministic?")
    if result.returncode != 0 or result.digest is None:
        last = result.stderr_tail.strip().splitlines()[-1:] or ["no error output"]
        raise TrimbenchError(f"{where} failed (exit {result.returncode}): {last[0]}")
    return (expected if expected is not None else result.lines), result.digest


class Goldens:
    """The goldens of the project for its current original and input file."""

    def __init__(self, config: Config, input_file: InputFile):
        self.config, self.input_file = config, input_file
        self.folder = config.goldens
        self.original_sha256 = sha256(config.original.read_bytes())
        self.manifest = self._load_manifest()
        self._lock = threading.Lock()
        self._loaded: dict[tuple[Tier, str], Golden] = {}
        self._cache = data.cache_dir() / "goldens" / f"{self.original_sha256[:16]}-{input_file.sha256[:16]}"

    def _load_manifest(self) -> dict:
        path = self.folder / MANIFEST
        if not path.is_file():
            raise TrimbenchError(f"no goldens: {path} is missing; record them from the original with "
                                 f"`trimbench golden record`")
        manifest = json.loads(path.read_text(encoding="utf-8"))
        recorded, current = manifest["original"]["sha256"], self.original_sha256
        if recorded != current:
            raise TrimbenchError(f"{path} was recorded from an original with sha256 {recorded}, but "
                                 f"{self.config.original} has sha256 {current}; restore the original or "
                                 f"re-record with `trimbench golden record`")
        recorded, current = manifest["input"]["sha256"], self.input_file.sha256
        if recorded != current:
            raise TrimbenchError(f"{path} was recorded with an input of sha256 {recorded}, but the input "
                                 f"{self.input_file.path} (from {self.input_file.source}) has sha256 {current}")
        return manifest

    def committed_tier(self, tier: Tier) -> dict | None:
        entry = self.manifest["tiers"].get(tier.name)
        if entry is not None and (tier.name == "full" or entry["steps"] == tier.steps):
            return entry
        return None

    def get(self, tier: Tier, interpreter: Interpreter,
            on_record: Callable[[str], None] | None = None) -> Golden:
        """The golden of `tier` with the digest of `interpreter`, recording what is missing (one at a time)."""
        with self._lock:
            if (tier, interpreter.name) in self._loaded:
                return self._loaded[tier, interpreter.name]
            entry = self.committed_tier(tier)
            lines = self.committed_lines(entry) if entry else self._cached_lines(tier, interpreter, on_record)
            digest = (entry or {}).get("digests", {}).get(interpreter.name)
            if digest is None:
                digest = self._cached_digest(tier, interpreter, lines, on_record)
            golden = self._loaded[tier, interpreter.name] = Golden(tier, lines, digest, interpreter.name)
            return golden

    def committed_lines(self, entry: dict) -> tuple[bytes, ...]:
        path = self.folder / entry["file"]
        if not path.is_file():
            raise TrimbenchError(f"{path} is missing; record the goldens with `trimbench golden record`")
        text = path.read_bytes()
        if sha256(text) != entry["sha256"]:
            raise TrimbenchError(f"{path} does not match its sha256 in {MANIFEST}; goldens are recorded, "
                                 f"never edited: re-record with `trimbench golden record`")
        return split_lines(text)

    def _cached_lines(self, tier, interpreter, on_record) -> tuple[bytes, ...]:
        path = self._cache / f"steps-{tier.steps}.txt"
        if not path.is_file():
            if on_record:
                on_record(f"recording the original's output for {tier.steps} steps on {interpreter.name}")
            lines, digest = run_original(self.config, self.input_file, interpreter, tier)
            self._remember_digest(tier, interpreter, digest)
            write_atomic(path, b"".join(lines))
        return split_lines(path.read_bytes())

    def _digest_path(self, tier: Tier) -> Path:
        return self._cache / f"digests-{tier.name}-{tier.steps}.json"

    def _cached_digests(self, tier: Tier) -> dict:
        path = self._digest_path(tier)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def _remember_digest(self, tier: Tier, interpreter: Interpreter, digest: str) -> None:
        digests = self._cached_digests(tier) | {interpreter.name: digest}
        write_atomic(self._digest_path(tier), json.dumps(digests, indent=1))

    def _cached_digest(self, tier, interpreter, lines, on_record) -> str:
        digest = self._cached_digests(tier).get(interpreter.name)
        if digest is None:
            if on_record:
                on_record(f"recording the original's bit digest on {interpreter.name} ({tier.name} tier, once)")
            _, digest = run_original(self.config, self.input_file, interpreter, tier, expected=lines)
            self._remember_digest(tier, interpreter, digest)
        return digest


def committed_tiers(config: Config) -> tuple[Tier, Tier]:
    return Tier("full", None), Tier("smoke", config.smoke_steps)


def record(config: Config, input_file: InputFile, interpreter: Interpreter,
           on_line: Callable[[str, bytes], None] | None = None) -> dict:
    """Run the original in both committed tiers and write golden/ atomically; returns the new manifest."""
    source = config.original.read_bytes()
    manifest = {
        "trimbench": __version__,
        "original": {"path": config.original.relative_to(config.root).as_posix(),
                     "sha256": sha256(source)},
        "input": {"sha256": input_file.sha256},
        "recorded_with": interpreter.name,
        "tiers": {},
    }
    previous = _previous_tiers(config, manifest)
    texts = {}
    for tier in committed_tiers(config):
        callback = (lambda line, name=tier.name: on_line(name, line)) if on_line else None
        lines, digest = run_original(config, input_file, interpreter, tier, on_line=callback)
        text = b"".join(lines)
        sha = sha256(text)
        old = previous.get(tier.name, {})
        # Another interpreter's digest stays valid while the original, the input and the text are unchanged.
        digests = old.get("digests", {}) if old.get("sha256") == sha else {}
        steps = tier.steps if tier.steps is not None else tiers.find_steps(source.decode(), config.steps_variable)
        manifest["tiers"][tier.name] = {"file": f"{tier.name}.txt", "steps": steps, "lines": len(lines),
                                        "sha256": sha, "digests": digests | {interpreter.name: digest}}
        texts[tier.name] = text
    for name, text in texts.items():
        write_atomic(config.goldens / f"{name}.txt", text)
    write_atomic(config.goldens / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return manifest


def _previous_tiers(config: Config, manifest: dict) -> dict:
    try:
        old = json.loads((config.goldens / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    same_sources = old.get("original") == manifest["original"] and old.get("input") == manifest["input"]
    return old.get("tiers", {}) if same_sources else {}


@dataclass(frozen=True)
class Verification:
    tier: Tier
    reproduced: bool
    detail: str


def verify(goldens: Goldens, interpreter: Interpreter, tier: Tier) -> Verification:
    """Re-run the original and confirm it reproduces the committed golden: a determinism check."""
    entry = goldens.committed_tier(tier)
    if entry is None:
        return Verification(tier, False, f"{MANIFEST} has no {tier.name} tier")
    try:
        lines = goldens.committed_lines(entry)
        _, digest = run_original(goldens.config, goldens.input_file, interpreter, tier, expected=lines)
    except TrimbenchError as exc:
        return Verification(tier, False, str(exc))
    recorded = entry.get("digests", {}).get(interpreter.name)
    if recorded is None:
        return Verification(tier, True, f"{len(lines)} lines reproduced; {MANIFEST} holds no digest for "
                                        f"{interpreter.name} to compare")
    if recorded != digest:
        return Verification(tier, False, f"{len(lines)} lines reproduced, but the bit digest differs on "
                                         f"{interpreter.name}: {digest} instead of {recorded}")
    return Verification(tier, True, f"{len(lines)} lines and the bit digest reproduced on {interpreter.name}")
