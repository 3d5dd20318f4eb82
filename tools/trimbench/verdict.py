"""What a check concludes about one variant: small frozen dataclasses, rendered elsewhere."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Outcome(str, Enum):
    BIT_EXACT = "bit-exact"  # same stdout and the same floats, to the last bit
    TEXT_EXACT = "text-exact"  # same stdout, byte for byte; the floats may differ
    DIVERGED = "diverged"
    CRASHED = "crashed"
    TIMEOUT = "timeout"
    INVALID = "invalid"  # could not be read or parsed, so never run

    def passes(self, strict: bool = False) -> bool:
        return self is Outcome.BIT_EXACT or (self is Outcome.TEXT_EXACT and not strict)


END_OF_OUTPUT = "<end of output>"


@dataclass(frozen=True)
class Divergence:
    """The first stdout line that differs; `line` numbers the golden's lines from 1."""

    line: int
    expected: str
    actual: str
    step: int | None = None  # the training step the line belongs to, None before the first


@dataclass(frozen=True)
class Verdict:
    path: str
    verdict: Outcome
    tier: str
    steps: int | None
    interpreter: str
    seconds: float
    first_divergence: Divergence | None = None
    detail: str = ""
    lines_filter: tuple[str, ...] = ()
    cached: bool = False
    stderr_tail: str = field(default="", repr=False)

    def passes(self, strict: bool = False) -> bool:
        return self.verdict.passes(strict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        data["lines_filter"] = list(self.lines_filter)
        data["seconds"] = round(self.seconds, 3)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Verdict:
        divergence = data.get("first_divergence")
        return cls(
            path=data["path"],
            verdict=Outcome(data["verdict"]),
            tier=data["tier"],
            steps=data["steps"],
            interpreter=data["interpreter"],
            seconds=data["seconds"],
            first_divergence=Divergence(**divergence) if divergence else None,
            detail=data.get("detail", ""),
            lines_filter=tuple(data.get("lines_filter", ())),
            cached=data.get("cached", False),
            stderr_tail=data.get("stderr_tail", ""),
        )
