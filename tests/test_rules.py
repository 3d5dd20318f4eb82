"""The compaction rules: each detector catches what it claims, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from trimbench import rules

ORIGINAL_SRC = (Path(__file__).resolve().parents[1] / "original" / "microgpt.py").read_text()


def broken(original: str, variant: str) -> list[tuple[str, int | None]]:
    return [(violation.rule, violation.line) for violation in rules.check(original, variant)]


@pytest.mark.parametrize(("variant", "expected"), [
    pytest.param("a = 1; b = 2\n", [("semicolon", 1)], id="separator"),
    pytest.param("x = 1\nif x: y = 2; z = 3\n", [("semicolon", 2)], id="separator-in-compound"),
    pytest.param("s = 'a; b'\n", [], id="in-string"),
    pytest.param("x = 1  # a; b\n", [], id="in-comment"),
    pytest.param('s = f"{1};"\n', [], id="in-fstring"),
    pytest.param("x = 1;\n", [], id="trailing-joins-nothing"),
    pytest.param("x = 1  # fmt: skip\n", [("fmt-skip", 1)], id="fmt-skip"),
    pytest.param("# fmt: off\nx = 1\n# fmt: on\n", [("fmt-off", 1)], id="fmt-off"),
    pytest.param("s = '# fmt: off'\n", [], id="pragma-in-string"),
    pytest.param("# format the output\n", [], id="other-comment"),
    pytest.param("x = '" + "a" * 120 + "'\n", [("long-line", 1)], id="long-line"),
    pytest.param("x = 1\n", [], id="clean"),
])
def test_flags_the_rules_refuse(variant, expected):
    assert [found for found in broken("", variant) if found[0] != "short-name"] == expected


@pytest.mark.parametrize(("variant", "expected"), [
    pytest.param("# one\nx = 1\n# two three\n", [], id="kept"),
    pytest.param("# one\nx = 1\n# two\n# three\n", [], id="wrapped"),
    pytest.param("x = 1 # one\n# two three\n", ["one"], id="moved-inline"),
    pytest.param("# two three\nx = 1\n# one\n", ["two three"], id="reordered"),
    pytest.param("# one\n# two\n", ["two three"], id="shortened"),
])
def test_missing_comments(variant, expected):
    assert rules.missing_comments("# one\n# two three\n", variant) == expected


@pytest.mark.parametrize(("variant", "expected"), [
    pytest.param("x = 1\n\n# one\ny = 2\n\n# two three\n", [], id="kept"),
    pytest.param("x = 1\n\n# one\ny = 2\n\n# two\n# three\n", [], id="wrapped"),
    pytest.param("x = 1\n# one\ny = 2\n\n# two three\n", ["one"], id="blank-dropped"),
    pytest.param("x = 1\n\n# one\ny = 2\n\ndef f():\n    # two three\n", ["two three"], id="indented"),
    pytest.param("x = 1\n\n# one\ny = 2\n", ["two three"], id="missing"),
])
def test_sections_without_blank_line(variant, expected):
    original = "x = 1\n\n# one\ny = 2\n\n# two three\nz = 3\n# not a section\n"
    assert rules.sections_without_blank_line(original, variant) == expected


@pytest.mark.parametrize(("variant", "expected"), [
    pytest.param("for i in range(3): pass\n", [], id="the-original-has-i"),
    pytest.param("def func(q): return q\n", [("short-name", None)], id="argument"),
    pytest.param("k = 1\n", [("short-name", None)], id="assignment"),
    pytest.param("data = [x for x in y]\n", [("short-name", None)], id="comprehension-target"),
])
def test_no_new_one_letter_names(variant, expected):
    assert broken("for i in range(3):\n    pass\n", variant) == expected


def test_the_original_keeps_its_own_rules_but_two_long_lines():
    assert broken(ORIGINAL_SRC, ORIGINAL_SRC) == [("long-line", 81), ("long-line", 92)]


def test_microgpts_sections():
    assert [text.split(",")[0].split(":")[0] for text in rules.section_comments(ORIGINAL_SRC)] == [
        "Let there be an input dataset `docs`",
        "Let there be a Tokenizer to translate strings to discrete symbols and back",
        "Let there be Autograd",
        "Initialize the parameters",
        "Define the model architecture",
        "Let there be Adam",
        "Repeat in sequence",
        "Inference",
    ]
    texts = [text for _, text in rules.full_line_comments(ORIGINAL_SRC)]
    assert len(texts) == 15 and "1) Multi-head attention block" in texts and "2) MLP block" in texts
