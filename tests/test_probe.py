"""The bit digest: what it sees and what it does not change."""

from __future__ import annotations

import pytest

from tests.test_runner import run

PROGRAM = """\
import random
random.seed(3)
weights = [0.25, 0.25, 0.5]
print(random.choices('abc', {arg}, k=4))
"""


def digest_of(arg, tmp_path):
    result = run(PROGRAM.format(arg=arg), tmp_path)
    assert result.returncode == 0, result.stderr_tail
    return result.lines, result.digest


@pytest.mark.parametrize("arg", [
    pytest.param("weights=weights", id="list"),
    pytest.param("weights=iter(weights)", id="iterator-read-once-and-passed-on"),
    pytest.param("weights=tuple(weights)", id="tuple"),
])
def test_same_weights_same_digest(arg, tmp_path):
    assert digest_of(arg, tmp_path) == digest_of("weights=weights", tmp_path)


@pytest.mark.parametrize("arg", [
    pytest.param("weights=[0.25, 0.25, 0.5000000000000001]", id="last-bit"),
    pytest.param("cum_weights=[0.25, 0.5, 1.0]", id="cum-weights-are-recorded-as-such"),
])
def test_different_floats_same_text_different_digest(arg, tmp_path):
    lines, digest = digest_of(arg, tmp_path)
    reference_lines, reference_digest = digest_of("weights=weights", tmp_path)
    assert lines == reference_lines and digest != reference_digest


def test_final_rng_state_is_part_of_the_digest(tmp_path):
    plain = run("import random\nrandom.seed(1)\nprint('x')\n", tmp_path)
    drawn = run("import random\nrandom.seed(1)\nrandom.random()\nprint('x')\n", tmp_path)
    assert plain.lines == drawn.lines and plain.digest != drawn.digest
