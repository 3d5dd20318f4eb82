"""Records: the text format the probe writes and goldens keep, and how values are shown to people."""

from __future__ import annotations

import pytest

from trimbench import records
from trimbench.records import Counts, Record, RecordReader


def test_reader_joins_records_split_across_chunks():
    reader = RecordReader()
    assert reader.feed(b"0 f 0x1.0p+0\n12 w 0x1.0p-1 0x1") == [Record("f", "0x1.0p+0", 0)]
    assert reader.feed(b".0p-1\n") == [Record("w", "0x1.0p-1 0x1.0p-1", 12)]


def test_golden_records_round_trip():
    found = (Record("f", "0x1.8p+1", 3), Record("s", "unused", 9))
    assert records.load(records.dump(found)) == found


def test_equal_values_recorded_at_other_offsets_are_equal():
    assert Record("f", "0x1.8p+1", 3).key == Record("f", "0x1.8p+1", 700).key


@pytest.mark.parametrize("record, shown", [
    pytest.param(Record("f", (0.1 + 0.2).hex(), 0), "0.30000000000000004", id="float-in-full"),
    pytest.param(Record("c", f"{(1.5).hex()},{(-2.0).hex()}", 0), "(1.5-2j)", id="complex"),
    pytest.param(Record("a", "<f8 2x3 " + "ab" * 32, 0), "<f8 array of shape (2, 3), bytes sha256 abababab",
                 id="array"),
    pytest.param(Record("s", "unused", 0), "untouched (the program never used random)", id="state-unused"),
    pytest.param(None, "no value", id="missing"),
])
def test_show(record, shown):
    assert records.show(record).startswith(shown)


def test_difference_of_sampling_weights_names_the_weight():
    a = Record("w", " ".join(x.hex() for x in (0.25, 0.25, 0.5)), 0)
    b = Record("w", " ".join(x.hex() for x in (0.25, 0.25, 0.5000000000000001)), 0)
    assert records.difference(a, b) == ("weight 3 of 3 passed to random.choices", "0.5", "0.5000000000000001")


@pytest.mark.parametrize("found, counts", [
    pytest.param([Record("f", "0x1p+0", 0), Record("c", "0x1p+0,0x0p+0", 0), Record("a", "<f4 3 x", 0)],
                 Counts(floats=3), id="float-valued"),
    pytest.param([Record("a", "<i8 3 x", 0), Record("s", "unused", 0)], Counts(arrays=1, state=True),
                 id="integer-array-is-not-a-float"),
    pytest.param([Record("w", "0x1p+0", 0), Record("W", "0x1p+0", 0)], Counts(sampling_calls=2), id="sampling"),
])
def test_counts(found, counts):
    assert Counts.of(found) == counts
    assert counts.any_float == bool(counts.floats or counts.sampling_calls)
