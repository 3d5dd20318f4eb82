"""metrics.measure on small sources whose counts can be read off the source, then on the original."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import black
import pytest
from radon.metrics import h_visit, mi_visit
from radon.raw import analyze

from trimbench.errors import TrimbenchError
from trimbench.flags import Flag
from trimbench.metrics import BLACK_MODE, FileMetrics, measure

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL = ROOT / "original" / "microgpt.py"


def counts(source: str | bytes) -> tuple[int, int, int, int, int]:
    m = measure("t.py", source.encode() if isinstance(source, str) else source)
    return m.lines, m.code_lines, m.comment_lines, m.blank_lines, m.docstring_lines


# (source, (lines, code, comment, blank, docstring))
LINE_KINDS = [
    pytest.param("", (0, 0, 0, 0, 0), id="empty file"),
    pytest.param("x = 1", (1, 1, 0, 0, 0), id="no final newline"),
    pytest.param("x = 1\n", (1, 1, 0, 0, 0), id="one statement"),
    pytest.param("# c\n\nx = 1  # trailing\n", (3, 1, 1, 1, 0), id="a trailing comment does not make a comment line"),
    pytest.param("x = 1\r\n# c\r\n", (2, 1, 1, 0, 0), id="CRLF newlines"),
    pytest.param("x = 1\n\x0cy = 2\n", (2, 2, 0, 0, 0), id="a form feed is not a newline"),
    pytest.param("s = 'a\u2028b'\n", (1, 1, 0, 0, 0), id="a line separator inside a string is not a newline"),
    pytest.param('"""A\n\nB\n"""\nx = 1\n', (5, 1, 0, 0, 4), id="module docstring with a blank line inside"),
    pytest.param('def f():\n    """Doc."""\n    return 1\n', (3, 2, 0, 0, 1), id="function docstring"),
    pytest.param('class A:\n    """Doc.\n\n    More."""\n', (4, 1, 0, 0, 3), id="class docstring"),
    pytest.param('def f(): "doc"\n', (1, 1, 0, 0, 0), id="docstring on the header's line is code"),
    pytest.param('def é(): """a\n    b"""\n', (2, 1, 0, 0, 1), id="non-ASCII before a docstring on its first line"),
    pytest.param('x = 1\n"""not a docstring\n"""\n', (3, 3, 0, 0, 0), id="a later string statement is code"),
    pytest.param('s = """a\n\nb"""\n', (3, 3, 0, 0, 0), id="blank line inside a string value is code"),
    pytest.param("x = [\n\n    1,\n]\n", (4, 3, 0, 1, 0), id="blank line inside brackets is blank"),
    pytest.param("def f():\n    # note\n    return 1\n", (3, 2, 1, 0, 0), id="indented comment line"),
]


@pytest.mark.parametrize(("source", "expected"), LINE_KINDS)
def test_line_kinds(source, expected):
    assert counts(source) == expected


# (source, statements): libcst's small and compound statement nodes
STATEMENTS = [
    pytest.param("a = 1\nb = 2\n", 2, id="two lines"),
    pytest.param("a = 1; b = 2\n", 2, id="semicolon does not merge statements"),
    pytest.param("for i in r: a; b\n", 3, id="one-line loop with two statements"),
    pytest.param("if x:\n    a\nelif y:\n    b\nelse:\n    c\n", 5, id="elif is an If node, else is not a statement"),
    pytest.param("try:\n    a\nexcept E:\n    b\nfinally:\n    c\n", 4, id="try with handler and finally"),
    pytest.param("class A:\n    def f(self): pass\n", 3, id="class, method and pass"),
    pytest.param("match x:\n    case 1:\n        a\n    case _:\n        b\n", 3, id="match cases are not statements"),
    pytest.param("f = lambda: 1\nx = [i for i in y]\n", 2, id="lambdas and comprehensions hold no statements"),
    pytest.param('"""Doc."""\n', 1, id="a docstring is an expression statement"),
]


@pytest.mark.parametrize(("source", "expected"), STATEMENTS)
def test_statements(source, expected):
    assert measure("t.py", source.encode()).statements == expected


NINE_ARGUMENTS = "value = compute(" + ", ".join(f"argument_{i:02d}" for i in range(9)) + ")\n"  # 132 characters

# (source, honest lines): code lines after black at 120
HONEST = [
    pytest.param("a = 1; b = 2\n", 2, id="semicolon split"),
    pytest.param("if x: y = 1\n", 2, id="one-line block split"),
    pytest.param("def f(): ...\n", 1, id="ellipsis body kept by black"),
    pytest.param("x = [\n    1,\n    2,\n]\n", 1, id="magic trailing comma ignored"),
    pytest.param("a = 1; b = 2  # fmt: skip\n", 1, id="fmt skip keeps the cramming"),
    pytest.param("# fmt: off\na = 1; b = 2\n# fmt: on\n", 1, id="fmt off keeps the cramming"),
    pytest.param('"""Doc\n\nmore\n"""\nx = 1\n', 1, id="docstring lines are not code"),
    pytest.param("# c\n\n\n\nx = 1\n", 1, id="comments and blanks are not code"),
    # 132 characters: black puts the arguments (115 characters) on one indented line between the brackets
    pytest.param(NINE_ARGUMENTS, 3, id="long call split in three"),
]


@pytest.mark.parametrize(("source", "expected"), HONEST)
def test_honest_lines(source, expected):
    assert measure("t.py", source.encode()).honest_lines == expected


LONG_LINE = "x = " + "1 + " * 30 + "1\n"  # 125 characters
LONG_STRING = 's = "' + "a" * 130 + '"\n'  # a 132-character string on a 136-character line

# (source, [(kind, count, lines)])
FLAGS = [
    pytest.param("a = 1; b = 2\n", [("semicolon", 1, (1,))], id="semicolon"),
    pytest.param("a = 1; b = 2; c = 3\n\nd = 4; e = 5\n", [("semicolon", 3, (1, 3))], id="semicolons on two lines"),
    pytest.param("if x: y\n", [("one-line-block", 1, ())], id="one-line if"),
    pytest.param("try: a\nexcept E: b\n", [("one-line-block", 2, ())], id="one-line try and handler"),
    pytest.param("if x: ...\n", [("one-line-block", 1, ())], id="one-line if with ellipsis is split by black"),
    pytest.param("def f(): ...\n", [("ellipsis-body", 1, ())], id="function stub"),
    pytest.param("class A: ...\n", [("ellipsis-body", 1, ())], id="class stub"),
    pytest.param("# fmt: off\nx = 1\n# fmt: on\n", [("fmt-off", 1, (1,))], id="fmt off"),
    pytest.param("# yapf: disable\nx = 1\n", [("fmt-off", 1, (1,))], id="yapf disable, which black honours"),
    pytest.param("x = 1  # fmt: skip\n", [("fmt-skip", 1, (1,))], id="fmt skip"),
    pytest.param(LONG_LINE, [("long-line", 1, (1,))], id="long line"),
    pytest.param(LONG_STRING, [("long-line", 1, (1,)), ("long-string", 1, (1,))], id="long string"),
]

NO_FLAGS = [
    pytest.param("def f():\n    return 1\n", id="plain function"),
    pytest.param("a = 1;\n", id="a trailing semicolon joins nothing"),
    pytest.param("s = 'a; b'  # c; d\n", id="semicolons in strings and comments"),
    pytest.param("def f():\n    ...\n", id="ellipsis body on its own line"),
    pytest.param("# format: off is not a pragma\n", id="not a pragma"),
    pytest.param("x = " + "1" * 116 + "\n", id="exactly 120 characters"),
]


@pytest.mark.parametrize(("source", "expected"), FLAGS)
def test_flags(source, expected):
    flags = measure("t.py", source.encode()).flags
    assert [(flag.kind, flag.count, flag.lines) for flag in flags] == expected


@pytest.mark.parametrize("source", NO_FLAGS)
def test_no_flags(source):
    assert measure("t.py", source.encode()).flags == ()


@pytest.mark.parametrize(("source", "split"), [
    pytest.param("if x: y\n", True, id="one-line block"),
    pytest.param("def f(): return 1\n", True, id="one-line function"),
    pytest.param("if x: ...\n", True, id="one-line if with ellipsis"),
    pytest.param("def f(): ...\n", False, id="function stub"),
    pytest.param("class A: ...\n", False, id="class stub"),
])
def test_flag_kinds_agree_with_black(source, split):
    """one-line-block means black splits it; ellipsis-body means black keeps it: check the black we run."""
    (flag,) = measure("t.py", source.encode()).flags
    assert flag.kind == ("one-line-block" if split else "ellipsis-body")
    assert (black.format_str(source, mode=BLACK_MODE).count("\n") > 1) == split


def test_flag_text():
    assert str(Flag("semicolon", 3, (1, 3))) == "3 `;` between statements (lines 1, 3)"
    assert str(Flag("long-line", 1, (7,))) == "1 line over 120 characters (line 7)"
    assert str(Flag("one-line-block", 2)) == "2 one-line blocks"
    assert str(Flag("fmt-skip", 7, tuple(range(1, 8)))) == "7 `# fmt: skip` lines (lines 1, 2, 3, 4, 5, ...)"


# (source, (total, worst block, worst)). A block scores 1 plus its decisions; radon's total is 1 plus every
# decision in the file, plus 1 for each method (a class adds its methods' own paths, a function does not).
COMPLEXITY = [
    pytest.param("x = 1\n", (1, None, 0), id="straight line, no functions"),
    pytest.param("for i in x:\n    if i: pass\n", (3, None, 0), id="module-level loop and branch"),
    pytest.param("def f(x):\n    if x:\n        return 1\n    return 2\n", (2, "f", 2), id="function with a branch"),
    pytest.param("class A:\n    def m(self, x):\n        return 1 if x else 2\n\ndef g(): pass\n", (3, "A.m", 2),
                 id="method beats function"),
]


@pytest.mark.parametrize(("source", "expected"), COMPLEXITY)
def test_complexity(source, expected):
    m = measure("t.py", source.encode())
    assert (m.complexity_total, m.complexity_worst_block, m.complexity_worst) == expected


@pytest.mark.parametrize("source", [ORIGINAL.read_text(), "def f(x):\n    return x * 2 + 1\n# c\n"],
                         ids=["original", "small"])
def test_one_ast_gives_radons_figures(source):
    """measure() shares one ast between radon's visitors; the figures must be the ones radon's API gives."""
    m = measure("t.py", source.encode())
    assert m.maintainability == pytest.approx(mi_visit(source, True), abs=1e-9)
    assert m.halstead_volume == pytest.approx(h_visit(source).total.volume, abs=1e-9)


@pytest.mark.parametrize(("source", "message"), [
    pytest.param(b"x = = 1\n", "variants/x.py: line 1: invalid syntax", id="invalid syntax"),
    pytest.param(b"x = (\n", "variants/x.py: line 1: '(' was never closed", id="unclosed bracket"),
    pytest.param(b"a\n  b\n", "variants/x.py: line 2: unexpected indent", id="indentation"),
    pytest.param(b"x = 1\x00\n", "variants/x.py: source code string cannot contain null bytes", id="null byte"),
])
def test_syntax_errors_are_one_line(source, message):
    with pytest.raises(TrimbenchError) as caught:
        measure("variants/x.py", source)
    assert str(caught.value) == message


def test_radon_cannot_read_a_line_separator_so_mi_is_unknown():
    m = measure("t.py", "s = 'a\u2028b'\n".encode())
    assert m.maintainability is None and m.lines == 1 and m.halstead_volume == 0


def test_undecodable_source():
    with pytest.raises(TrimbenchError, match=r"^variants/x.py: cannot decode the source"):
        measure("variants/x.py", "x = 'é'\n".encode("latin-1"))


def test_coding_cookie_is_honoured():
    assert counts("# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1")) == (2, 1, 1, 0, 0)


@pytest.mark.parametrize("source", [ORIGINAL.read_text(), "a = 1; b = 2\n" + LONG_LINE, ""],
                         ids=["original", "flags with lines", "empty"])
def test_json_round_trip(source):
    m = measure("t.py", source.encode())
    assert FileMetrics.from_json(json.loads(json.dumps(m.to_json()))) == m


def test_original():
    m = measure("original/microgpt.py", ORIGINAL.read_bytes())
    assert m.lines == 200  # a fact of the file (wc -l)
    # Second opinions: radon's count of comment-only lines, and blank lines counted outside the docstring by hand.
    text = ORIGINAL.read_text()
    docstring = ast.parse(text).body[0]
    outside = [line for number, line in enumerate(text.split("\n")[:-1], 1)
               if not docstring.lineno <= number <= docstring.end_lineno]
    assert m.comment_lines == analyze(text).single_comments == 15
    assert m.blank_lines == sum(not line.strip() for line in outside)
    assert m.docstring_lines == 7  # the module docstring, lines 1-7
    assert m.longest_line == 123  # the model comment, line 92; the state_dict line 81 has 122
    # A second parser as the reference: libcst's statements are Python's statements.
    assert m.statements == sum(isinstance(node, ast.stmt) for node in ast.walk(ast.parse(ORIGINAL.read_text())))
    assert {flag.kind: flag.lines for flag in m.flags} == {"one-line-block": (), "long-line": (81, 92)}
    assert m.flags[0].count == 11  # the one-line dunder methods, lines 47-57


@pytest.mark.parametrize("path", sorted((ROOT / "variants").glob("*.py")), ids=lambda path: path.name)
def test_variants_count_statements_as_python_does(path):
    m = measure(path.name, path.read_bytes())
    assert m.statements == sum(isinstance(node, ast.stmt) for node in ast.walk(ast.parse(path.read_text())))
