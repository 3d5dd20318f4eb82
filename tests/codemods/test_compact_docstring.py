import ast

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.compact_docstring import CompactDocstring
from trimbench.lines import longest

from ._cases import assert_refuses, program
from ._original import line_count, original_source
from ._per_site import assert_sites_independent, new_violations

LONG = " ".join(["word"] * 30)  # 149 characters: a line of its own over 120 columns


class TestCompactDocstringChanges(CodemodTest):
    TRANSFORM = CompactDocstring

    def test_module_docstring_keeps_its_summary_line(self) -> None:
        summary = "The most atomic way to train and inference a GPT in pure, dependency-free Python."
        before = f'"""\n{summary}\nThis file is the complete algorithm.\nIt is all.\n\n@karpathy\n"""\n'
        after = f'"""{summary}\nThis file is the complete algorithm. It is all. @karpathy"""\n'
        self.assertCodemod(before, after)

    def test_function_docstring_keeps_its_indentation_and_quotes(self) -> None:
        before = "def f():\n    r'''Summary.\n\n    More text, \\d+.\n    '''  # why\n    return 1\n"
        after = "def f():\n    r'''Summary. More text, \\d+.'''  # why\n    return 1\n"
        self.assertCodemod(before, after)

    def test_long_docstrings_fill_evenly_over_fewer_lines(self) -> None:
        before = f'class C:\n    """Summary.\n\n    {LONG}\n    {LONG}\n    """\n'
        lines = [" ".join(["word"] * n) for n in (19, 21, 20)]  # 3 lines, as even as 3 lines can be
        after = f'class C:\n    """Summary. {lines[0]}\n    {lines[1]}\n    {lines[2]}"""\n'
        self.assertCodemod(before, after)

    def test_blank_line_after_the_docstring_stays(self) -> None:
        before = '"""Doc\nof two lines."""\n\nimport os\n'
        after = '"""Doc of two lines."""\n\nimport os\n'
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    # something may read the docstring
    pytest.param('"""Usage:\n    run it\n"""\nprint(__doc__)\n', id="module-__doc__"),
    pytest.param('def f():\n    """Doc\n    here."""\nprint(f.__doc__)\n', id="function-__doc__"),
    pytest.param('def f():\n    """Doc\n    here."""\nhelp(f)\n', id="help"),
    pytest.param('import inspect\ndef f():\n    """Doc\n    here."""\nprint(inspect.getdoc(f))\n', id="inspect"),
    pytest.param('"""Doc\nhere."""\nimport pydoc\n', id="pydoc"),
    pytest.param('def f():\n    """Doc\n    here."""\nprint(getattr(f, "__do" "c__"))\n', id="getattr"),
    pytest.param('def f():\n    """Doc\n    here."""\nkey = "__doc__"\n', id="__doc__-in-a-string"),
    pytest.param('"""Doc\nhere."""\nprint(globals())\n', id="globals"),
    pytest.param('"""Doc\nhere."""\nimport sys\nprint(sys._getframe().f_lineno)\n', id="line-numbers"),
    # no line to save within 120 columns, or not a docstring this codemod may touch
    pytest.param(f'def f():\n    """{LONG[:100]}\n    {LONG[:100]}"""\n', id="reflow-would-exceed-120"),
    pytest.param(f'"""Docs at {"x" * 130}\nend."""\n', id="a-word-wider-than-120"),
    pytest.param('"""One line already."""\n', id="one-line"),
    pytest.param('x = 1\n"""Not a\ndocstring."""\n', id="not-the-first-statement"),
    pytest.param('b"""Bytes\nare no docstring."""\n', id="bytes"),
    pytest.param('("""Parenthesized\ndocstring.""")\n', id="parenthesized"),
    pytest.param('"""Joined by\n""" """concatenation."""\n', id="concatenated"),
    pytest.param('def f():\n    "Single " \\\n    "quotes"\n', id="single-quoted"),
    pytest.param('"""Line \\\ncontinued."""\n', id="backslash-newline-would-change-the-value"),
    pytest.param('"""He said "hi"\n"""\n', id="quote-before-the-closing-quotes"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("compact-docstring", source)


def test_each_docstring_is_a_site_and_only_whitespace_changes() -> None:
    source = program('''
        """Module
        docstring."""


        class Value:
            """A scalar
            with a gradient."""

            def backward(self):
                """Walk the graph
                    in reverse topological order.
                """
                return self
        ''')
    sites = find_sites("compact-docstring", source)
    assert [(s.line, s.summary) for s in sites] == [
        (1, "reflow the module docstring (lines 1-2) into 1 line"),
        (6, "reflow `Value`'s docstring (lines 6-7) into 1 line"),
        (10, "reflow `backward`'s docstring (lines 10-12) into 1 line"),
    ]
    assert_sites_independent("compact-docstring", source)
    result = apply("compact-docstring", source).code
    before, after = ast.parse(source), ast.parse(result)
    docs = [(ast.get_docstring(n, clean=False) or "") for n in ast.walk(before) if _owns_docstring(n)]
    assert [(ast.get_docstring(n, clean=False) or "").split() for n in ast.walk(after) if _owns_docstring(n)] == [
        d.split() for d in docs]
    assert line_count(result) == line_count(source) - 4


def _owns_docstring(node: ast.AST) -> bool:
    return isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))


def test_original_docstring_takes_two_lines_and_keeps_its_credit() -> None:
    source = original_source()
    assert [s.line for s in find_sites("compact-docstring", source)] == [1]
    result = apply("compact-docstring", source)
    assert isinstance(result, TransformSuccess)
    assert line_count(result.code) == line_count(source) - 5
    docstring = ast.get_docstring(ast.parse(result.code))
    assert "The most atomic way to train and inference a GPT in pure, dependency-free Python." in docstring
    assert "@karpathy" in docstring
    assert docstring.split() == ast.get_docstring(ast.parse(source)).split()
    body = ast.parse(result.code).body
    assert ast.dump(ast.Module(body[1:], [])) == ast.dump(ast.Module(ast.parse(source).body[1:], []))  # all else
    assert result.code.split('"""')[2].startswith("\n\nimport os")  # the blank line after it stays
    assert longest(result.code.split('"""')[1]) <= 120
    assert new_violations(source, result.code) == []
    assert_sites_independent("compact-docstring", source)
