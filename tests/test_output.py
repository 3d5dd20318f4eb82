"""Output lines: split on \\n, \\r\\n and \\r as they arrive, terminators kept; long lines shown short."""

from __future__ import annotations

import pytest

from trimbench.output import LineSplitter, body, shorten, split_lines, terminator


@pytest.mark.parametrize("chunks, lines", [
    pytest.param([b"a\nb\n"], [b"a\n", b"b\n"], id="newlines"),
    pytest.param([b"a\r\nb\r\n"], [b"a\r\n", b"b\r\n"], id="crlf"),
    pytest.param([b"step 1\rstep 2\rdone\n"], [b"step 1\r", b"step 2\r", b"done\n"], id="carriage-returns"),
    pytest.param([b"a\r", b"\nb\n"], [b"a\r\n", b"b\n"], id="crlf-split-across-chunks"),
    pytest.param([b"a\r", b"b\n"], [b"a\r", b"b\n"], id="cr-then-next-line"),
    pytest.param([b"ab", b"c\nd"], [b"abc\n", b"d"], id="last-line-without-terminator"),
    pytest.param([b"x\r"], [b"x\r"], id="trailing-cr-at-the-end"),
])
def test_streaming_split_matches_the_whole_split(chunks, lines):
    splitter = LineSplitter()
    got = [line for chunk in chunks for line, _ in splitter.feed(chunk)] + [line for line, _ in splitter.close()]
    assert got == lines == list(split_lines(b"".join(chunks)))
    assert splitter.offset == len(b"".join(chunks))


def test_offsets_are_the_end_of_each_line():
    splitter = LineSplitter()
    assert [end for _, end in splitter.feed(b"ab\ncd\r\ne")] == [3, 7]
    assert [end for _, end in splitter.close()] == [8]


@pytest.mark.parametrize("line, text, ending", [
    pytest.param(b"abc\r\n", b"abc", b"\r\n", id="crlf"),
    pytest.param(b"abc\r", b"abc", b"\r", id="cr"),
    pytest.param(b"abc", b"abc", b"", id="none"),
])
def test_body_and_terminator(line, text, ending):
    assert (body(line), terminator(line)) == (text, ending)


def test_shorten_shows_the_first_difference_of_long_lines():
    expected, actual = "x" * 30000 + "A" + "y" * 1000, "x" * 30000 + "B" + "y" * 1000
    short_expected, short_actual = shorten(expected, actual)
    assert len(short_expected) < 200 and "A" in short_expected and "B" in short_actual
    assert short_expected.startswith("…") and short_expected.endswith("…")
    assert shorten("short", "lines") == ("short", "lines")
