"""The probe's record of the random stream and the final RNG state: what it sees and what it does not change."""

from __future__ import annotations

import pytest

from tests.test_runner import run

PROGRAM = """\
import random
random.seed(3)
weights = [0.25, 0.25, 0.5]
print(random.choices('abc', {arg}, k=4))
"""


def recorded(arg, tmp_path):
    result = run(PROGRAM.format(arg=arg), tmp_path)
    assert result.returncode == 0, result.stderr_tail
    return result.comparison.lines, [record.key for record in result.comparison.records]


@pytest.mark.parametrize("arg", [
    pytest.param("weights=iter(weights)", id="iterator-read-once-and-passed-on"),
    pytest.param("weights=tuple(weights)", id="tuple"),
])
def test_same_weights_same_records(arg, tmp_path):
    assert recorded(arg, tmp_path) == recorded("weights=weights", tmp_path)


@pytest.mark.parametrize("arg, kind", [
    pytest.param("weights=[0.25, 0.25, 0.5000000000000001]", "w", id="last-bit"),
    pytest.param("cum_weights=[0.25, 0.5, 1.0]", "W", id="cum-weights-are-recorded-as-such"),
])
def test_different_floats_same_text_different_records(arg, kind, tmp_path):
    lines, found = recorded(arg, tmp_path)
    reference_lines, reference = recorded("weights=weights", tmp_path)
    assert lines == reference_lines and found != reference and found[0][0] == kind


def test_instances_of_random_random_are_recorded_too(tmp_path):
    _, found = recorded("weights=weights", tmp_path)
    result = run("import random\nrng = random.Random(3)\nprint(rng.choices('abc', [0.25, 0.25, 0.5], k=4))\n",
                 tmp_path)
    assert [r.key for r in result.comparison.records][0] == found[0]


def test_final_rng_state(tmp_path):
    plain = run("import random\nrandom.seed(1)\nprint('x')\n", tmp_path)
    drawn = run("import random\nrandom.seed(1)\nrandom.random()\nprint('x')\n", tmp_path)
    untouched = run("print('x')\n", tmp_path)
    assert plain.comparison.lines == drawn.comparison.lines
    assert plain.comparison.records[-1].key != drawn.comparison.records[-1].key
    assert untouched.comparison.records[-1].key == ("s", "unused")  # an unused RNG is no source of difference


def test_the_records_pipe_is_not_inherited_by_the_programs_children(tmp_path):
    """os.system keeps every inheritable descriptor, so a leaked pipe would show in the child's fd list."""
    result = run("import os\nos.system('ls /proc/self/fd')\n", tmp_path)
    assert result.returncode == 0
    assert {line.strip() for line in result.comparison.lines} <= {b"0", b"1", b"2", b"3"}  # 3: ls's own listing
