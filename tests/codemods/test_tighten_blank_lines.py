import ast
import random

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.tighten_blank_lines import TightenBlankLines

from ._cases import assert_refuses, program
from ._original import line_count, original_source
from ._per_site import assert_sites_independent, new_violations, one_by_one


class TestTightenBlankLinesChanges(CodemodTest):
    TRANSFORM = TightenBlankLines

    def test_blank_lines_inside_a_class_and_between_functions_go(self) -> None:
        before = """
class Value:
    __slots__ = ('data',)

    def __neg__(self): return self * -1

    def relu(self): return self

def linear(x, w):
    return x


def softmax(logits):
    return logits
"""
        after = """
class Value:
    __slots__ = ('data',)
    def __neg__(self): return self * -1
    def relu(self): return self
def linear(x, w):
    return x
def softmax(logits):
    return logits
"""
        self.assertCodemod(before, after)

    def test_the_blank_line_before_each_top_level_comment_stays(self) -> None:
        before = "import os\n\n# Let there be data\ndocs = []\n\nprint(docs)\n\n\n# Inference\nprint(1)\n"
        after = "import os\n\n# Let there be data\ndocs = []\nprint(docs)\n\n\n# Inference\nprint(1)\n"
        self.assertCodemod(before, after)

    def test_the_blank_line_before_an_indented_comment_goes(self) -> None:
        before = "for step in range(3):\n\n    # Take a document\n    doc = step\n\n    # Forward it\n    print(doc)\n"
        after = "for step in range(3):\n    # Take a document\n    doc = step\n    # Forward it\n    print(doc)\n"
        self.assertCodemod(before, after)

    def test_the_blank_line_after_the_module_docstring_stays(self) -> None:
        before = '"""The model.\n\n@karpathy\n"""\n\nimport os\n\nimport math\n'
        after = '"""The model.\n\n@karpathy\n"""\n\nimport os\nimport math\n'
        self.assertCodemod(before, after)

    def test_blank_lines_in_brackets_after_decorators_and_at_the_end(self) -> None:
        before = "sizes = [\n    1,\n\n    2,\n]\n@staticmethod\n\ndef f(): pass\n\n\n"
        after = "sizes = [\n    1,\n    2,\n]\n@staticmethod\ndef f(): pass\n"
        self.assertCodemod(before, after)

    def test_strings_keep_their_blank_lines(self) -> None:
        before = 'def f():\n    text = """a\n\nb"""\n\n    return text\n'
        after = 'def f():\n    text = """a\n\nb"""\n    return text\n'
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param('''
        text = """first

        second"""
        print(text)
        ''', id="blank-lines-inside-a-triple-quoted-string"),
    pytest.param("""
        import os

        # Let there be data
        docs = []


        # Inference: the run of two before it stays too
        print(docs)
        """, id="blank-before-a-top-level-comment"),
    pytest.param('''
        """The model."""


        import os
        ''', id="after-the-docstring"),
    pytest.param("""
        def f():
            x = 1

        # a top-level comment inside a block's footer
            return x
        """, id="before-a-column-0-comment-in-a-block"),
    pytest.param("import os\nprint(os.sep)\n", id="no-blank-line"),
    # the program could see its own line numbers move
    pytest.param("import inspect\n\nprint(inspect.currentframe().f_lineno)\n", id="inspect"),
    pytest.param("import sys\n\nprint(sys._getframe().f_lineno)\n", id="frame"),
    pytest.param("import traceback\n\ntraceback.print_stack()\n", id="traceback"),
    pytest.param("fmt = '%(lineno)d'\n\nprint(fmt)\n", id="lineno-in-a-string"),
    pytest.param("print(open(__file__).read())\n\nx = 1\n", id="reads-its-own-source"),
    pytest.param("x = 1\n\nprint(eval('x'))\n", id="eval"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("tighten-blank-lines", source)


def test_each_run_of_blank_lines_is_one_site() -> None:
    source = program("""
        a = 1



        b = 2

        # section
        c = 3

        """)
    sites = find_sites("tighten-blank-lines", source)
    assert [(s.line, s.summary) for s in sites] == [(2, "remove 3 blank lines (lines 2-4)"),
                                                    (9, "remove 1 blank line (line 9)")]
    assert apply("tighten-blank-lines", source, sites=[1]).code == source.replace("c = 3\n\n", "c = 3\n")


def test_sites_are_independent_with_docstrings_strings_and_brackets() -> None:
    source = program('''
        """Doc."""


        import os

        x = """a

        b"""

        sizes = [
            1,

            2,
        ]

        # Section
        def f():

            return x
        ''')
    assert len(find_sites("tighten-blank-lines", source)) == 4
    assert_sites_independent("tighten-blank-lines", source)


def test_original_loses_15_blank_lines_and_keeps_every_section() -> None:
    source = original_source()
    sites = find_sites("tighten-blank-lines", source)
    assert [s.line for s in sites] == [32, 38, 42, 46, 58, 96, 102, 107, 113, 142, 154, 159, 170, 173, 183]
    result = apply("tighten-blank-lines", source)
    assert isinstance(result, TransformSuccess)
    assert line_count(result.code) == line_count(source) - 15
    assert result.code.startswith(source[:source.index("import os")])  # docstring and the blank line after it
    assert new_violations(source, result.code) == []
    assert ast.dump(ast.parse(result.code)) == ast.dump(ast.parse(source))  # the same program, lines aside
    # one site at a time, in a shuffled order, ends where all at once does (test_api checks each site alone)
    order = random.Random(15).sample(range(15), 15)
    assert one_by_one("tighten-blank-lines", source, order) == result.code
