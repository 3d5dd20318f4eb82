import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.extract_function import ExtractFunction

from ._cases import assert_refuses
from ._original import assert_parses, line_count, original_source


class TestExtractFunctionChanges(CodemodTest):
    TRANSFORM = ExtractFunction

    def test_adam_like_update_reads_variables_as_parameters(self) -> None:
        before = """
import math

def gpt(x):
    return x

beta1, m, params = 0.85, [0.0], []
for step in range(3):
    lr_t = 0.01 * step
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + p.grad
        m_hat = m[i] / (1 - beta1 ** (step + 1))
        p.data -= lr_t * math.sqrt(m_hat)
"""
        after = """
import math

def gpt(x):
    return x

def adam_update(i, p, m, beta1, step, lr_t):
    m[i] = beta1 * m[i] + p.grad
    m_hat = m[i] / (1 - beta1 ** (step + 1))
    p.data -= lr_t * math.sqrt(m_hat)

beta1, m, params = 0.85, [0.0], []
for step in range(3):
    lr_t = 0.01 * step
    for i, p in enumerate(params):
        adam_update(i, p, m, beta1, step, lr_t)
"""
        self.assertCodemod(before, after, name="adam_update")

    def test_names_read_after_the_loop_are_returned(self) -> None:
        before = """
total = 0
for x in xs:
    y = x * 2
    total = total + y
print(total, y)
"""
        after = """
total = 0

def loop_body(x, total):
    y = x * 2
    total = total + y
    return y, total

for x in xs:
    y, total = loop_body(x, total)
print(total, y)
"""
        self.assertCodemod(before, after)

    def test_line_picks_the_loop_and_comprehension_names_stay_local(self) -> None:
        before = """
def f(q, n):
    out = []
    for h in range(n):
        hs = h * 2
        out.extend([q[hs + j] for j in range(2)])
    for k in range(n):
        out.append(k)
        out.append(-k)
    return out
"""
        after = """
def head(h, out, q):
    hs = h * 2
    out.extend([q[hs + j] for j in range(2)])

def f(q, n):
    out = []
    for h in range(n):
        head(h, out, q)
    for k in range(n):
        out.append(k)
        out.append(-k)
    return out
"""
        self.assertCodemod(before, after, name="head", line=5)


    def test_a_value_carried_between_iterations_is_returned(self) -> None:
        # issue 11: the body's `acc` was never returned, so every iteration started again from 0.
        before = """
acc = 0
for i in range(4):
    acc = acc + i
    print(acc)
"""
        after = """
acc = 0

def loop_body(i, acc):
    acc = acc + i
    print(acc)
    return acc

for i in range(4):
    acc = loop_body(i, acc)
"""
        self.assertCodemod(before, after)

    def test_augmented_assignment_reads_then_returns(self) -> None:
        before = """
def f(xs):
    total = 0.0
    for x in xs:
        total += x
        print(total, sum(y * x for y in xs))
"""
        after = """
def loop_body(x, total, xs):
    total += x
    print(total, sum(y * x for y in xs))
    return total

def f(xs):
    total = 0.0
    for x in xs:
        total = loop_body(x, total, xs)
"""
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    # control flow a function cannot express
    pytest.param("for x in xs:\n    y = x\n    if y:\n        break\n", id="nested-block"),
    pytest.param("for x in xs:\n    y = x\n    continue\n", id="continue"),
    pytest.param("def f(xs):\n    for x in xs:\n        y = x\n        return y\n", id="return"),
    pytest.param("def f(xs):\n    for x in xs:\n        y = x\n        yield y\n", id="yield"),
    pytest.param("for x in xs:\n    x = x + 1\n    print(x)\n", id="rebinding-the-loop-target"),
    pytest.param("for x in xs:\n    y = (z := x)\n    print(y, z)\n", id="walrus"),
    # global and nonlocal state
    pytest.param("def f(xs):\n    global n\n    for x in xs:\n        global n\n        n = x\n",
                 id="global-in-the-body"),
    pytest.param("""
        counter = 0
        def bump():
            global counter
            counter += 1
        for x in range(3):
            bump()
            print(x, counter)
        """, id="a-call-rebinds-a-global-the-body-reads"),
    pytest.param("""
        def show():
            print(y)
        for x in range(3):
            y = x * 2
            show()
        """, id="a-function-reads-a-name-the-body-binds"),
    pytest.param("""
        def outer(xs):
            n = 0
            def bump():
                nonlocal n
                n += 1
            for x in xs:
                bump()
                print(x, n)
        """, id="a-nested-function-rebinds-a-local-the-body-reads"),
    # closures would capture the function's locals, not the loop's variables
    pytest.param("fs = []\nfor x in range(3):\n    k = x\n    fs.append(lambda: k)\n", id="lambda"),
    pytest.param("gs = []\nfor x in range(3):\n    k = x\n    gs.append(k * j for j in range(2))\n",
                 id="generator-kept-for-later"),
    pytest.param("""
        def sum(gen):
            return gen  # kept, to be consumed after the function's locals stopped changing
        for x in range(3):
            k = x
            print(sum(k * j for j in range(2)))
        """, id="sum-is-not-the-builtin"),
    # names
    pytest.param("def loop_body():\n    pass\nfor x in xs:\n    a = x\n    b = a\n", id="name-already-taken"),
    pytest.param("for x in xs:\n    a = x\n    print(locals())\n", id="dynamic-lookup"),
    pytest.param("for x in xs:\n    print(x)\n", id="single-statement-body"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("extract-function", source)


def test_no_loop_at_the_given_line() -> None:
    assert_refuses("extract-function", "a = 1\nfor x in xs:\n    a = x\n    print(a)\n", line=1)


def test_original_extracts_the_adam_update() -> None:
    source = original_source()
    result = apply("extract-function", source, name="adam_update")
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert "def adam_update(i, p, m, beta1, v, beta2, step, lr_t, eps_adam):" in result.code
    assert "        adam_update(i, p, m, beta1, v, beta2, step, lr_t, eps_adam)\n" in result.code
    # Extraction trades lines for structure: a def line and a call line more, never fewer.
    assert line_count(result.code) == line_count(source) + 3
