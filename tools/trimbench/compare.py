"""One run compared with its golden while it runs: each stdout line as it completes, then the values recorded for it.

Pure: the runner feeds it the bytes of two pipes (stdout and the probe's records) and asks after each chunk
whether to stop. Every record carries the stdout offset at which it was made, so it belongs to the line being
written at that moment; a record is always written before the line it belongs to ends, and the runner drains
the records pipe before it feeds stdout, so a line's records are in hand when the line completes.
With no expectation it records instead: every line, and every record with the line it belongs to.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .output import LineSplitter
from .records import SYNTAX, Counts, Record, RecordReader

LINE_LIMIT = 4 << 20  # a pending line longer than this cannot be kept in memory to compare
RECORD_LIMIT = 256 << 20  # stdout bytes a recording keeps at most


@dataclass(frozen=True)
class Expected:
    """What a run must reproduce: golden lines (already filtered) and the golden records that belong to them."""

    lines: tuple[bytes, ...]
    numbers: tuple[int, ...]  # each line's 1-based number in the golden
    records: tuple[Record, ...]  # `where` is the golden line a record belongs to
    prefix: bool = False  # only the first lines of a longer run: stop once they match


@dataclass(frozen=True)
class TextMismatch:
    index: int  # position in Expected.lines; len(lines) when the output goes on past them
    actual: bytes | None  # None: the output ended before this line
    partial: bool = False  # judged before the line ended: too long, or no longer a prefix of the expected one


@dataclass(frozen=True)
class ValueMismatch:
    index: int  # position in Expected.records
    expected: Record | None  # None: the run recorded a value the golden does not have
    actual: Record | None  # None: the run ended without recording it


@dataclass(frozen=True)
class Comparison:
    """What a comparison found, once the run is over."""

    matched_lines: int
    kept_lines: int  # output lines that passed the line filter
    text: TextMismatch | None
    value: ValueMismatch | None
    counts: Counts  # the records that matched
    complete: bool  # every expected line and record matched (a prefix counts when its lines did)
    overflow: str | None = None  # why the output could not be compared or recorded in bounded memory
    lines: tuple[bytes, ...] = ()  # recording only
    records: tuple[Record, ...] = ()  # recording only


class Comparer:
    def __init__(self, expected: Expected | None, keep: Callable[[bytes], bool] | None = None,
                 stop_on_value: bool = False, on_line: Callable[[bytes], None] | None = None):
        self.expected, self.keep, self.stop_on_value, self.on_line = expected, keep, stop_on_value, on_line
        self.syntax_error: str | None = None  # the interpreter could not parse the program
        self.splitter, self.reader = LineSplitter(), RecordReader()
        self.pending: deque[Record] = deque()
        self.line_number = self.kept = self.matched = self.matched_records = 0
        self.text: TextMismatch | None = None
        self.value: ValueMismatch | None = None
        self.overflow: str | None = None
        self.done = False
        self.tally: list[Record] = []
        self.lines: list[bytes] = []
        self.records: list[Record] = []

    @property
    def stop(self) -> bool:
        """Nothing more to learn from the run: kill it now."""
        return (self.done or self.text is not None or self.overflow is not None
                or (self.stop_on_value and self.value is not None))

    def feed_records(self, chunk: bytes) -> None:
        for record in self.reader.feed(chunk):
            if record.kind == SYNTAX:
                self.syntax_error = record.value
            else:
                self.pending.append(record)

    def feed_stdout(self, chunk: bytes) -> None:
        for line, end in self.splitter.feed(chunk):
            self._line(line, end)
            if self.stop:
                return
        self._check_partial()

    def finish(self) -> Comparison:
        """Both pipes are at their end: judge the last line, the values after the output, and what is missing."""
        for line, end in self.splitter.close():
            if not self.stop:
                self._line(line, end)
        expected = self.expected
        if expected is None:
            self.records.extend(Record(r.kind, r.value, self.line_number + 1) for r in self.pending)
        elif not self.stop and not expected.prefix:
            self._values(list(self.pending))  # recorded after the last line: the final RNG state
            if self.matched < len(expected.lines):
                self.text = TextMismatch(self.matched, None)
            elif self.value is None and self.matched_records < len(expected.records):
                self.value = ValueMismatch(self.matched_records, expected.records[self.matched_records], None)
        elif expected.prefix and not self.done and self.text is None:
            self.text = TextMismatch(self.matched, None)
        clean = self.text is None and self.value is None and self.overflow is None
        complete = expected is not None and clean and (self.done or not expected.prefix)
        return Comparison(self.matched, self.kept, self.text, self.value, Counts.of(self.tally), complete,
                          self.overflow, tuple(self.lines), tuple(self.records))

    def _line(self, line: bytes, end: int) -> None:
        self.line_number += 1
        if self.on_line is not None:
            self.on_line(line)
        mine = []
        while self.pending and self.pending[0].where < end:
            mine.append(self.pending.popleft())
        if self.expected is None:
            self.lines.append(line)
            self.records.extend(Record(r.kind, r.value, self.line_number) for r in mine)
            if end > RECORD_LIMIT:
                self.overflow = f"it printed more than {RECORD_LIMIT >> 20} MB"
            return
        if self.keep is not None and not self.keep(line):
            return
        self.kept += 1
        lines = self.expected.lines
        if self.matched >= len(lines) or line != lines[self.matched]:
            self.text = TextMismatch(self.matched, line)
            return
        self.matched += 1
        self._values(mine)
        if self.expected.prefix and self.matched == len(lines):
            if self.value is None and self.matched_records < len(self.expected.records):
                self.value = ValueMismatch(self.matched_records, self.expected.records[self.matched_records], None)
            self.done = True

    def _values(self, records: list[Record]) -> None:
        expected = self.expected.records
        for record in records:
            if self.value is not None:
                return  # past the first difference the two sequences no longer line up
            index = self.matched_records
            wanted = expected[index] if index < len(expected) else None
            if wanted is None or wanted.key != record.key:
                self.value = ValueMismatch(index, wanted, record)
                return
            self.matched_records += 1
            self.tally.append(wanted)

    def _check_partial(self) -> None:
        """A line still being written is judged at once when it can no longer match (bounded memory)."""
        pending = self.splitter.pending
        if not pending or self.stop:
            return
        if self.expected is None or self.keep is not None:
            if len(pending) > LINE_LIMIT:
                self.overflow = f"a line longer than {LINE_LIMIT >> 20} MB could not be compared"
            return
        lines = self.expected.lines
        if self.matched >= len(lines) or not lines[self.matched].startswith(pending):
            self.text = TextMismatch(self.matched, pending[:LINE_LIMIT], partial=True)
