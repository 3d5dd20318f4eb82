"""A program's stdout as lines: split on `\\n`, `\\r\\n` and `\\r`, each line keeping its own terminator.

Text-exact means identical bytes, terminators included; splitting on all three only decides where one
line ends, so that a program printing its progress with `end='\\r'` is compared line by line too.
"""

from __future__ import annotations

from collections.abc import Iterator

TERMINATORS = (b"\r\n", b"\n", b"\r")
SHOWN = 160  # characters of a line shown around its first difference


def split_lines(data: bytes) -> tuple[bytes, ...]:
    return tuple(data.splitlines(keepends=True))  # bytes split on \n, \r\n and \r only


def body(line: bytes) -> bytes:
    """The line without its terminator."""
    for terminator in TERMINATORS:
        if line.endswith(terminator):
            return line[: -len(terminator)]
    return line


def terminator(line: bytes) -> bytes:
    return line[len(body(line)):]


class LineSplitter:
    """Complete lines out of stdout chunks as they arrive; a trailing `\\r` waits for the next byte (`\\r\\n`?)."""

    def __init__(self) -> None:
        self.pending = b""
        self.offset = 0  # bytes consumed into complete lines so far

    def feed(self, chunk: bytes) -> Iterator[tuple[bytes, int]]:
        """(line, offset of the byte after it) for each line that `chunk` completes."""
        data = self.pending + chunk
        lines = data.splitlines(keepends=True)
        self.pending = b""
        if lines and (not lines[-1].endswith(TERMINATORS) or lines[-1].endswith(b"\r")):
            self.pending = lines.pop()  # incomplete, or a `\r` that may be the first half of `\r\n`
        for line in lines:
            self.offset += len(line)
            yield line, self.offset

    def close(self) -> Iterator[tuple[bytes, int]]:
        """The last line, when the output ends without a terminator (or with a lone `\\r`)."""
        if self.pending:
            line, self.pending = self.pending, b""
            self.offset += len(line)
            yield line, self.offset


def describe_terminator(ending: bytes) -> str:
    return {b"\n": "`\\n`", b"\r\n": "`\\r\\n`", b"\r": "`\\r`", b"": "no line terminator"}[ending]


def text(line: bytes) -> str:
    """A line for people: decoded leniently, without its terminator."""
    return body(line).decode("utf-8", "replace")


def shorten(expected: str, actual: str, width: int = SHOWN) -> tuple[str, str]:
    """Both lines cut to about `width` characters around their first difference, marked with `…`."""
    if len(expected) <= width and len(actual) <= width:
        return expected, actual
    first = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b), min(len(expected), len(actual)))
    start = max(0, first - width // 2)

    def cut(line: str) -> str:
        piece = line[start:start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(line) else "")

    return cut(expected), cut(actual)
