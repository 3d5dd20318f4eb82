"""append-comprehension: `X = []` and a loop of one `X.append(E)` become `X = [E for T in ITER]`, when sound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.append_comprehension import AppendComprehension

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations

LOSS = "-softmax(gpt(tokens[pos_id], pos_id, keys, values))[tokens[pos_id + 1]].log()"
# A comment as wide as microgpt's widest lines: the file's width, which a new line may reach but not pass.
WIDE = "# The most atomic way to train and inference a GPT in pure, dependency-free Python; " + "x" * 36


class TestAppendComprehensionChanges(CodemodTest):
    TRANSFORM = AppendComprehension

    def test_the_training_loop(self) -> None:
        before = f"""{WIDE}
for step in range(num_steps):
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos_id in range(n):
        losses.append({LOSS})
    loss = (1 / n) * sum(losses) # final average loss
"""
        after = f"""{WIDE}
for step in range(num_steps):
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = [{LOSS} for pos_id in range(n)]
    loss = (1 / n) * sum(losses) # final average loss
"""
        self.assertCodemod(before, after)

    def test_the_list_leaves_a_tuple_assignment(self) -> None:
        before = f"""{WIDE}
for step in range(num_steps):
    # Forward the token sequence
    keys, values, losses = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)], []
    for pos_id in range(n):
        losses.append({LOSS})
    loss = (1 / n) * sum(losses)
"""
        after = f"""{WIDE}
for step in range(num_steps):
    # Forward the token sequence
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = [{LOSS} for pos_id in range(n)]
    loss = (1 / n) * sum(losses)
"""
        self.assertCodemod(before, after)

    def test_in_a_function_with_comments(self) -> None:
        before = """
def f(r):
    # doubled
    out = [] # the list
    # fill it
    for i in r: # each
        out.append(i * 2) # twice
    return out
"""
        after = """
def f(r):
    # doubled
    # fill it
    out = [i * 2 for i in r] # the list; each; twice
    return out
"""
        self.assertCodemod(before, after)


@pytest.mark.parametrize("before, after", [
    pytest.param("a, xs, b = 1, [], 2\nfor i in r:\n    xs.append(i)\n", "a, b = 1, 2\nxs = [i for i in r]\n",
                 id="middle-of-a-tuple"),
    pytest.param("a, xs = (1, 2), []\nfor i in r:\n    xs.append(i)\n", "a = (1, 2)\nxs = [i for i in r]\n",
                 id="one-target-left"),
    pytest.param("a, b, xs, = 1, 2, [],\nfor i in r:\n    xs.append(i)\n", "a, b, = 1, 2,\nxs = [i for i in r]\n",
                 id="trailing-comma-kept"),
    pytest.param("xs = []\nfor i in r: xs.append(i)\n", "xs = [i for i in r]\n", id="one-line-loop"),
    pytest.param("xs = []\nfor a, b in zip(p, q):\n    xs.append(a * b)\n", "xs = [a * b for a, b in zip(p, q)]\n",
                 id="tuple-target"),
    pytest.param("xs = []\nfor i in a if c else b:\n    xs.append(i)\n", "xs = [i for i in (a if c else b)]\n",
                 id="conditional-iterable-parenthesized"),
    pytest.param("xs = []\nfor i in 1, 2:\n    xs.append(i)\n", "xs = [i for i in (1, 2)]\n",
                 id="tuple-iterable-parenthesized"),
    pytest.param("xs = []\nfor i in r:\n    xs.append((i, -i))\n", "xs = [(i, -i) for i in r]\n", id="tuple-element"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(sum(k for k in range(i)))\n",
                 "xs = [sum(k for k in range(i)) for i in r]\n", id="generator-reading-the-target-in-its-iterable"),
    pytest.param("xs = []\nfor i in r:\n    xs.append([i * k for k in r])\n", "xs = [[i * k for k in r] for i in r]\n",
                 id="nested-comprehension-reads-the-target-in-place"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\nfor i in s:\n    print(i)\n",
                 "xs = [i for i in r]\nfor i in s:\n    print(i)\n", id="target-bound-again-by-a-later-loop"),
    pytest.param("i = 5\nprint(i)\nxs = []\nfor i in r:\n    xs.append(i)\n", "i = 5\nprint(i)\nxs = [i for i in r]\n",
                 id="target-read-before-the-loop"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\ni = 0\nprint(i)\n", "xs = [i for i in r]\ni = 0\nprint(i)\n",
                 id="target-bound-again-before-its-read"),
])
def test_rewrites(before: str, after: str) -> None:
    assert apply("append-comprehension", before).code == after


MUST_NOT_APPLY = [
    # the loop variable would be missed after the loop
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\nprint(i)\n", id="loop-variable-read-after-the-loop"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\ndel i\n", id="loop-variable-deleted-after-the-loop"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\ni += 1\n", id="loop-variable-augmented-after-the-loop"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\nif c:\n    i = 0\nprint(i)\n",
                 id="loop-variable-bound-again-only-sometimes"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\nfor j in r:\n    pass\nelse:\n    print(i)\n",
                 id="loop-variable-read-in-a-for-else"),
    pytest.param("for o in r:\n    xs = []\n    for i in range(i if o else 2):\n        xs.append(i)\n",
                 id="loop-variable-read-by-its-own-iterable-in-an-outer-loop"),
    pytest.param("for o in r:\n    print(i)\n    xs = []\n    for i in r:\n        xs.append(i)\n",
                 id="loop-variable-read-before-the-loop-in-an-outer-loop"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\ndef f():\n    return i\n", id="nested-def-reads-the-target"),
    pytest.param("g = (i for _ in r)\nxs = []\nfor i in r:\n    xs.append(i)\n", id="generator-reads-the-target-later"),
    pytest.param("fs = []\nfor i in r:\n    fs.append(lambda: i)\n", id="lambda-in-the-element-reads-the-target"),
    pytest.param("gs = []\nfor i in r:\n    gs.append(i * k for k in r)\n",
                 id="generator-in-the-element-reads-the-target"),
    pytest.param("def f(r):\n    global i\n    xs = []\n    for i in r:\n        xs.append(i)\n", id="global-target"),
    pytest.param("xs = []\nfor xs in r:\n    xs.append(1)\n", id="target-is-the-list"),
    pytest.param("xs = []\nfor o.i in r:\n    xs.append(1)\n", id="attribute-target"),
    # the loop
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\nelse:\n    print(0)\n", id="else"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(i)\n    break\n", id="break"),
    pytest.param("xs = []\nfor i in r:\n    if i:\n        continue\n    xs.append(i)\n", id="continue"),
    pytest.param("async def f(r):\n    xs = []\n    async for i in r:\n        xs.append(i)\n", id="async-for"),
    pytest.param("xs = []\nfor i in r:\n    xs.extend(i)\n", id="not-append"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(*i)\n", id="starred-argument"),
    pytest.param("xs = []\nfor i in r:\n    ys.append(i)\n", id="another-list"),
    # the list, and who can see it
    pytest.param("xs = [0]\nfor i in r:\n    xs.append(i)\n", id="not-empty"),
    pytest.param("xs = list()\nfor i in r:\n    xs.append(i)\n", id="not-a-display"),
    pytest.param("ys = xs = []\nfor i in r:\n    xs.append(i)\n", id="aliased-by-a-chained-assignment"),
    pytest.param("xs, xs = [], []\nfor i in r:\n    xs.append(i)\n", id="bound-twice-in-a-tuple"),
    pytest.param("xs, ys = [], *r\nfor i in r:\n    xs.append(i)\n", id="starred-in-the-tuple"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(len(xs))\n", id="element-reads-the-list"),
    pytest.param("xs = []\nfor i in range(len(xs) + 2):\n    xs.append(i)\n", id="iterable-reads-the-list"),
    pytest.param("xs = []\ndef peek():\n    return len(xs)\nfor i in r:\n    xs.append(peek())\n",
                 id="function-reads-the-list"),
    pytest.param("g = (len(xs) for _ in r)\nxs = []\nfor i in r:\n    xs.append(next(g))\n",
                 id="generator-reads-the-list"),
    pytest.param("def f(r):\n    global xs\n    xs = []\n    for i in r:\n        xs.append(i)\n", id="global-list"),
    pytest.param("class C:\n    k = 2\n    xs = []\n    for i in range(3):\n        xs.append(i * k)\n",
                 id="class-body"),
    pytest.param("try:\n    xs = []\n    for i in r:\n        xs.append(1 / i)\n"
                 "except ZeroDivisionError:\n    print(xs)\n", id="inside-a-try"),
    pytest.param("with c:\n    xs = []\n    for i in r:\n        xs.append(1 / i)\n", id="inside-a-with"),
    # what a comprehension forbids or rescopes
    pytest.param("xs = []\nfor i in r:\n    xs.append(y := i)\n", id="walrus"),
    pytest.param("def g(r):\n    xs = []\n    for i in r:\n        xs.append((yield i))\n", id="yield"),
    pytest.param("class C(B):\n    def f(self, r):\n        xs = []\n        for i in r:\n"
                 "            xs.append(super().g(i))\n        return xs\n", id="zero-argument-super"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(eval('i'))\n", id="dynamic-lookup"),
    # layout
    pytest.param("xs = []\nfor i in r:\n    # each\n    xs.append(i)\n", id="own-line-comment-in-the-body"),
    pytest.param("xs = []  # noqa: E501\nfor i in r:\n    xs.append(i)\n", id="pragma-comment"),
    pytest.param("a, xs = 1, []\nfor i in r: xs.append(i)\n", id="tuple-form-and-one-line-loop-save-nothing"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(" + "a_long_name + " * 9 + "i)\n", id="too-long"),
    pytest.param("xs = []\nfor i in r:\n    xs.append(f(i,\n              i))\n", id="element-over-two-lines"),
    pytest.param("def sizes(tree):\n    out = []\n    for child in tree:\n        out.append(sizes(child))\n"
                 "    return 1 + sum(out)\n", id="element-recurses-into-its-own-function"),
    pytest.param("def walk(t):\n    return sizes(t)\ndef sizes(tree):\n    out = []\n    for child in tree:\n"
                 "        out.append(walk(child))\n    return 1 + sum(out)\n", id="element-recurses-through-another"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("append-comprehension", source)


def test_sites_are_independent() -> None:
    source = ("xs = []\nfor i in r:\n    xs.append(i)\nys, zs = [], 1\nfor i in s:\n    ys.append(i * 2)\n"
              "def f(q):\n    out = []\n    for j in q:\n        out.append(j)\n    return out\n")
    assert [site.line for site in find_sites("append-comprehension", source)] == [1, 4, 8]
    assert_sites_independent("append-comprehension", source)


def test_the_original_after_inlining_builds_its_losses_by_a_comprehension() -> None:
    source = original_source()
    while isinstance(result := apply("inline-single-use", source), TransformSuccess):
        source = result.code
    assert f"        losses.append({LOSS})\n" in source  # inline-single-use leaves one append in the loop
    assert [site.line for site in find_sites("append-comprehension", source)] == [152]
    result = apply("append-comprehension", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) - 2 == 181
    assert f"    losses = [{LOSS} for pos_id in range(n)]\n" in result.code
    assert new_violations(original_source(), result.code) == new_violations(original_source(), source)


def run(path: Path) -> str:
    """What the program prints; a failure's last line of stderr too, so that a crash differs from success."""
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    return done.stdout + (done.stderr.strip().splitlines() or [""])[-1] if done.returncode else done.stdout


PROGRAMS = [
    pytest.param("""
        import random
        random.seed(41)
        def draw(k):
            return random.gauss(0, 1) * k
        for step in range(3):
            keys, losses = [[] for _ in range(2)], []
            for pos_id in range(4):
                losses.append(draw(pos_id) + 0.1 * len(keys))
            print(step, [repr(v) for v in losses])
        for pos_id in range(2):
            print(pos_id, repr(random.random()))
        """, id="tuple-form-and-a-later-loop"),
    pytest.param("""
        import random
        random.seed(42)
        def f(r):
            out = []
            for i, x in enumerate(r):
                out.append(x * i - random.random())
            return out
        print([repr(v) for v in f([0.5, 1.5, 2.5])])
        """, id="function-tuple-target"),
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, source: str) -> None:
    source = program(source)
    result = apply("append-comprehension", source)
    assert isinstance(result, TransformSuccess) and result.code != source
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip()
    assert run(tmp_path / "after.py") == expected


# Each refusal matters: the comprehension a careless rewrite would write prints something else.
DANGERS = [
    pytest.param("""
        xs = []
        for i in range(3):
            xs.append(i * 2)
        print(xs, i)
        """, """
        i = None
        xs = [i * 2 for i in range(3)]
        print(xs, i)
        """, id="loop-variable-read-after-the-loop"),
    pytest.param("""
        fs = []
        for i in range(3):
            fs.append(lambda: i)
        i = 10
        print([f() for f in fs])
        """, """
        fs = [lambda: i for i in range(3)]
        i = 10
        print([f() for f in fs])
        """, id="lambda-sees-the-scope-variable"),
    pytest.param("""
        xs = [9]
        def peek():
            return len(xs)
        xs = []
        for i in range(3):
            xs.append(peek())
        print(xs)
        """, """
        xs = [9]
        def peek():
            return len(xs)
        xs = [peek() for i in range(3)]
        print(xs)
        """, id="function-reads-the-list-being-filled"),
    pytest.param("""
        class C:
            k = 2
            xs = []
            for i in range(3):
                xs.append(i * k)
        print(C.xs)
        """, """
        class C:
            k = 2
            xs = [i * k for i in range(3)]
        print(C.xs)
        """, id="class-body-names-unseen"),
    pytest.param("""
        xs = ['old']
        try:
            xs = []
            for i in [2, 1, 0]:
                xs.append(1 / i)
        except ZeroDivisionError:
            pass
        print(xs)
        """, """
        xs = ['old']
        try:
            xs = [1 / i for i in [2, 1, 0]]
        except ZeroDivisionError:
            pass
        print(xs)
        """, id="caught-exception-mid-loop"),
]


@pytest.mark.parametrize("source, unsound", DANGERS)
def test_refused_where_the_comprehension_would_differ(tmp_path: Path, source: str, unsound: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "unsound.py").write_text(program(unsound))
    assert run(tmp_path / "unsound.py") != run(tmp_path / "before.py")  # the danger is real
    assert isinstance(apply("append-comprehension", program(source)), TransformSkip)


# A recursion through the element: the comprehension's frame would be one more at every level (Python 3.11).
DEEP = """
    def sizes(tree):
        out = []
        for child in tree:
            out.append(sizes(child))
        return 1 + sum(out)
    chain = []
    for _ in range(600):
        chain = [chain]
    print(sizes(chain))
    """


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 runs a list comprehension in its caller's frame")
def test_a_recursion_through_the_element_is_refused(tmp_path: Path) -> None:
    (tmp_path / "before.py").write_text(program(DEEP))
    (tmp_path / "unsound.py").write_text(program(DEEP).replace(
        "    out = []\n    for child in tree:\n        out.append(sizes(child))\n",
        "    out = [sizes(child) for child in tree]\n"))
    assert run(tmp_path / "before.py") == "601\n"
    assert "RecursionError" in run(tmp_path / "unsound.py")  # the danger is real
    assert_refuses("append-comprehension", DEEP)
