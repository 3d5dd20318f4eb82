import ast

import pytest
from libcst.codemod import CodemodTest

from trimbench import rules
from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.wrap_long_comments import WrapLongComments
from trimbench.lines import longest

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations

WORDS = " ".join(f"w{i:02d}" for i in range(40))  # 40 words of 3 characters: 159 characters


class TestWrapLongCommentsChanges(CodemodTest):
    TRANSFORM = WrapLongComments

    def test_a_top_level_comment_wraps_evenly(self) -> None:
        before = f"x = 1\n\n# {WORDS}\ny = 2\n"
        first, second = WORDS[:79], WORDS[80:]  # 20 words each
        after = f"x = 1\n\n# {first}\n# {second}\ny = 2\n"
        self.assertCodemod(before, after)

    def test_an_indented_comment_keeps_its_indentation_and_prefix(self) -> None:
        before = f"x = 1\ndef f():\n    #   {WORDS}\n    return 1\n"
        after = f"x = 1\ndef f():\n    #   {WORDS[:79]}\n    #   {WORDS[80:]}\n    return 1\n"
        self.assertCodemod(before, after)

    def test_a_comment_without_a_space_after_its_hash(self) -> None:
        before = f"x = 1\ny = 2\n#{WORDS}\n"
        after = f"x = 1\ny = 2\n#{WORDS[:79]}\n# {WORDS[80:]}\n"
        self.assertCodemod(before, after)

    def test_double_spaces_never_break(self) -> None:
        glued = WORDS.replace("w19 w20", "w19  w20")  # the even break would fall here: it moves one word on
        before = f"x = 1\ny = 2\n# {glued}\n"
        after = f"x = 1\ny = 2\n# {glued[:84]}\n# {glued[85:]}\n"
        self.assertCodemod(before, after)

    def test_a_comment_inside_brackets(self) -> None:
        before = f"x = 1\ny = 2\nsizes = [\n    1,\n    # {WORDS}\n    2,\n]\n"
        after = f"x = 1\ny = 2\nsizes = [\n    1,\n    # {WORDS[:79]}\n    # {WORDS[80:]}\n    2,\n]\n"
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param(f"x = 1\ny = 2\n# {'w' * 50} {'v' * 67}\n", id="comment-of-120-characters"),
    pytest.param(f"x = 1\ny = 2\nz = 3  # {WORDS}\n", id="trailing-comment"),
    pytest.param(f"# {WORDS}\nx = 1\n", id="line-1-shebang-or-encoding"),
    pytest.param(f"x = 1\ny = 2\n# type: ignore  {WORDS}\n", id="pragma"),
    pytest.param(f"x = 1\ny = 2\n# {'a' * 60} fmt: off {'b' * 55}\n", id="would-begin-a-pragma"),
    pytest.param(f"x = 1\ny = 2\n# see {'x' * 130}\n", id="a-word-wider-than-120"),
    pytest.param(f"x = 1\ny = 2\n# {WORDS.replace(' ', '  ')}\n", id="no-single-space-to-break-at"),
    pytest.param(f'x = 1\ny = 2\ntext = """\n# {WORDS}\n"""\n', id="in-a-string"),
    pytest.param(f"import inspect\n\n# {WORDS}\nprint(inspect.currentframe().f_lineno)\n", id="line-numbers"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("wrap-long-comments", source)


def test_each_comment_is_a_site_and_the_rules_see_each_one_kept() -> None:
    source = program(f"""
        import os

        # {WORDS}
        def f():
            # {WORDS}
            return 1
        # {WORDS} {WORDS}
        """)
    sites = find_sites("wrap-long-comments", source)
    assert [(s.line, s.summary) for s in sites] == [
        (3, "wrap the 161-character comment on line 3 over 2 lines"),
        (5, "wrap the 165-character comment on line 5 over 2 lines"),
        (7, "wrap the 321-character comment on line 7 over 3 lines"),
    ]
    assert_sites_independent("wrap-long-comments", source)
    result = apply("wrap-long-comments", source).code
    assert line_count(result) == line_count(source) + 4 and longest(result) <= 120
    assert rules.missing_comments(source, result) == []


def test_original_wraps_its_one_long_comment_within_the_rules() -> None:
    source = original_source()
    sites = find_sites("wrap-long-comments", source)
    assert [s.line for s in sites] == [92]
    result = apply("wrap-long-comments", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) + 1
    assert [v.line for v in rules.check(source, source) if v.rule == "long-line"] == [81, 92]
    assert [v.line for v in rules.check(source, result.code) if v.rule == "long-line"] == [81]  # only the code line
    assert new_violations(source, result.code) == []
    assert ast.dump(ast.parse(result.code)) == ast.dump(ast.parse(source))  # the same program, lines aside
    assert_sites_independent("wrap-long-comments", source)
