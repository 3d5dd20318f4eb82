import ast
import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.inline_single_use import InlineSingleUse

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source


class TestInlineSingleUseChanges(CodemodTest):
    TRANSFORM = InlineSingleUse

    def test_append_of_a_temporary(self) -> None:
        before = """
def step(probs, target_id, losses):
    loss_t = -probs[target_id].log()
    losses.append(loss_t)
"""
        after = """
def step(probs, target_id, losses):
    losses.append(-probs[target_id].log())
"""
        self.assertCodemod(before, after)

    def test_return_of_a_temporary(self) -> None:
        before = "def f(x, w):\n    logits = linear(x, w)\n    return logits\n"
        after = "def f(x, w):\n    return linear(x, w)\n"
        self.assertCodemod(before, after)

    def test_parentheses_only_where_precedence_needs_them(self) -> None:
        before = """
def f(x, v, i, lr, m):
    ms = sum(x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    v_hat = v[i] / 2
    m.data -= lr * (v_hat ** 0.5 + 1e-8)
    s = a + b
    return c - s
"""
        after = """
def f(x, v, i, lr, m):
    scale = (sum(x) / len(x) + 1e-5) ** -0.5
    m.data -= lr * ((v[i] / 2) ** 0.5 + 1e-8)
    return c - (a + b)
"""
        self.assertCodemod(before, after)

    def test_comments_move_with_the_value(self) -> None:
        before = "def f(d):\n    # the position\n    pos = d['wpe'] # position embedding\n    return g(pos) # result\n"
        after = "def f(d):\n    # the position\n    return g(d['wpe']) # result; position embedding\n"
        self.assertCodemod(before, after)

    def test_first_iterable_of_a_comprehension_is_evaluated_once(self) -> None:
        before = "def f(docs, step):\n    doc = docs[step]\n    return [c for c in doc]\n"
        after = "def f(docs, step):\n    return [c for c in docs[step]]\n"
        self.assertCodemod(before, after)

    def test_loop_iterable_and_if_test(self) -> None:
        before = "def f(a, b):\n    t = g(a)\n    for x in t:\n        u = h(x)\n        if u:\n            print(x)\n"
        after = "def f(a, b):\n    for x in g(a):\n        if h(x):\n            print(x)\n"
        self.assertCodemod(before, after)

    def test_a_tuple_of_temporaries_past_a_call(self) -> None:
        before = """
# Forward the token sequence through the model, building up the computation graph all the way to the loss.
tokens = [BOS] + [uchars.index(ch) for ch in doc] + [BOS]
for pos_id in range(len(tokens) - 1):
    token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
    losses.append(-softmax(gpt(token_id, pos_id, keys, values))[target_id].log())
"""
        after = """
# Forward the token sequence through the model, building up the computation graph all the way to the loss.
tokens = [BOS] + [uchars.index(ch) for ch in doc] + [BOS]
for pos_id in range(len(tokens) - 1):
    losses.append(-softmax(gpt(tokens[pos_id], pos_id, keys, values))[tokens[pos_id + 1]].log())
"""
        self.assertCodemod(before, after)

    def test_a_call_may_move_past_plain_local_names(self) -> None:
        before = "def f(a, b):\n    t = g(a)\n    return b + t\n"
        after = "def f(a, b):\n    return b + g(a)\n"
        self.assertCodemod(before, after)


# The parser decides the parentheses (issue 11: `t = not a` then `return t + x` became `return not a + x`).
PRECEDENCE = [
    pytest.param("t = not a", "return t + x", "return (not a) + x", id="not-under-plus"),
    pytest.param("t = a * b", "return t * c", "return a * b * c", id="left-operand-same-level-stays-bare"),
    pytest.param("t = a * b", "return c * t", "return c * (a * b)", id="right-operand-same-level"),
    pytest.param("t = a - b", "return c - t", "return c - (a - b)", id="right-of-minus"),
    pytest.param("t = a ** b", "return t ** c", "return (a ** b) ** c", id="power-is-right-associative"),
    pytest.param("t = a ** b", "return c ** t", "return c ** a ** b", id="power-right-operand-stays-bare"),
    pytest.param("t = -a", "return t ** 2", "return (-a) ** 2", id="unary-minus-under-power"),
    pytest.param("t = a if b else c", "return t + 1", "return (a if b else c) + 1", id="conditional"),
    pytest.param("t = a < b", "return t < c", "return (a < b) < c", id="comparison-chain"),
    pytest.param("t = a or b", "return t and c", "return (a or b) and c", id="or-under-and"),
    pytest.param("t = a, b", "return g(t)", "return g((a, b))", id="tuple-as-an-argument"),
    pytest.param("t = a, b", "return t", "return a, b", id="tuple-returned"),
    pytest.param("t = lambda: a", "return t()", "return (lambda: a)()", id="lambda-called"),
    pytest.param("t = 1", "return t.real", "return (1).real", id="int-attribute"),
    pytest.param("t = a + b", "return g(t)", "return g(a + b)", id="any-expression-as-an-argument"),
    pytest.param("t = a + b", "return [t]", "return [a + b]", id="list-element"),
    pytest.param("t = a + b", "return x[t]", "return x[a + b]", id="subscript-index"),
]


@pytest.mark.parametrize("assign, use, inlined", PRECEDENCE)
def test_parentheses_exactly_where_the_parser_needs_them(assign: str, use: str, inlined: str) -> None:
    source = f"def f(a, b, c, x):\n    {assign}\n    {use}\n"
    result = apply("inline-single-use", source)
    assert isinstance(result, TransformSuccess)
    assert result.code == f"def f(a, b, c, x):\n    {inlined}\n"
    # The same tree as evaluating the temporary first: nothing but the name was replaced.
    assert ast.dump(ast.parse(result.code).body[0].body[0]) == ast.dump(_substituted(assign, use))


def _substituted(assign: str, use: str) -> ast.stmt:
    value = ast.parse(assign).body[0].value
    statement = ast.parse(use.replace("return", "def _():\n return", 1)).body[0].body[0]

    class Fill(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return value if node.id == "t" else node

    return Fill().visit(statement)


@pytest.mark.parametrize("before, after", [
    pytest.param("def f(x):\n    x = g(x)\n    x = h(x)\n    return x\n",
                 "def f(x):\n    x = h(g(x))\n    return x\n", id="a-name-bound-again-by-the-statement-that-reads-it"),
    pytest.param("def f(x, r):\n    x = lin(x)\n    x = [a + b for a, b in zip(x, r)]\n    return x\n",
                 "def f(x, r):\n    x = [a + b for a, b in zip(lin(x), r)]\n    return x\n",
                 id="into-the-first-iterable-of-a-comprehension"),
    pytest.param("for s in range(3):\n    doc = docs[s % len(docs)]\n    t = [B] + [c for c in doc] + [B]\n"
                 "    print(t)\n",
                 "for s in range(3):\n    t = [B] + [c for c in docs[s % len(docs)]] + [B]\n    print(t)\n",
                 id="a-call-may-move-past-a-display-of-names"),
    pytest.param("for i in r:\n    logits = gpt(i)\n    probs = softmax(logits)\n    print(probs)\n"
                 "for i in r:\n    logits = gpt(i)\n    print(logits)\n",
                 "for i in r:\n    probs = softmax(gpt(i))\n    print(probs)\nfor i in r:\n    print(gpt(i))\n",
                 id="a-temporary-reused-in-two-loops"),
    pytest.param("def f(a):\n    t = a\n    b = t\n    t = 2\n    return b\n",
                 "def f(a):\n    b = a\n    t = 2\n    return b\n", id="bound-again-later-and-never-read-again"),
])
def test_reassignments_and_displays(before: str, after: str) -> None:
    assert apply("inline-single-use", before).code == after


@pytest.mark.parametrize("before, after", [
    pytest.param("def f():\n    p = [1, 4, 9]\n    for i in range(2):\n        a, b = p[i], p[i + 1]\n"
                 "        print(b - a)\n",
                 "def f():\n    p = [1, 4, 9]\n    for i in range(2):\n        print(p[i + 1] - p[i])\n",
                 id="read-in-the-other-order"),
    pytest.param("def f():\n    a, b = 1 + 2, 3 - 4\n    return a * b\n",
                 "def f():\n    return (1 + 2) * (3 - 4)\n", id="each-parenthesized"),
    pytest.param("def f(x, y):\n    a, b = x, y # pair\n    return g(a) + b # sum\n",
                 "def f(x, y):\n    return g(x) + y # sum; pair\n", id="a-name-moves-past-a-call"),
    pytest.param("def f(n, lr):\n    m = [0.5, 0.4]\n    v = [0.25, 0.2]\n    for i in range(2):\n"
                 "        m_hat, v_hat = m[i], v[i]\n        print(lr * m_hat / (v_hat ** 0.5 + 1))\n",
                 "def f(n, lr):\n    m = [0.5, 0.4]\n    v = [0.25, 0.2]\n    for i in range(2):\n"
                 "        print(lr * m[i] / (v[i] ** 0.5 + 1))\n", id="adam-reads-of-private-lists"),
    pytest.param("xs = [1, 2, 3]\nfor i in range(2):\n    t, u = xs[i], xs[i + 1]\n    print(t, u)\nfor j in r:\n"
                 "    t = 0\n    for k in r:\n"
                 "        print(t)\n        t = k\n",
                 "xs = [1, 2, 3]\nfor i in range(2):\n    print(xs[i], xs[i + 1])\nfor j in r:\n    t = 0\n"
                 "    for k in r:\n        print(t)\n"
                 "        t = k\n", id="reused-name-read-after-another-binding"),
    pytest.param("def f(a):\n    print(t)\n    t = g(a)\n    return t\n", "def f(a):\n    print(t)\n    return g(a)\n",
                 id="read-before-the-binding-outside-any-loop"),
    pytest.param("def f(a, w):\n    x = g(a)\n    x = h(x)\n    q, k = (lin(x, w[n]) for n in 'qk')\n    return q, k\n",
                 "def f(a, w):\n    x = h(g(a))\n    q, k = (lin(x, w[n]) for n in 'qk')\n    return q, k\n",
                 id="a-generator-unpacked-at-once-reads-in-place"),
])
def test_tuples_and_reaching_bindings(before: str, after: str) -> None:
    assert apply("inline-single-use", before).code == after


MUST_NOT_APPLY = [
    # tuples
    pytest.param("def f(p):\n    a, b = p[0], p[1]\n    return a\n", id="tuple-one-name-not-read"),
    pytest.param("def f(p):\n    a, b = p[0], p[1]\n    return a + b + b\n", id="tuple-one-name-read-twice"),
    pytest.param("def f(p):\n    a, b = g(p), p[1]\n    return a + b\n", id="tuple-value-calls"),
    pytest.param("def f(p):\n    a, b = [x for x in p], p[1]\n    return a + b\n", id="tuple-value-iterates"),
    pytest.param("def f(a, p):\n    a, b = p[0], a\n    return a + b\n", id="tuple-value-reads-a-target"),
    pytest.param("def f(p):\n    a, b = *p, 1\n    return a + b\n", id="tuple-starred-value"),
    pytest.param("def f(p):\n    a, (b, c) = p, (1, 2)\n    return a + b + c\n", id="tuple-nested-target"),
    pytest.param("def f(p, i):\n    a, b = p[i], p[i + 1]\n    return g(p) + b\n",
                 id="tuple-item-of-a-list-a-call-may-change"),
    pytest.param("xs = [1, 2]\na, b = xs[0], xs[1]\nprint(xs.pop(), a, b)\n", id="tuple-list-mutated-before-the-read"),
    pytest.param("xs = [1, 2]\ndef g():\n    xs[1] = 5\na, b = xs[0], xs[1]\nprint(g(), b)\n",
                 id="tuple-list-a-function-reads"),
    pytest.param("xs = [[1, 2]]\na, b = xs[0][0], xs[0][1]\nprint(g(), b)\n", id="tuple-item-of-an-item"),
    pytest.param("def f(o):\n    a, b = o.x, o.y\n    return g() + b\n", id="tuple-attribute-past-a-call"),
    pytest.param("xs = [1, 2]\ni = 0\ndef g():\n    global i\n    i = 1\na, b = xs[0], xs[i]\nprint(g(), b)\n",
                 id="tuple-index-a-call-may-rebind"),
    pytest.param("def f(x, y):\n    a, b = x, y\n    return g(k=a, *b)\n", id="tuple-star-args-after-keywords"),
    pytest.param("def f(o, g):\n    b = o.y\n    return [z for z in g], b\n",
                 id="a-comprehension-iterates-before-the-read"),
    pytest.param("def f(o, g, h):\n    b = o.y\n    return h(*g, b)\n", id="star-args-iterate-before-the-read"),
    # a binding that reaches another read (loop-carried, in a comprehension, by `+=` or `del`)
    pytest.param("t = 0\nfor i in r:\n    print(t)\n    t = i * 2\n    u = abs(t)\n", id="read-by-the-next-iteration"),
    pytest.param("for i in r:\n    if i:\n        print(t)\n    t = i * 2\n    u = abs(t)\n",
                 id="read-by-the-next-iteration-of-its-only-binding"),
    pytest.param("x = 0\nfor i in r:\n    x = i * 2\n    y = abs(x)\nprint([x for _ in r])\nx = 5\n",
                 id="reused-but-read-by-a-comprehension-after-the-loop"),
    pytest.param("t = abs(-1)\nu = abs(t)\nt += 1\n", id="augmented-after"),
    pytest.param("t = abs(-1)\nu = abs(t)\ndel t\n", id="deleted-after"),
    pytest.param("g = (t for _ in r)\nt = f(1)\nu = h(t)\n", id="read-by-a-generator"),
    pytest.param("x = 1\ng = (x for _ in r)\nx = f(x)\nx = h(x)\n", id="bound-again-but-a-generator-reads-it"),

    pytest.param("def f(x):\n    x = g(x)\n    x = h(x, x)\n    return x\n", id="bound-again-but-read-twice"),
    pytest.param("for i in r:\n    logits = gpt(i)\n    probs = softmax(logits)\nprint(logits)\nlogits = 2\n",
                 id="reused-but-read-after-the-loop"),
    pytest.param("for i in r:\n    if i:\n        logits = gpt(i)\n    probs = softmax(logits)\nlogits = 2\n",
                 id="reused-but-bound-in-another-block"),
    pytest.param("def f(x):\n    x = g(x)\n    k = lambda: x\n    x = h(x)\n    return k\n",
                 id="bound-again-after-another-statement"),
    pytest.param("def f(x):\n    x = g(x)\n    x = h(x)\n    return lambda: x\n",
                 id="bound-again-but-read-by-a-lambda"),
    pytest.param("x = 1\nx = f(x)\ndef f(v):\n    return v + x\n",
                 id="bound-again-but-a-global-a-function-reads"),
    pytest.param("def f(x):\n    x = g(x)\n    x = [x for _ in r]\n    return x\n",
                 id="bound-again-read-in-a-comprehension-body"),
    pytest.param("for s in r:\n    doc = load(s)\n    t = [B, side()] + [c for c in doc]\n",
                 id="a-call-before-the-read"),
    # evaluated more or fewer times
    pytest.param("def softmax(exps):\n    total = sum(exps)\n    return [e / total for e in exps]\n",
                 id="comprehension-body"),  # sum once per element: a bigger graph, other floats
    pytest.param("def f(xs, a):\n    t = g(a)\n    return [x for x in xs if x > t]\n", id="comprehension-condition"),
    pytest.param("def f(xs, a):\n    t = g(a)\n    return [y for x in xs for y in t]\n",
                 id="second-iterable-of-a-comprehension"),
    pytest.param("def f(a):\n    t = g(a)\n    return a and t\n", id="right-of-and"),
    pytest.param("def f(a, c):\n    t = g(a)\n    return a if c else t\n", id="conditional-branch"),
    pytest.param("def f(a):\n    t = g(a)\n    return lambda: t\n", id="lambda-body"),
    pytest.param("def f(a):\n    t = g(a)\n    while t:\n        a = h(a)\n", id="loop-condition"),
    pytest.param("def f(a):\n    t = a['k']\n    return f'{t}'\n", id="f-string"),
    pytest.param("def f(a):\n    t = a + 1\n    return t * t\n", id="used-twice"),
    # evaluation order within the statement
    pytest.param("def f(lst):\n    t = lst[0]\n    return lst.pop() + t\n", id="call-before-the-read"),
    pytest.param("def f(lst):\n    t = lst.pop()\n    return lst[0] + t\n", id="subscript-before-a-moved-call"),
    pytest.param("def f(xs):\n    t = xs.pop()\n    return xs * 2 + t\n", id="operator-before-a-moved-call"),
    pytest.param("def f(o):\n    t = o.pop()\n    return o.n + t\n", id="attribute-before-a-moved-call"),
    pytest.param("def f(a):\n    t = g()\n    return h(k=t, *a)\n", id="star-args-run-before-keywords"),
    pytest.param("def f(a):\n    t = g(a)\n    d[t] = h(a)\n", id="assigned-value-runs-before-the-target"),
    pytest.param("def f(a):\n    t = g(a)\n    x, y = h(a), t\n    return x, y\n", id="tuple-values-run-left-to-right"),
    # global, nonlocal and walrus
    pytest.param("""
        n = 0
        def bump():
            global n
            n += 1
            return 0
        def f():
            t = bump()
            return n + t
        """, id="global-read-before-a-call-that-rebinds-it"),
    pytest.param("""
        def outer():
            t = 0
            def inner(a):
                nonlocal t
                t = a
                return t
            return inner
        """, id="nonlocal-temporary"),
    pytest.param("t = 1\nprint(t)\ndef f():\n    return t\n", id="global-read-by-a-function"),
    pytest.param("def f(b):\n    t = b + 1\n    return (b := 2) + t\n", id="walrus-rebinds-what-the-value-reads"),
    pytest.param("def f(a):\n    t = (y := a)\n    return t\n", id="walrus-in-the-value"),
    # scopes and names
    pytest.param("class C:\n    t = 1\n    u = t + 1\n", id="class-body"),
    pytest.param("def f(a):\n    t = a + 1\n    print(a)\n    return t\n", id="not-read-by-the-next-statement"),
    pytest.param("def f(a):\n    t = a\n    return g(t, locals())\n", id="dynamic-lookup"),
    pytest.param("def f(a):\n    t = g(a)\n    return h(a) + t\n", id="call-in-the-statement-before-the-read"),
    # x + y and x * y read in the other order: each may call a dunder, which may count its calls
    pytest.param("def f(x, y):\n    s, p = x + y, x * y\n    show(p, s)\n",
                 id="tuple-of-operators-read-in-another-order"),
    pytest.param("def f(m, i):\n    a, b = m[i] / 2, m[i] / 3\n    return b - a\n", id="tuple-of-unproven-arithmetic"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("inline-single-use", source)


def test_the_name_option_inlines_only_that_temporary() -> None:
    source = "def f(a):\n    t = a + 1\n    s = g(t)\n    u = a * 2\n    return s, u\n"
    assert_refuses("inline-single-use", source, name="v")
    after = "def f(a):\n    t = a + 1\n    s = g(t)\n    return s, a * 2\n"
    assert apply("inline-single-use", source, name="u").code == after


def test_a_chain_offers_one_site_at_a_time() -> None:
    source = "def f(a):\n    t = g(a)\n    u = t + 1\n    return u\n"
    assert [site.summary for site in find_sites("inline-single-use", source)] == ["inline `t` into line 3"]
    once = apply("inline-single-use", source)
    assert once.code == "def f(a):\n    u = g(a) + 1\n    return u\n"
    assert apply("inline-single-use", once.code).code == "def f(a):\n    return g(a) + 1\n"


def test_original_inlines_its_single_use_temporaries() -> None:
    source = original_source()
    result = apply("inline-single-use", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    assert "total = sum(exps)" in result.code  # inlining it would change the floats
    assert "losses.append(-probs[target_id].log())" in result.code


def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    return done.stdout + (done.stderr.strip().splitlines() or [""])[-1] if done.returncode else done.stdout


PROGRAMS = [
    pytest.param("""
        import random
        random.seed(51)
        calls = []
        def gpt(token_id, pos_id, keys):
            calls.append((token_id, pos_id))
            keys.append(random.random())
            return [random.gauss(0, 1) * token_id for _ in range(4)]
        losses, keys = [], []
        for step in range(3):
            tokens = [0] + [ord(c) % 4 for c in 'abcab'[step:]] + [0]
            for pos_id in range(len(tokens) - 1):
                token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
                losses.append(gpt(token_id, pos_id, keys)[target_id] * 0.5)
        print(calls, [repr(v) for v in losses], [repr(k) for k in keys])
        """, id="the-training-loop"),
    pytest.param("""
        import random
        random.seed(52)
        lr, eps = 0.01, 1e-8
        m = [random.random() for _ in range(3)]
        v = [random.random() for _ in range(3)]
        for i in range(3):
            m_i, v_i = m[i], v[i]
            print(repr(lr * m_i / (v_i ** 0.5 + eps)), i)
        """, id="adam-reads-of-private-lists"),
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, source: str) -> None:
    source = program(source)
    assert any("`, `" in site.summary for site in find_sites("inline-single-use", source))  # a tuple goes
    result = apply("inline-single-use", source)
    assert isinstance(result, TransformSuccess) and result.code != source
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip()
    assert run(tmp_path / "after.py") == expected


# Each refusal matters: the inlining a careless rewrite would do prints something else.
DANGERS = [
    pytest.param("""
        def g(p):
            p[1] = 7
            return 0
        def f(p, i):
            a, b = p[i], p[i + 1]
            return g(p) + b
        print(f([1, 2, 3], 0))
        """, """
        def g(p):
            p[1] = 7
            return 0
        def f(p, i):
            return g(p) + p[i + 1]
        print(f([1, 2, 3], 0))
        """, id="tuple-item-changed-by-a-call-before-its-read"),
    pytest.param("""
        xs = [1, 2, 3]
        a, b = xs[0], xs[1]
        print(xs.pop(0), a, b)
        """, """
        xs = [1, 2, 3]
        print(xs.pop(0), xs[0], xs[1])
        """, id="tuple-list-mutated-before-the-read"),
    pytest.param("""
        class O:
            pass
        o = O()
        o.x, o.y = 1, 2
        def gen():
            o.y = 5
            yield 0
        g = gen()
        a, b = o.x, o.y
        print([z for z in g], a, b)
        """, """
        class O:
            pass
        o = O()
        o.x, o.y = 1, 2
        def gen():
            o.y = 5
            yield 0
        g = gen()
        print([z for z in g], o.x, o.y)
        """, id="tuple-attribute-changed-by-an-iteration-before-its-read"),
    pytest.param("""
        t = 0
        for i in range(3):
            print(t)
            t = i * 2
            u = abs(t)
            print(u)
        """, """
        t = 0
        for i in range(3):
            print(t)
            u = abs(i * 2)
            print(u)
        """, id="read-by-the-next-iteration"),
    pytest.param("""
        x = 0
        for i in range(3):
            x = i * 2
            y = abs(x)
        print([x for _ in range(1)])
        x = 5
        """, """
        x = 0
        for i in range(3):
            y = abs(i * 2)
        print([x for _ in range(1)])
        x = 5
        """, id="reused-but-read-by-a-comprehension-after-the-loop"),
]


@pytest.mark.parametrize("source, unsound", DANGERS)
def test_refused_where_inlining_would_differ(tmp_path: Path, source: str, unsound: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "unsound.py").write_text(program(unsound))
    assert run(tmp_path / "unsound.py") != run(tmp_path / "before.py")  # the danger is real
    result = apply("inline-single-use", program(source))
    assert isinstance(result, TransformSkip) or program(unsound) != result.code
