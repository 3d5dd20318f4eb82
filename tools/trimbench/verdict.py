"""What a check concludes about one variant, and what it was judged against: small frozen dataclasses.

Rendering lives elsewhere (the CLI, the report); a verdict read back from JSON is checked field by field,
so a damaged cache entry is refused rather than trusted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum

from .hashing import fingerprint


class Outcome(str, Enum):
    BIT_EXACT = "bit-exact"  # the same text and the same recorded values, to the last bit
    TEXT_EXACT = "text-exact"  # the same text, byte for byte; a value differs, or no float was observed
    DIVERGED = "diverged"  # a line differs (or, when only bit-exact can pass, a value): the run was stopped
    CRASHED = "crashed"
    TIMEOUT = "timeout"
    INVALID = "invalid"  # could not be read, parsed or prepared, so never run

    def passes(self, allow_text_exact: bool = False) -> bool:
        """Bit-exact passes; text-exact (the same text, other floats) only when it is allowed, on purpose."""
        return self is Outcome.BIT_EXACT or (self is Outcome.TEXT_EXACT and allow_text_exact)


END_OF_OUTPUT = "<end of output>"


@dataclass(frozen=True)
class Divergence:
    """The first difference: a line of text, or a value recorded for a line. `line` numbers the golden's lines."""

    line: int
    expected: str
    actual: str
    step: int | None = None  # the step the line belongs to, None before the first
    kind: str = "text"  # "text" or "value"
    what: str = ""  # for a value: what differs, e.g. "a formatted float"


@dataclass(frozen=True)
class Basis:
    """The hashes of what a verdict was judged against; with the verdict's tier, filter and interpreter, its
    provenance. A verdict means nothing for another original, input, golden or version of the judging code."""

    original_sha256: str
    inputs: tuple[tuple[str, str], ...]  # (name, sha256)
    golden_text_sha256: str
    golden_records_sha256: str
    judge: str  # hash of trimbench's judging code (probe, instrumentation, runner, comparison, classifier)
    stop_on_value: bool = False  # the run stopped at the first differing value (only bit-exact could pass)
    sandbox: str = "none"


@dataclass(frozen=True)
class Verdict:
    path: str
    outcome: Outcome
    tier: str
    steps: int | None  # the step count of the run (rewritten, or the program's own)
    interpreter: str
    seconds: float
    first_divergence: Divergence | None = None
    detail: str = ""
    compared: str = ""  # what the verdict rests on, e.g. "1,025 lines, 1,000 formatted floats, ..."
    lines_filter: tuple[str, ...] = ()
    first_lines: int | None = None  # judged on the golden's first lines only
    basis: Basis | None = None  # None when nothing ran (invalid)
    cached: bool = False
    stderr_tail: str = field(default="", repr=False)

    def passes(self, allow_text_exact: bool = False) -> bool:
        return self.outcome.passes(allow_text_exact)

    @property
    def tier_label(self) -> str:
        if self.first_lines is not None:
            return f"{self.tier} (first {self.first_lines} lines)"
        return f"{self.tier} ({self.steps} steps)" if self.steps else self.tier

    def to_json(self) -> dict:
        data = asdict(self)
        data["verdict"] = data.pop("outcome").value  # the public JSON's name for it, since the first version
        data["lines_filter"] = list(self.lines_filter)
        data["seconds"] = round(self.seconds, 3)
        if self.basis is not None:
            data["basis"]["inputs"] = [list(pair) for pair in self.basis.inputs]
        return data

    @classmethod
    def from_json(cls, data: object) -> Verdict:
        """The verdict `to_json` wrote; ValueError for anything of another shape."""
        data = _table(data, "verdict")
        basis = data.get("basis")
        divergence = data.get("first_divergence")
        try:
            return cls(
                path=_typed(data, "path", str),
                outcome=Outcome(data["verdict"]),
                tier=_typed(data, "tier", str),
                steps=_typed(data, "steps", int, optional=True),
                interpreter=_typed(data, "interpreter", str),
                seconds=float(_typed(data, "seconds", (int, float))),
                first_divergence=None if divergence is None else _divergence(divergence),
                detail=_typed(data, "detail", str),
                compared=_typed(data, "compared", str),
                lines_filter=tuple(_strings(data.get("lines_filter"), "lines_filter")),
                first_lines=_typed(data, "first_lines", int, optional=True),
                basis=None if basis is None else _basis(basis),
                cached=bool(data.get("cached", False)),
                stderr_tail=_typed(data, "stderr_tail", str),
            )
        except KeyError as exc:
            raise ValueError(f"verdict: no {exc.args[0]}") from None


@dataclass(frozen=True)
class Judgement:
    """What a verdict is asked for, in full: the key a cached verdict must match to be reused."""

    basis: Basis
    tier: str
    steps: int | None
    first_lines: int | None
    lines_filter: tuple[str, ...]
    interpreter: str  # the one asked for (a verdict may name the CPython that judged what PyPy could not parse)

    def key(self, source_sha256: str) -> str:
        return fingerprint(part.encode() for part in (source_sha256, repr(self)))


def _table(data: object, what: str) -> dict:
    if not isinstance(data, dict):
        raise ValueError(f"{what}: not a JSON object")
    return data


def _typed(data: dict, key: str, kind, optional: bool = False):
    value = data[key]
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"verdict: {key} has the wrong type")
    return value


def _strings(value: object, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"verdict: {key} must be a list of strings")
    return value


def _divergence(data: object) -> Divergence:
    data = _table(data, "first_divergence")
    names = {f.name for f in fields(Divergence)}
    if not set(data) <= names:
        raise ValueError("first_divergence: unknown fields")
    divergence = Divergence(**data)
    texts = (divergence.expected, divergence.actual, divergence.kind, divergence.what)
    if not isinstance(divergence.line, int) or not all(isinstance(text, str) for text in texts):
        raise ValueError("first_divergence: wrong types")
    return divergence


def _basis(data: object) -> Basis:
    data = _table(data, "basis")
    if set(data) != {f.name for f in fields(Basis)}:
        raise ValueError("basis: wrong fields")
    inputs = data["inputs"]
    if not isinstance(inputs, list) or not all(isinstance(p, list) and len(p) == 2 for p in inputs):
        raise ValueError("basis: inputs must be [name, sha256] pairs")
    basis = Basis(**{**data, "inputs": tuple((str(name), str(sha)) for name, sha in inputs)})
    text_fields = (basis.original_sha256, basis.golden_text_sha256, basis.golden_records_sha256, basis.judge,
                   basis.sandbox)
    if not all(isinstance(value, str) for value in text_fields) or not isinstance(basis.stop_on_value, bool):
        raise ValueError("basis: wrong types")
    return basis
