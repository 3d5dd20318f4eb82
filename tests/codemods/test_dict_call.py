import pytest
from libcst.codemod import CodemodTest

from trimbench import rules
from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.dict_call import DictCall

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations


class TestDictCallChanges(CodemodTest):
    TRANSFORM = DictCall

    def test_values_keep_their_order_and_spacing(self) -> None:
        before = "state = {'wte': matrix(v, n), 'wpe': matrix(b, n), 'lm_head': matrix(v, n)}  # weights\n"
        after = "state = dict(wte=matrix(v, n), wpe=matrix(b, n), lm_head=matrix(v, n))  # weights\n"
        self.assertCodemod(before, after)

    def test_parentheses_trailing_comma_and_spaces_in_the_braces(self) -> None:
        before = "a = ({'x': 1, 'y': 2})\nb = { 'x': 1, 'y': 2, }\n"
        after = "a = (dict(x=1, y=2))\nb = dict( x=1, y=2, )\n"
        self.assertCodemod(before, after)

    def test_values_that_need_their_parentheses_keep_them(self) -> None:
        before = "d = {'walrus': (n := 2), 'gen': (i for i in xs), 'f': lambda: 1}\n"
        after = "d = dict(walrus=(n := 2), gen=(i for i in xs), f=lambda: 1)\n"
        self.assertCodemod(before, after)

    def test_nested_literals_and_soft_keywords(self) -> None:
        before = "cfg = {'match': {'type': 1, 'case': 2}, '_': 3}\n"
        after = "cfg = dict(match=dict(type=1, case=2), _=3)\n"
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param("dict = lambda **kw: kw\nd = {'a': 1, 'b': 2}\n", id="dict-assigned"),
    pytest.param("def dict(): pass\nd = {'a': 1, 'b': 2}\n", id="dict-defined"),
    pytest.param("class dict: pass\nd = {'a': 1, 'b': 2}\n", id="dict-a-class"),
    pytest.param("from collections import OrderedDict as dict\nd = {'a': 1, 'b': 2}\n", id="dict-imported"),
    pytest.param("def f(dict):\n    return {'a': 1, 'b': 2}\n", id="dict-a-parameter"),
    pytest.param("xs = [dict for dict in range(3)]\nd = {'a': 1, 'b': 2}\n", id="dict-a-comprehension-variable"),
    pytest.param("def f():\n    global dict\nd = {'a': 1, 'b': 2}\n", id="dict-declared-global"),
    pytest.param("from m import *\nd = {'a': 1, 'b': 2}\n", id="star-import"),
    pytest.param("import builtins\nd = {'a': 1, 'b': 2}\n", id="builtins-spelled"),
    pytest.param("d = {'a': 1, 'b': 2}\nprint(globals())\n", id="dynamic-names"),
    pytest.param("d = {'a': 1, 'b': 2, 'a': 3}\n", id="duplicate-keys"),
    pytest.param("d = {'class': 1, 'b': 2, 'c': 3}\n", id="keyword-key"),
    pytest.param("d = {'a-b': 1, 'c': 2, 'd': 3}\n", id="non-identifier-key"),
    pytest.param("d = {'__debug__': 1, 'c': 2, 'd': 3}\n", id="debug-key"),
    pytest.param("d = {'\ufb01': 1, 'c': 2, 'd': 3}\n", id="key-nfkc-would-change"),
    pytest.param("d = {b'a': 1, b'c': 2, b'd': 3}\n", id="bytes-keys"),
    pytest.param("d = {f'a': 1, 'c': 2, 'd': 3}\n", id="f-string-key"),
    pytest.param("d = {k: 1, 'c': 2, 'd': 3}\n", id="name-key"),
    pytest.param("d = {**base, 'c': 2, 'd': 3}\n", id="spread"),
    pytest.param("d = {'a': 1}\n", id="one-key-would-be-longer"),
    pytest.param("d = {}\n", id="empty"),
    pytest.param("d = {\n    'a': 1,\n    'b': 2,\n}\n", id="several-lines"),
    pytest.param("x: {'a': 1, 'b': 2} = 3\n", id="inside-an-annotation"),
    pytest.param(f"d = {{'a': '{'x' * 100}', 'b': 2, 'c': 3}}\n", id="still-over-120"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("dict-call", source)


def test_each_literal_is_one_site_and_the_summary_says_what_it_gains() -> None:
    source = program(f"""
        small = {{'a': 1, 'b': 2, 'c': 3}}
        wide = {{'a': '{'x' * 91}', 'b': 2, 'c': 3}}
        """)
    sites = find_sites("dict-call", source)
    assert [s.line for s in sites] == [1, 2]
    assert sites[0].summary.endswith("line 1: 32 -> 27 characters")
    assert sites[1].summary.endswith("line 2: 123 -> 118 characters, within 120 now")
    assert_sites_independent("dict-call", source)


def test_original_state_dict_fits_in_120() -> None:
    source = original_source()
    [site] = find_sites("dict-call", source)
    assert site.line == 81 and "122 -> 117" in site.summary
    assert_sites_independent("dict-call", source)
    result = apply("dict-call", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source)
    assert ("state_dict = dict(wte=matrix(vocab_size, n_embd), wpe=matrix(block_size, n_embd), "
            "lm_head=matrix(vocab_size, n_embd))\n") in result.code
    assert new_violations(source, result.code) == []
    long_lines = lambda code: [v.line for v in rules.check(source, code) if v.rule == "long-line"]  # noqa: E731
    assert long_lines(source) == [81, 92] and long_lines(result.code) == [92]
