"""diffing.compare: the unified diff of two sources, their counts, and the lines saved per section."""

from __future__ import annotations

import pytest

from trimbench.diffing import NO_NEWLINE, NO_SECTION, SectionChange, compare
from trimbench.metrics import measure

# Three sections found by their comments: the header (lines 1-2), the dataset (3-6) and inference (7-8).
BEFORE = """\
import random

# Let there be an input dataset
docs = [1, 2, 3]
x = 1
y = 2
# Inference
print(x + y)
"""
# The same program with x and y assigned together and the header's blank line gone.
AFTER = """\
import random
# Let there be an input dataset
docs = [1, 2, 3]
x, y = 1, 2
# Inference
print(x + y)
"""


def diff(a: str, b: str, context: int = 3, a_path: str = "a.py", b_path: str = "b.py"):
    a_bytes, b_bytes = a.encode(), b.encode()
    return compare(measure(a_path, a_bytes), a_bytes, measure(b_path, b_bytes), b_bytes, context)


def test_the_diff_of_a_known_pair():
    assert diff(BEFORE, AFTER).lines == (
        "--- a.py",
        "+++ b.py",
        "@@ -1,8 +1,6 @@",
        " import random",
        "-",
        " # Let there be an input dataset",
        " docs = [1, 2, 3]",
        "-x = 1",
        "-y = 2",
        "+x, y = 1, 2",
        " # Inference",
        " print(x + y)",
    )


def test_the_counts_and_the_savings_of_a_known_pair():
    found = diff(BEFORE, AFTER)
    assert (found.a.lines, found.b.lines, found.saved) == (8, 6, 2)
    assert (found.a.honest_lines, found.b.honest_lines, found.honest_saved) == (5, 4, 1)
    assert found.sections == (SectionChange("header and imports", 2, 1), SectionChange("dataset", 4, 3),
                              SectionChange("inference", 2, 2))
    assert [change.saved for change in found.sections] == [1, 1, 0]
    assert found.summary() == "a.py -> b.py: 8 -> 6 lines (saved 2), honest 5 -> 4 (saved 1)"
    assert found.summary(lambda path: f"<{path}>").startswith("<a.py> -> <b.py>: ")


@pytest.mark.parametrize(("a", "b", "lines", "sections"), [
    pytest.param(BEFORE, BEFORE, (), ((2, 2), (4, 4), (2, 2)), id="the same file: no line differs"),
    pytest.param("x = 1\n", "x = 1", ("--- a.py", "+++ b.py", "@@ -1 +1 @@", "-x = 1", "+x = 1", NO_NEWLINE),
                 ((1, 1),), id="a final newline dropped is a change"),
    pytest.param("x = 1\r\ny = 2\r\n", "x = 1\ny = 2\n", (), ((2, 2),),
                 id="newlines are read as the counts read them"),
    pytest.param("a = 1; b = 2\n", "a = 1\nb = 2\n",
                 ("--- a.py", "+++ b.py", "@@ -1 +1,2 @@", "-a = 1; b = 2", "+a = 1", "+b = 2"), ((1, 2),),
                 id="cramming grows the physical lines and not the honest ones"),
])
def test_cases(a, b, lines, sections):
    found = diff(a, b)
    assert found.lines == lines
    assert [(change.before, change.after) for change in found.sections] == list(sections)


def test_a_program_without_sections_is_all_no_section():
    found = diff("a = 1\nb = 2\n", "a = 1\n")
    assert found.sections == (SectionChange(NO_SECTION, 2, 1),)


def test_cramming_saves_physical_lines_only():
    found = diff("a = 1\nb = 2\n", "a = 1; b = 2\n")
    assert (found.saved, found.honest_saved) == (1, 0)


# 20 numbered lines; the tenth changes.
LONG = "".join(f"v{n} = {n}\n" for n in range(1, 21))
LONG_CHANGED = LONG.replace("v10 = 10\n", "v10 = 100\n")


@pytest.mark.parametrize(("context", "hunk", "shown"), [
    pytest.param(3, "@@ -7,7 +7,7 @@", 8, id="3 lines around a change by default"),
    pytest.param(5, "@@ -5,11 +5,11 @@", 12, id="more context"),
    pytest.param(0, "@@ -10 +10 @@", 2, id="none"),
])
def test_context(context, hunk, shown):
    found = diff(LONG, LONG_CHANGED, context)
    assert found.context == context
    assert found.lines[2] == hunk
    assert len(found.lines) - 3 == shown  # lines under the hunk header: context, the removal and the addition
    assert "-v10 = 10" in found.lines and "+v10 = 100" in found.lines


def test_two_changes_far_apart_make_two_hunks_and_near_ones_one():
    far = LONG.replace("v2 = 2\n", "v2 = 20\n").replace("v19 = 19\n", "v19 = 190\n")
    assert sum(line.startswith("@@") for line in diff(LONG, far).lines) == 2
    assert sum(line.startswith("@@") for line in diff(LONG, far, context=8).lines) == 1


def test_the_paths_label_the_diff():
    found = diff(BEFORE, AFTER, a_path="variants/24_x.py", b_path="variants/25_y.py")
    assert found.lines[:2] == ("--- variants/24_x.py", "+++ variants/25_y.py")
    assert (found.a.path, found.b.path) == ("variants/24_x.py", "variants/25_y.py")


def test_negative_context_is_refused():
    with pytest.raises(ValueError, match="context is a number of lines"):
        diff(BEFORE, AFTER, context=-1)
