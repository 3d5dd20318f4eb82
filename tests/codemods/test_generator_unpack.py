"""generator-unpack: rewrites reasoned about, its refusals, its sites, the original, and programs run both ways."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.generator_unpack import GeneratorUnpack
from trimbench.metrics import honest_lines

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations

QKV = "        q, k, v = (linear(x, state_dict[f'layer{li}.attn_{name}']) for name in ('wq', 'wk', 'wv'))\n"


class TestGeneratorUnpackChanges(CodemodTest):
    TRANSFORM = GeneratorUnpack

    def test_the_attention_projections(self) -> None:
        before = """
def gpt(x):  # a comment as wide as the line the file gets, which has 98 characters, so that it fits
    for li in range(n_layer):
        # 1) Multi-head attention block
        q = linear(x, state_dict[f'layer{li}.attn_wq'])
        k = linear(x, state_dict[f'layer{li}.attn_wk'])
        v = linear(x, state_dict[f'layer{li}.attn_wv'])
        keys.append(k)
"""
        after = """
def gpt(x):  # a comment as wide as the line the file gets, which has 98 characters, so that it fits
    for li in range(n_layer):
        # 1) Multi-head attention block
""" + QKV + """        keys.append(k)
"""
        self.assertCodemod(before, after)

    def test_a_tuple_assignment_is_read_as_its_pairs(self) -> None:
        before = """
def gpt(x, li):
    q, k = linear(x, state_dict[f'layer{li}.attn_wq']), linear(x, state_dict[f'layer{li}.attn_wk'])
    v = linear(x, state_dict[f'layer{li}.attn_wv'])
    return q, k, v
"""
        after = """
def gpt(x, li):
    q, k, v = (linear(x, state_dict[f'layer{li}.attn_{name}']) for name in ('wq', 'wk', 'wv'))
    return q, k, v
"""
        self.assertCodemod(before, after)

    def test_a_whole_literal_becomes_the_loop_variable(self) -> None:
        before = """
wte = params["wte"] # tokens
wpe = params["wpe"]
head = params["lm_head"] # output
"""
        after = """
wte, wpe, head = (params[name] for name in ("wte", "wpe", "lm_head")) # tokens; output
"""
        self.assertCodemod(before, after)

    def test_the_loop_variable_is_fresh_and_the_head_ends_on_a_word(self) -> None:
        before = """
def f(name, li):
    a = get(name, f'{li}.mlp-fc1')
    b = get(name, f'{li}.mlp-fc2')
    return a, b
"""
        after = """
def f(name, li):
    a, b = (get(name, f'{li}.mlp-{name_}') for name_ in ('fc1', 'fc2'))
    return a, b
"""
        self.assertCodemod(before, after)

    def test_a_run_ends_where_the_values_stop_being_one_expression(self) -> None:
        before = """
a = load('one', 1)
b = load('two', 1)
c = load('six', 2)
"""
        after = """
a, b = (load(name, 1) for name in ('one', 'two'))
c = load('six', 2)
"""
        self.assertCodemod(before, after)


    def test_only_the_runs_own_function_counts_for_try_and_with(self) -> None:
        before = """
try:
    class Model:
        def heads(self, x):
            a = self.f(x, 'x')
            b = self.f(x, 'y')
            return a, b
except NameError:
    pass
"""
        after = """
try:
    class Model:
        def heads(self, x):
            a, b = (self.f(x, name) for name in ('x', 'y'))
            return a, b
except NameError:
    pass
"""
        self.assertCodemod(before, after)


RUN = "a = f('x')\nb = f('y')\n"

MUST_NOT_APPLY = [
    # a target is bound later than it was: nothing may read it in between
    pytest.param("x = 1\nx = g(x, 'a')\ny = g(x, 'b')\n", id="a-value-reads-an-earlier-target"),
    pytest.param("a = f('x')\na = f('y')\n", id="targets-repeat"),
    pytest.param("a = 0\ndef f(tag):\n    return tag + str(a)\n" + RUN, id="a-function-reads-a-target"),
    pytest.param("a = 0\nshow = lambda: a\n" + RUN, id="a-lambda-reads-a-target"),
    pytest.param("def g():\n    a = ''\n    def f(tag):\n        return tag + a\n    a = f('x')\n    b = f('y')\n"
                 "    return b\n", id="a-closure-reads-a-local-target"),
    pytest.param("def reset():\n    global a\n    a = 0\n" + RUN, id="a-target-is-declared-global"),
    pytest.param("class C:\n    a = f('x')\n    b = f('y')\n", id="class-body"),
    pytest.param("def bump():\n    global n\n    n += 1\na = f(n, 'x')\nb = f(n, 'y')\n",
                 id="a-value-reads-a-global-a-call-may-rebind"),
    pytest.param("try:\n    a = f('x')\n    b = f('y')\nexcept KeyError:\n    pass\n", id="inside-try"),
    pytest.param("def g():\n    try:\n        pass\n    finally:\n        a = f('x')\n        b = f('y')\n"
                 "    return a, b\n", id="inside-finally-of-the-function"),
    pytest.param("def g():\n    with lock:\n        a = f('x')\n        b = f('y')\n    return a, b\n",
                 id="inside-with"),
    # what a value may not hold, in a new scope
    pytest.param("a = f((n := 1), 'x')\nb = f((n := 1), 'y')\n", id="walrus"),
    pytest.param("async def g():\n    a = await f('x')\n    b = await f('y')\n    return a, b\n", id="await"),
    pytest.param("def g():\n    a = yield f('x')\n    b = yield f('y')\n", id="yield"),
    pytest.param("a = f(lambda: 1, 'x')\nb = f(lambda: 1, 'y')\n", id="lambda"),
    pytest.param("a = f([i for i in xs], 'x')\nb = f([i for i in xs], 'y')\n", id="comprehension"),
    pytest.param("class C(B):\n    def m(self):\n        a = super().f('x')\n        b = super().f('y')\n"
                 "        return a, b\n", id="zero-argument-super"),
    # the varying literal
    pytest.param("a = f(b'x')\nb = f(b'y')\n", id="bytes"),
    pytest.param("a = f('x\\n')\nb = f('y\\n')\n", id="escapes"),
    pytest.param("a = f(r'x')\nb = f(r'y')\n", id="raw-string"),
    pytest.param("a = f('''x''')\nb = f('''y''')\n", id="triple-quoted"),
    pytest.param("a = f('p' 'x')\nb = f('p' 'y')\n", id="concatenated"),
    pytest.param("a = f(f'{n}.x{{')\nb = f(f'{n}.y{{')\n", id="f-string-brace-in-the-tail"),
    pytest.param("a = f(f'{n}.x')\nb = f(f'{m}.x')\n", id="f-string-differs-in-an-expression"),
    pytest.param("a = f('x', 'p')\nb = f('y', 'q')\n", id="two-literals-differ"),
    pytest.param("a = f('x', 1)\nb = f('x', 2)\n", id="no-literal-differs"),
    pytest.param("a = f('x')\nb = f('x')\n", id="the-literal-repeats"),
    pytest.param("a = 'x'\nb = 'y'\n", id="the-literal-alone"),
    # the shape of the run
    pytest.param("a = f('x')\n\nb = f('y')\n", id="blank-line-between"),
    pytest.param("a = f('x')\n# the y one\nb = f('y')\n", id="own-line-comment-between"),
    pytest.param("a = f('x')  # noqa: F821\nb = f('y')\n", id="pragma-comment"),
    pytest.param("a, b = f('x'), f('y')\n", id="one-statement-saves-no-line"),
    pytest.param("self.a = f('x')\nself.b = f('y')\n", id="attribute-targets"),
    pytest.param("a = f('x',\n      1)\nb = f('y',\n      1)\n", id="values-over-several-lines"),
    pytest.param("a = 1, 'x'\nb = 1, 'y'\n", id="bare-tuple-values"),
    pytest.param("first = f('" + "x" * 50 + "')\nsecond = f('" + "y" * 50 + "')\n", id="longer-than-the-file-width"),
    # modules where the generator itself could be seen
    pytest.param(RUN + "print(locals())\n", id="dynamic-names"),
    pytest.param("it = iter([])\ndef f(tag):\n    return next(it)\n" + RUN, id="next-may-raise-stop-iteration"),
    pytest.param("import sys\nsys.setrecursionlimit(50)\n" + RUN, id="recursion-limit"),
    pytest.param("class T:\n    def __del__(self):\n        print('gone')\n" + RUN, id="finalizer"),
    pytest.param("import inspect\n" + RUN, id="line-reader"),
    # each level of the recursion would run one frame deeper: 600 levels pass the default limit of 1000
    pytest.param("""
        memo = {}
        def ways(n, last):
            if n == 0:
                return 1
            if (n, last) not in memo:
                up = ways(n - 1, 'up')
                down = ways(n - 1, 'down')
                memo[n, last] = (up + down) % 1000007
            return memo[n, last]
        print(ways(600, 'up'))
        """, id="values-recurse-into-their-own-function"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("generator-unpack", source)


def test_the_skip_names_what_the_module_spells() -> None:
    result = apply("generator-unpack", "import gc\n" + RUN)
    assert isinstance(result, TransformSkip) and "gc" in result.skip_description


def test_a_comment_that_does_not_fit_shortens_nothing_but_refuses() -> None:
    comment = "a comment long enough to push the joined line past the file's widest line " * 2
    source = f"a = f('x') # {comment}\nb = f('y')\n"
    assert isinstance(apply("generator-unpack", source), TransformSkip)


SEVERAL = """
def project(x, li):
    q = linear(x, state_dict[f'layer{li}.attn_wq'])
    k = linear(x, state_dict[f'layer{li}.attn_wk'])
    out = q + k
    fc1 = linear(out, sd[f'layer{li}.mlp_fc1'])
    fc2 = linear(out, sd[f'layer{li}.mlp_fc2'])
    return fc1, fc2
wte = state_dict['wte']
wpe = state_dict['wpe']
"""


def test_each_run_is_a_site() -> None:
    source = program(SEVERAL)
    sites = find_sites("generator-unpack", source)
    assert [(s.index, s.line) for s in sites] == [(0, 2), (1, 5), (2, 8)]
    assert "`fc1`, `fc2`" in sites[1].summary and "'fc1', 'fc2'" in sites[1].summary
    only = apply("generator-unpack", source, sites=[2]).code
    assert "wte, wpe = (state_dict[name] for name in ('wte', 'wpe'))\n" in only
    assert "    q = linear(" in only


def test_sites_are_independent() -> None:
    assert_sites_independent("generator-unpack", program(SEVERAL))


def test_original_projects_q_k_v_in_one_line() -> None:
    source = original_source()
    result = apply("generator-unpack", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert QKV in result.code
    assert line_count(result.code) == line_count(source) - 2
    assert honest_lines("after.py", result.code) == honest_lines("before.py", source) - 2
    assert new_violations(source, result.code) == []
    assert len(find_sites("generator-unpack", source)) == 1


def outcome(path: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    return done.returncode, done.stdout


PROGRAMS = [
    pytest.param("""
    import random
    random.seed(9)
    def matrix(rows, cols):
        return [[random.gauss(0, 0.08) for _ in range(cols)] for _ in range(rows)]
    state_dict = {f'layer{i}.attn_{w}': matrix(3, 3) for i in range(2) for w in ('wq', 'wk', 'wv')}
    def linear(x, w):
        return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
    def attend(x):
        for li in range(2):
            q = linear(x, state_dict[f'layer{li}.attn_wq'])
            k = linear(x, state_dict[f'layer{li}.attn_wk'])
            v = linear(x, state_dict[f'layer{li}.attn_wv'])
            x = [a * b + c for a, b, c in zip(q, k, v)]
        return x
    print([repr(x) for x in attend([random.random() for _ in range(3)])])
    """, id="attention-projections"),
    pytest.param("""
    import random
    random.seed(10)
    calls = []
    def draw(tag):
        calls.append(tag)
        return random.gauss(0, 1)
    first, second = draw('first'), draw('second')
    third = draw('third')
    print(calls, repr(first), repr(second), repr(third))
    """, id="calls-stay-in-order"),
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, source: str) -> None:
    source = program(source)
    result = apply("generator-unpack", source)
    assert isinstance(result, TransformSuccess) and result.code != source
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = outcome(tmp_path / "before.py")
    assert expected[0] == 0 and expected[1].strip()
    assert outcome(tmp_path / "after.py") == expected


# Each program next to the rewrite an unsound version would write: it really prints something else.
DANGERS = [
    pytest.param("""
        a = 'start'
        def label(tag):
            return tag + ' after ' + a
        a = label('x')
        b = label('y')
        print(a, '|', b)
        """, """
        a = 'start'
        def label(tag):
            return tag + ' after ' + a
        a, b = (label(name) for name in ('x', 'y'))
        print(a, '|', b)
        """, id="a-target-bound-late-is-read-by-a-call"),
    pytest.param("""
        table = {'x': 1}
        a = None
        try:
            a = table['x']
            b = table['y']
        except KeyError:
            print('missing, a is', a)
        """, """
        table = {'x': 1}
        a = None
        try:
            a, b = (table[name] for name in ('x', 'y'))
        except KeyError:
            print('missing, a is', a)
        """, id="an-exception-leaves-the-first-target-unbound"),
    pytest.param("""
        items = iter([1])
        def take(tag):
            return next(items)
        def pair(_):
            a = take('a')
            b = take('b')
            return a, b
        try:
            print(list(map(pair, [0])))
        except RuntimeError as exc:
            print('RuntimeError', exc)
        """, """
        items = iter([1])
        def take(tag):
            return next(items)
        def pair(_):
            a, b = (take(name) for name in ('a', 'b'))
            return a, b
        try:
            print(list(map(pair, [0])))
        except RuntimeError as exc:
            print('RuntimeError', exc)
        """, id="stop-iteration-becomes-runtime-error"),
    pytest.param("""
        prefix = 'module'
        class Config:
            prefix = 'class'
            a = '.'.join((prefix, 'x'))
            b = '.'.join((prefix, 'y'))
        print(Config.a, Config.b)
        """, """
        prefix = 'module'
        class Config:
            prefix = 'class'
            a, b = ('.'.join((prefix, name)) for name in ('x', 'y'))
        print(Config.a, Config.b)
        """, id="a-class-body-is-not-seen-from-a-generator"),
]


@pytest.mark.parametrize("source, unsound", DANGERS)
def test_the_refusal_matters(tmp_path: Path, source: str, unsound: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "unsound.py").write_text(program(unsound))
    expected = outcome(tmp_path / "before.py")
    assert expected[0] == 0 and expected[1].strip()
    assert outcome(tmp_path / "unsound.py") != expected  # the danger is real
    assert_refuses("generator-unpack", source)
