"""Physical lines of source text, as Python and `wc -l` count them: the one line counter trimbench has.

Lines end at a newline only. str.splitlines also splits at form feeds, vertical tabs and U+2028, which may sit
inside a line (a form feed is even legal whitespace in Python), so it would count lines no editor shows.
"""

from __future__ import annotations

LINE_LENGTH = 120  # the longest line a compaction may have; honest lines are counted after black at this width


def physical_lines(text: str) -> list[str]:
    """The lines of `text`, without their newlines; a last line without one counts too."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def count(text: str) -> int:
    return len(physical_lines(text))


def longest(text: str) -> int:
    return max(map(len, physical_lines(text)), default=0)
