"""sections.find_sections: section starts from comments and top-level names, on small sources and the original."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from trimbench.sections import MICROGPT, find_sections

ROOT = Path(__file__).resolve().parents[1]


def sections_of(source: str):
    source = textwrap.dedent(source)
    return find_sections(cst.parse_module(source), len(source.splitlines()))


def found(source: str) -> dict[str, tuple[int, int]]:
    return {span.name: (span.first, span.last) for span in sections_of(source).spans}


# (source, {section: (first line, last line)}, unassigned ranges)
CASES = [
    pytest.param('''\
        """Doc."""
        import os

        # Let there be an input dataset
        docs = []

        # Let there be Autograd
        class Value:
            pass
        ''', {"header and imports": (1, 3), "dataset": (4, 6), "autograd": (7, 9)}, (),
        id="comments start sections; the blank line above a comment stays with the section above"),
    pytest.param('''\
        import os
        docs = []
        uchars = sorted(docs)
        def gpt(): pass
        ''', {"header and imports": (1, 1), "dataset": (2, 2), "tokenizer": (3, 3), "model": (4, 4)}, (),
        id="top-level names start sections when the comments are gone"),
    pytest.param('''\
        #!/usr/bin/env python
        import os
        ''', {"header and imports": (1, 2)}, (), id="comments above the first import belong to the header"),
    pytest.param('''\
        x = 1
        import os
        ''', {"header and imports": (2, 2)}, ((1, 1),), id="code before the first import belongs to no section"),
    pytest.param('''\
        x = 1
        y = 2
        # Let there be Autograd
        class Value: pass
        ''', {"autograd": (3, 4)}, ((1, 2),), id="no header at all"),
    pytest.param('''\
        import os
        learning_rate, num_steps = 0.01, 1000
        ''', {"header and imports": (1, 1), "optimizer": (2, 2), "training loop": (2, 1)}, (),
        id="two sections on one line: the one listed first takes it"),
    pytest.param('''\
        import os
        def f():
            # Let there be Adam
            return 1
        ''', {"header and imports": (1, 4)}, (), id="indented comments are not section comments"),
    pytest.param('''\
        import os
        @decorate
        def gpt(): pass
        ''', {"header and imports": (1, 1), "model": (2, 3)}, (), id="a decorated definition starts at its decorator"),
    pytest.param('''\
        import os
        # Inference: may the model babble back to us
        temperature = 0.5
        # Let there be Adam, the blessed optimizer
        learning_rate = 0.01
        ''', {"header and imports": (1, 1), "inference": (2, 3), "optimizer": (4, 5)}, (),
        id="sections out of order are reported in file order"),
    pytest.param('''\
        import os
        for step in range(3):
            pass
        ''', {"header and imports": (1, 1), "training loop": (2, 3)}, (), id="a for loop's target names a section"),
    pytest.param('''\
        import os
        x = (1,
             2)
        # Repeat in sequence
        y = 3
        ''', {"header and imports": (1, 3), "training loop": (4, 5)}, (),
        id="a statement over several lines moves the next start"),
]


@pytest.mark.parametrize(("source", "spans", "unassigned"), CASES)
def test_find_sections(source, spans, unassigned):
    assert found(source) == spans
    assert sections_of(source).unassigned == unassigned


def test_lines_lists_every_section():
    sections = sections_of("import os\ndocs = []\n")
    assert list(sections.lines()) == [spec.name for spec in MICROGPT]
    assert sections.lines()["dataset"] == 1 and sections.lines()["model"] == 0


def test_empty_module():
    sections = find_sections(cst.parse_module(""), 0)
    assert sections.spans == () and sections.unassigned == ()


def test_original():
    source = (ROOT / "original" / "microgpt.py").read_text()
    sections = find_sections(cst.parse_module(source), 200)
    # The section comments of the original are on lines 14, 23, 29, 74, 92, 146, 151 and 186.
    assert sections.lines() == {
        "header and imports": 13,  # 1-13: docstring, imports, random.seed
        "dataset": 9,  # 14-22
        "tokenizer": 6,  # 23-28
        "autograd": 45,  # 29-73
        "parameters": 18,  # 74-91
        "model": 54,  # 92-145
        "optimizer": 5,  # 146-150
        "training loop": 35,  # 151-185
        "inference": 15,  # 186-200
    }
    assert sections.unassigned == ()
