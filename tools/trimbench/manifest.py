"""golden/manifest.json: what the goldens were recorded from, read back field by field.

A manifest names the original and the inputs by sha256, the probe that recorded the values, and for each tier
its text file (steps, lines, sha256) and one records file per interpreter (PyPy and CPython floats differ in
the last bits). A manifest of any other shape is refused in one line that names the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import TrimbenchError

NAME = "manifest.json"
FORMAT = 2
RECORD = "record them again from the original with `trimbench golden record`"


@dataclass(frozen=True)
class RecordsEntry:
    file: str
    sha256: str
    count: int
    floats: int
    sampling_calls: int
    seconds: float | None = None  # how long the recording run took: what a full check will take, roughly


@dataclass(frozen=True)
class TierEntry:
    file: str
    steps: int | None  # the step count the original ran (rewritten for smoke; its own for full, when found)
    lines: int
    sha256: str
    records: dict[str, RecordsEntry]  # interpreter name -> its records


@dataclass(frozen=True)
class Manifest:
    recorder: str  # hash of the code that records values: records from another version cannot be compared
    original_path: str
    original_sha256: str
    inputs: dict[str, str]  # name -> sha256
    tiers: dict[str, TierEntry]

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "recorder": self.recorder,
            "original": {"path": self.original_path, "sha256": self.original_sha256},
            "inputs": self.inputs,
            "tiers": {name: asdict(entry) for name, entry in self.tiers.items()},
        }
        return json.dumps(data, indent=2) + "\n"


def load(path: Path) -> Manifest:
    """The manifest at `path`; TrimbenchError, naming the file, when it is missing or of another shape."""
    if not path.is_file():
        raise TrimbenchError(f"no goldens: {path} is missing; {RECORD}")
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as exc:
        if isinstance(exc, KeyError):
            problem = f"no field {exc.args[0]!r}"
        else:
            problem = exc.strerror if isinstance(exc, OSError) else str(exc) or type(exc).__name__
        raise TrimbenchError(f"{path} is not a trimbench manifest ({problem}); {RECORD}") from None


def parse(data: object) -> Manifest:
    _expect(isinstance(data, dict), "not a JSON object")
    _expect(data.get("format") == FORMAT, f"format {data.get('format')!r}, not {FORMAT}")
    original = data["original"]
    _expect(isinstance(original, dict), "original is not an object")
    tiers = data["tiers"]
    _expect(isinstance(tiers, dict) and "full" in tiers, "no full tier")
    return Manifest(
        recorder=_sha(data["recorder"], "recorder"),
        original_path=_str(original["path"], "original.path"),
        original_sha256=_sha(original["sha256"], "original.sha256"),
        inputs=_inputs(data["inputs"]),
        tiers={_str(name, "tier"): _tier(entry, name) for name, entry in tiers.items()},
    )


def _expect(condition: bool, problem: str) -> None:
    if not condition:
        raise ValueError(problem)


def _str(value: object, what: str) -> str:
    _expect(isinstance(value, str) and bool(value), f"{what} is not a string")
    return value


def _sha(value: object, what: str) -> str:
    _expect(isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None, f"{what} is not a sha256")
    return value


def _count(value: object, what: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    _expect(isinstance(value, int) and not isinstance(value, bool) and value >= 0, f"{what} is not a count")
    return value


def _file(value: object, what: str) -> str:
    name = _str(value, what)
    _expect("/" not in name and "\\" not in name and name not in (".", ".."), f"{what} is not a file name")
    return name


def _inputs(value: object) -> dict[str, str]:
    _expect(isinstance(value, dict), "inputs is not an object")
    return {_str(name, "input name"): _sha(sha, f"inputs.{name}") for name, sha in value.items()}


def _tier(entry: object, name: str) -> TierEntry:
    _expect(isinstance(entry, dict), f"tier {name} is not an object")
    records = entry["records"]
    _expect(isinstance(records, dict), f"tiers.{name}.records is not an object")
    return TierEntry(
        file=_file(entry["file"], f"tiers.{name}.file"),
        steps=_count(entry["steps"], f"tiers.{name}.steps", optional=True),
        lines=_count(entry["lines"], f"tiers.{name}.lines"),
        sha256=_sha(entry["sha256"], f"tiers.{name}.sha256"),
        records={_str(interpreter, "interpreter"): _records(item, f"tiers.{name}.records")
                 for interpreter, item in records.items()},
    )


def _records(entry: object, what: str) -> RecordsEntry:
    _expect(isinstance(entry, dict), f"{what} entry is not an object")
    return RecordsEntry(
        file=_file(entry["file"], f"{what}.file"),
        sha256=_sha(entry["sha256"], f"{what}.sha256"),
        count=_count(entry["count"], f"{what}.count"),
        floats=_count(entry["floats"], f"{what}.floats"),
        sampling_calls=_count(entry["sampling_calls"], f"{what}.sampling_calls"),
        seconds=_seconds(entry.get("seconds"), f"{what}.seconds"),
    )


def _seconds(value: object, what: str) -> float | None:
    if value is None:
        return None
    _expect(isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0, f"{what} is not seconds")
    return float(value)
