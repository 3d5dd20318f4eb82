"""What the probe records beside stdout: every value a program formats for output, and its random stream.

The probe writes one text line per record, `<stdout offset> <kind> <value>`, on a pipe that only trimbench
reads. Floats are written as `float.hex`, so two records are equal exactly when the values are equal to the
last bit. A golden keeps the same records with the golden line each belongs to instead of the offset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FLOAT, COMPLEX, ARRAY, WEIGHTS, CUM_WEIGHTS, STATE, SYNTAX = "f", "c", "a", "w", "W", "s", "x"
KINDS = {FLOAT: "float", COMPLEX: "complex number", ARRAY: "array", WEIGHTS: "sampling weights",
         CUM_WEIGHTS: "sampling cumulative weights", STATE: "final RNG state"}
SAMPLING = (WEIGHTS, CUM_WEIGHTS)


@dataclass(frozen=True)
class Record:
    kind: str
    value: str
    where: int  # in a run: the stdout offset when it was recorded; in a golden: the 1-based line it belongs to

    @property
    def key(self) -> tuple[str, str]:
        """What two runs must agree on; where it was recorded may differ (a value formatted earlier)."""
        return self.kind, self.value

    @property
    def float_valued(self) -> bool:
        if self.kind == ARRAY:
            return self.value.split(" ", 1)[0][1:2] in ("f", "c")  # dtype.str such as '<f8'
        return self.kind in (FLOAT, COMPLEX, WEIGHTS, CUM_WEIGHTS)


def parse_line(line: bytes) -> Record:
    where, kind, value = line.decode("ascii", "replace").rstrip("\n").split(" ", 2)
    return Record(kind, value, int(where))


class RecordReader:
    """Records out of pipe chunks as they arrive."""

    def __init__(self) -> None:
        self.pending = b""

    def feed(self, chunk: bytes) -> list[Record]:
        *complete, self.pending = (self.pending + chunk).split(b"\n")
        return [parse_line(line) for line in complete if line]


def dump(records: Iterable[Record]) -> bytes:
    """A golden's records file: one `<line> <kind> <value>` per record."""
    return "".join(f"{record.where} {record.kind} {record.value}\n" for record in records).encode("ascii")


def load(data: bytes) -> tuple[Record, ...]:
    return tuple(parse_line(line) for line in data.splitlines() if line)


def _float(text: str) -> str:
    return repr(float.fromhex(text))


def show(record: Record | None) -> str:
    """One value for people, in full precision."""
    if record is None:
        return "no value"
    kind, value = record.kind, record.value
    if kind == FLOAT:
        return _float(value)
    if kind == COMPLEX:
        real, imag = value.split(",")
        return repr(complex(float.fromhex(real), float.fromhex(imag)))
    if kind == ARRAY:
        dtype, shape, digest = value.split(" ")
        return f"{dtype} array of shape ({shape.replace('x', ', ')}), bytes sha256 {digest[:16]}…"
    if kind in SAMPLING:
        weights = value.split(" ")
        return f"{KINDS[kind]} [{', '.join(_float(w) for w in weights[:4])}{', …' if len(weights) > 4 else ''}]"
    if kind == STATE:
        return "untouched (the program never used random)" if value == "unused" else f"sha256 {value[:16]}…"
    return value


def difference(expected: Record | None, actual: Record | None) -> tuple[str, str, str]:
    """(what differs, expected, actual) for people: sampling weights name their first differing weight."""
    if expected is not None and actual is not None and expected.kind == actual.kind and expected.kind in SAMPLING:
        ours, theirs = expected.value.split(" "), actual.value.split(" ")
        for index, (a, b) in enumerate(zip(ours, theirs)):
            if a != b:
                return f"weight {index + 1} of {len(ours)} passed to random.choices", _float(a), _float(b)
        return "the number of weights passed to random.choices", str(len(ours)), str(len(theirs))
    kind = (expected or actual).kind
    what = f"a formatted {KINDS[kind]}" if kind in (FLOAT, COMPLEX, ARRAY) else KINDS.get(kind, kind)
    return what, show(expected), show(actual)


@dataclass(frozen=True)
class Counts:
    """How many records of each sort a comparison matched: what the verdict can say it compared."""

    floats: int = 0  # formatted float-valued values (floats, complex numbers, float arrays)
    arrays: int = 0  # formatted arrays of other dtypes
    sampling_calls: int = 0
    state: bool = False

    @classmethod
    def of(cls, records: Iterable[Record]) -> Counts:
        floats = arrays = calls = 0
        state = False
        for record in records:
            if record.kind in SAMPLING:
                calls += 1
            elif record.kind == STATE:
                state = True
            elif record.float_valued:
                floats += 1
            else:
                arrays += 1
        return cls(floats, arrays, calls, state)

    @property
    def any_float(self) -> bool:
        return bool(self.floats or self.sampling_calls)
