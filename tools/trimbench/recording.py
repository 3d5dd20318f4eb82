"""`golden record` and `golden verify`: the original's outputs, recorded twice to prove them deterministic, and
re-checked later with the same judge that checks variants.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import manifest as manifest_module
from . import provenance, records
from .check import CheckOptions, judge, prepare
from .config import Config
from .errors import TrimbenchError
from .fileio import write_atomic
from .golden import Recording, committed_tiers, first_difference, run_original, slug
from .hashing import sha256
from .inputs import InputFile, hashes
from .interpreters import Interpreter
from .manifest import Manifest, RecordsEntry, TierEntry
from .records import Counts, Record
from .runner import NO_SANDBOX
from .sandbox import Sandbox
from .tiers import Tier, find_steps
from .verdict import Outcome


def _values_differ(a: tuple[Record, ...], b: tuple[Record, ...], lines: tuple[bytes, ...]) -> str | None:
    for index, (x, y) in enumerate(zip(a, b)):
        if x.key != y.key:
            where = f"line {x.where}" if x.where <= len(lines) else "after the last line"
            return f"value {index + 1} ({where}): {records.show(x)} then {records.show(y)}"
    if len(a) != len(b):
        return f"one run recorded {len(a)} values, the other {len(b)}"
    return None


def record_tier(config: Config, inputs: tuple[InputFile, ...], interpreter: Interpreter, tier: Tier,
                on_line: Callable[[bytes], None] | None = None, sandbox: Sandbox = NO_SANDBOX) -> Recording:
    """Run the original twice at once (with different hash seeds) and return the run, if both runs agree."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(run_original, config, inputs, interpreter, tier, on_line, sandbox)
        second = pool.submit(run_original, config, inputs, interpreter, tier, None, sandbox)
        recording, other = first.result(), second.result()
    lines, found, again, found_again = recording.lines, recording.records, other.lines, other.records
    what = f"the original ({config.original.name}) is not deterministic on {interpreter.name}, {tier.label()}"
    problem = first_difference(lines, again)
    if problem is not None:
        raise TrimbenchError(f"{what}: its text differs between two runs at {problem}; seed its randomness "
                             "(random.seed) and avoid orders that depend on hashing, then record again")
    problem = _values_differ(found, found_again, lines)
    if problem is not None:
        raise TrimbenchError(f"{what}: the same text, but its values differ between two runs at {problem}")
    return recording


def record(config: Config, inputs: tuple[InputFile, ...], interpreter: Interpreter,
           on_line: Callable[[str, bytes], None] | None = None, sandbox: Sandbox = NO_SANDBOX) -> Manifest:
    """Record every committed tier and write golden/ atomically (the manifest last); returns the new manifest."""
    source = original_source(config)
    original_sha256 = sha256(source.encode("utf-8"))
    previous = _previous(config, original_sha256, hashes(inputs))
    files: dict[str, bytes] = {}
    tiers: dict[str, TierEntry] = {}
    for tier in committed_tiers(config, source):
        callback = (lambda line, name=tier.name: on_line(name, line)) if on_line else None
        recording = record_tier(config, inputs, interpreter, tier, callback, sandbox)
        lines, found = recording.lines, recording.records
        data = b"".join(lines)
        dumped = records.dump(found)
        counts = Counts.of(found)
        name = f"{tier.name}.{slug(interpreter.name)}.records"
        old = previous.get(tier.name)
        # Another interpreter's records stay valid while the original, the inputs and the text are the same.
        same_text = old is not None and old.sha256 == sha256(data)
        kept = {k: v for k, v in old.records.items() if k != interpreter.name} if same_text else {}
        steps = tier.steps if tier.steps is not None else find_steps(source, config.steps_variable)
        tiers[tier.name] = TierEntry(f"{tier.name}.txt", steps, len(lines), sha256(data),
                                     kept | {interpreter.name: RecordsEntry(name, sha256(dumped), len(found),
                                                                             counts.floats, counts.sampling_calls,
                                                                             round(recording.seconds, 1))})
        files[f"{tier.name}.txt"], files[name] = data, dumped
    manifest = Manifest(provenance.recorder(), config.original.relative_to(config.root).as_posix(), original_sha256,
                        hashes(inputs), tiers)
    for name, data in files.items():
        write_atomic(config.goldens / name, data)
    write_atomic(config.goldens / manifest_module.NAME, manifest.to_json())
    _remove_stale(config.goldens, manifest)
    return manifest


def original_source(config: Config) -> str:
    try:
        return config.original.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TrimbenchError(f"the original {config.original} does not exist; set `original` in "
                             "[tool.trimbench]") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TrimbenchError(f"the original {config.original}: cannot read it as UTF-8: {exc}") from None


def _previous(config: Config, original_sha256: str, inputs: dict[str, str]) -> dict[str, TierEntry]:
    try:
        old = manifest_module.load(config.goldens / manifest_module.NAME)
    except TrimbenchError:
        return {}
    same = (old.original_sha256, old.inputs, old.recorder) == (original_sha256, inputs, provenance.recorder())
    return old.tiers if same else {}


def _remove_stale(folder: Path, manifest: Manifest) -> None:
    """Golden files the new manifest no longer names (a smoke tier gone, records of an old text)."""
    named = {entry.file for entry in manifest.tiers.values()}
    named |= {item.file for entry in manifest.tiers.values() for item in entry.records.values()}
    for path in [*folder.glob("*.records"), folder / "smoke.txt"]:
        if path.name not in named and path.is_file():
            path.unlink()


@dataclass(frozen=True)
class Verification:
    tier: Tier
    reproduced: bool
    detail: str


def verify(config: Config, options: CheckOptions, tiers: tuple[str, ...]) -> list[Verification]:
    """Re-run the original against its committed goldens with the judge that checks variants: a determinism check.

    A tier the goldens do not have is skipped when more than one was asked for, else reported as not reproduced."""
    run = prepare(config, CheckOptions(python=options.python, input=options.input, lines=(), use_cache=False,
                                       sandbox=options.sandbox))
    source = original_source(config)
    results = []
    for name in tiers:
        tier = Tier("full") if name == "full" else Tier("smoke", config.smoke_steps)
        entry = run.goldens.entry(tier)
        if entry is None:
            if len(tiers) == 1:
                results.append(Verification(tier, False, f"{manifest_module.NAME} has no {name} tier (the original "
                                                         f"has no module-level `{config.steps_variable} = <int>`)"))
            continue
        base = dict(path=config.original.name, tier=tier.name, steps=tier.steps or entry.steps,
                    interpreter=run.interpreter.name, lines_filter=(), first_lines=None)
        verdict = judge(run, config.original.name, tier.rewrite(source, config.steps_variable), tier,
                        run.interpreter, base)
        reproduced = verdict.outcome is Outcome.BIT_EXACT or (verdict.outcome is Outcome.TEXT_EXACT
                                                               and verdict.first_divergence is None)
        detail = f"{verdict.compared} reproduced" if reproduced else f"{verdict.outcome.value}: {verdict.detail}"
        if verdict.first_divergence is not None and not reproduced:
            d = verdict.first_divergence
            detail += f"; expected {d.expected!r}, got {d.actual!r}"
        results.append(Verification(tier, reproduced, detail))
    return results
