"""The streaming comparison, fed by hand: lines and their values, stops, prefixes, filters and recording."""

from __future__ import annotations

import pytest

from trimbench import compare
from trimbench.compare import Comparer, Expected, TextMismatch, ValueMismatch
from trimbench.records import Record

GOLDEN_LINES = (b"header\n", b"step 1 loss 0.5\n", b"step 2 loss 0.25\n", b"done\n")
GOLDEN_RECORDS = (Record("f", "0x1.0p-1", 2), Record("f", "0x1.0p-2", 3), Record("s", "unused", 5))


def expected(first_lines=None, keep=None):
    numbers = [n for n, line in enumerate(GOLDEN_LINES, 1) if keep is None or keep(line)][:first_lines]
    trailing = first_lines is None
    kept = tuple(r for r in GOLDEN_RECORDS if r.where in numbers or (trailing and r.where > len(GOLDEN_LINES)))
    return Expected(tuple(GOLDEN_LINES[n - 1] for n in numbers), tuple(numbers), kept, first_lines is not None)


def run(comparer, lines, values, final=("s", "unused")):
    """Feed a run that prints `lines`, recording `values` (line index -> [(kind, value)]) just before each line."""
    offset = 0
    for index, line in enumerate(lines):
        records = b"".join(f"{offset} {kind} {value}\n".encode() for kind, value in values.get(index, ()))
        comparer.feed_records(records)
        comparer.feed_stdout(line)
        offset += len(line)
        if comparer.stop:
            return comparer.finish()
    if final:
        comparer.feed_records(f"{offset} {final[0]} {final[1]}\n".encode())
    return comparer.finish()


SAME_VALUES = {1: [("f", "0x1.0p-1")], 2: [("f", "0x1.0p-2")]}


def test_the_same_run_matches_every_line_and_value():
    result = run(Comparer(expected()), GOLDEN_LINES, SAME_VALUES)
    assert result.complete and (result.text, result.value) == (None, None)
    assert (result.matched_lines, result.counts.floats, result.counts.state) == (4, 2, True)


@pytest.mark.parametrize("lines, index, actual", [
    pytest.param((b"header\n", b"step 1 loss 0.6\n"), 1, b"step 1 loss 0.6\n", id="a-line-differs"),
    pytest.param((b"header\r\n",), 0, b"header\r\n", id="only-the-terminator-differs"),
    pytest.param((*GOLDEN_LINES, b"extra\n"), 4, b"extra\n", id="output-goes-on"),
])
def test_text_mismatch_stops_at_once(lines, index, actual):
    comparer = Comparer(expected())
    result = run(comparer, lines, SAME_VALUES)
    assert result.text == TextMismatch(index, actual) and not result.complete


def test_output_that_ends_early():
    result = run(Comparer(expected()), GOLDEN_LINES[:2], SAME_VALUES)
    assert result.text == TextMismatch(2, None)


@pytest.mark.parametrize("partial", [
    pytest.param(b"headex", id="no-longer-a-prefix"),
    pytest.param(b"header and more", id="longer-than-the-expected-line"),
])
def test_a_line_still_being_written_is_judged_before_its_end(partial):
    comparer = Comparer(expected())
    comparer.feed_stdout(partial)
    assert comparer.stop and comparer.text == TextMismatch(0, partial, partial=True)


def test_a_prefix_of_the_expected_line_waits_for_more():
    comparer = Comparer(expected())
    comparer.feed_stdout(b"head")
    assert not comparer.stop


def test_a_differing_value_is_reported_and_the_text_still_compared():
    values = {1: [("f", "0x1.0000000000001p-1")], 2: [("f", "0x1.0p-2")]}
    result = run(Comparer(expected()), GOLDEN_LINES, values)
    assert result.text is None and result.matched_lines == 4 and not result.complete
    assert result.value == ValueMismatch(0, GOLDEN_RECORDS[0], Record("f", "0x1.0000000000001p-1", 7))


def test_with_stop_on_value_the_first_differing_value_stops_the_run():
    comparer = Comparer(expected(), stop_on_value=True)
    run(comparer, GOLDEN_LINES, {1: [("f", "0x1.8p-1")]})
    assert comparer.stop and comparer.matched == 2 and comparer.value.index == 0


@pytest.mark.parametrize("values, final, index, actual", [
    pytest.param({1: [("f", "0x1.0p-1")]}, ("s", "unused"), 1, ("s", "unused"), id="a-value-missing"),
    pytest.param({**SAME_VALUES, 3: [("f", "0x1.0p+0")]}, ("s", "unused"), 2, ("f", "0x1.0p+0"), id="an-extra-value"),
    pytest.param(SAME_VALUES, None, 2, None, id="no-final-state"),
])
def test_values_missing_or_extra(values, final, index, actual):
    mismatch = run(Comparer(expected()), GOLDEN_LINES, values, final).value
    assert (mismatch.index, mismatch.expected) == (index, GOLDEN_RECORDS[index])
    assert (mismatch.actual and mismatch.actual.key) == actual


def test_values_formatted_early_still_belong_to_their_line():
    """A record made before an earlier line was printed is compared in order all the same."""
    comparer = Comparer(expected())
    comparer.feed_records(b"0 f 0x1.0p-1\n0 f 0x1.0p-2\n")  # both values formatted before the header
    for line in GOLDEN_LINES:
        comparer.feed_stdout(line)
    comparer.feed_records(b"48 s unused\n")
    assert comparer.finish().complete


def test_a_prefix_stops_once_its_lines_match():
    comparer = Comparer(expected(first_lines=2))
    result = run(comparer, GOLDEN_LINES, SAME_VALUES)
    assert comparer.done and result.complete and result.matched_lines == 2 and result.counts.floats == 1
    assert not result.counts.state  # the run was stopped before its end


def test_filter_skips_lines_and_their_values_on_both_sides():
    keep = lambda line: line.startswith(b"step")  # noqa: E731
    lines = (b"another header\n", *GOLDEN_LINES[1:3], b"other end\n")
    values = {0: [("f", "0x1.8p+3")], **SAME_VALUES}  # a value on a line the filter drops
    result = run(Comparer(expected(keep=keep), keep=keep), lines, values)
    assert result.complete and result.kept_lines == 2


def test_recording_keeps_lines_and_the_line_each_value_belongs_to():
    result = run(Comparer(None), GOLDEN_LINES, SAME_VALUES)
    assert result.lines == GOLDEN_LINES and result.records == GOLDEN_RECORDS


def test_syntax_error_record_is_taken_apart():
    comparer = Comparer(None)
    comparer.feed_records(b"0 x line 3: invalid syntax\n")
    assert comparer.syntax_error == "line 3: invalid syntax" and comparer.finish().records == ()


def test_an_endless_line_under_a_filter_stops_in_bounded_memory(monkeypatch):
    monkeypatch.setattr(compare, "LINE_LIMIT", 1000)
    comparer = Comparer(expected(), keep=lambda line: True)
    for _ in range(5):
        comparer.feed_stdout(b"x" * 400)
    assert comparer.stop and "could not be compared" in comparer.overflow
