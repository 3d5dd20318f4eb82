"""Differential tests: each codemod's rewrite of small seeded programs prints the very same bytes when run.

Floats are printed with repr, so every bit shows. Both programs really run, in a temporary folder, with the
interpreter running the tests. Every program is one its codemod changes: a test that rewrote nothing
would prove nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from trimbench.codemods import TransformSkip, TransformSuccess, apply

from ._cases import program

VALUE = """
    import random
    random.seed(3)

    class Value:
        def __init__(self, data, children=(), local_grads=()):
            self.data = data
            self.grad = 0
            self._children = children
            self._local_grads = local_grads

        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data + other.data, (self, other), (1, 1))

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data * other.data, (self, other), (other.data, self.data))

        def __truediv__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data / other.data, (self, other), (1 / other.data, -self.data / other.data**2))

        def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
        def __sub__(self, other): return self + (other * -1)

        def backward(self):
            topo, seen = [], set()
            def build(v):
                if v not in seen:
                    seen.add(v)
                    for child in v._children:
                        build(child)
                    topo.append(v)
            build(self)
            self.grad = 1
            for v in reversed(topo):
                for child, local in zip(v._children, v._local_grads):
                    child.grad += local * v.grad
    """

PROGRAMS = [
    pytest.param("operator-dunders", {}, VALUE + """
    xs = [Value(random.gauss(0, 1)) for _ in range(6)]
    y = xs[0]
    for x in xs[1:]:
        y = y * x + x / (x * x + 3.0) - 0.1
    y.backward()
    print(repr(y.data), [repr(x.grad) for x in xs])
    """, id="operator-dunders-autograd"),
    pytest.param("operator-dunders", {}, VALUE + """
    w = [Value(random.uniform(-1, 1)) for _ in range(4)]
    for step in range(5):
        loss = sum(((wi * 1.5 - 0.3) ** 2 for wi in w), Value(0.0)) / 4
        for wi in w:
            wi.grad = 0
        loss.backward()
        for wi in w:
            wi.data -= 0.1 * wi.grad
        print(step, repr(loss.data))
    """, id="operator-dunders-descent"),
    pytest.param("condense-init", {}, """
    import random
    random.seed(5)
    n, m = 3, 4
    make = lambda rows, cols: [[random.gauss(0, 1) for _ in range(cols)] for _ in range(rows)]
    params = {'emb': make(n, n)}
    for i in range(2):
        params[f'l{i}.a'] = make(n, m)
        params[f'l{i}.b'] = make(m, n)
        params[f'l{i}.c'] = make(2 * n, m - 1)
    print(list(params))
    print([repr(v) for mat in params.values() for row in mat for v in row])
    """, id="condense-init-layers"),
    pytest.param("condense-init", {}, """
    import random
    random.seed(6)
    def draw(k, scale):
        return [random.random() * scale for _ in range(k)]
    k = 3
    table = dict()
    table['x'] = draw(k, 0.5)
    table['y'] = draw(k, 0.5)
    table['z'] = draw(k + 1, 2.0)
    print({key: [repr(v) for v in vs] for key, vs in table.items()})
    """, id="condense-init-same-function"),
    pytest.param("merge-assignments", {}, """
    import random
    random.seed(7)
    a = 0.1
    b = 0.2
    c = a + b
    scale = 3.0
    xs = [random.random() for _ in range(5)]
    for i in range(len(xs)):
        lo = xs[i] * scale
        hi = xs[i] / scale
        print(repr(lo + hi + c))
    """, id="merge-assignments-floats"),
    pytest.param("merge-assignments", {}, """
    import random
    random.seed(8)
    class Point:
        def __init__(self, x, y):
            self.x = x
            self.y = y
            self.norm = 0.0
        def grow(self, k):
            dx = self.x * k
            dy = self.y * k
            return dx - dy
    p = Point(random.random(), random.random())
    print(repr(p.grow(1.7)), repr(p.x), repr(p.norm))
    """, id="merge-assignments-attributes"),
    pytest.param("inline-single-use", {}, """
    import random
    random.seed(11)
    def f(a, x):
        t = not a
        return t + x
    def g(v, w):
        s = v - w
        return w - s
    def h(xs):
        total = sum(xs)
        mean = total / len(xs)
        return [x - mean for x in xs]
    def k(v, i):
        v_hat = v[i] / (1 - 0.99 ** (i + 1))
        return 0.5 / (v_hat ** 0.5 + 1e-8)
    xs = [random.random() for _ in range(6)]
    print(f(False, 2), f(True, 2))
    print(repr(g(xs[0], xs[1])), [repr(v) for v in h(xs)], repr(k(xs, 2)))
    """, id="inline-single-use-precedence"),
    pytest.param("inline-single-use", {}, """
    import math
    import random
    random.seed(12)
    losses = []
    for step in range(4):
        probs = [random.random() for _ in range(3)]
        loss_t = -math.log(probs[step % 3])
        losses.append(loss_t)
        scale = (sum(losses) / len(losses) + 1e-5) ** -0.5
        print(repr(scale))
    """, id="inline-single-use-loop"),
    pytest.param("inline-single-use", {}, """
    import random
    random.seed(21)
    def block(x, r):
        x = [v * 1.5 + random.random() for v in x]
        x = [a + b for a, b in zip(x, r)]
        x = [v / 3 for v in x]
        return x
    docs = ['ab', 'ba', 'abc']
    for step in range(3):
        doc = docs[step % len(docs)]
        tokens = [0] + [ord(c) for c in doc] + [0]
        print(tokens, [repr(v) for v in block([random.random() for _ in range(3)], [0.1, 0.2, 0.3])])
    """, id="inline-single-use-rebinding-and-display"),
    pytest.param("extract-function", {}, """
    import random
    random.seed(13)
    acc = 0.0
    for i in range(5):
        step = random.random() * i
        acc = acc + step
        print(repr(acc))
    print(repr(acc), repr(step))
    """, id="extract-function-carried"),
    pytest.param("extract-function", {"name": "adam"}, """
    import random
    random.seed(14)
    params = [random.gauss(0, 1) for _ in range(4)]
    grads = [random.gauss(0, 1) for _ in range(4)]
    m, v = [0.0] * 4, [0.0] * 4
    for step in range(3):
        for i, p in enumerate(params):
            m[i] = 0.85 * m[i] + (1 - 0.85) * grads[i]
            v[i] = 0.99 * v[i] + (1 - 0.99) * grads[i] ** 2
            m_hat = m[i] / (1 - 0.85 ** (step + 1))
            params[i] = p - 0.01 * m_hat / (v[i] ** 0.5 + 1e-8)
    print([repr(p) for p in params])
    """, id="extract-function-adam"),
    pytest.param("extract-function", {}, """
    import random
    random.seed(15)
    def run(xs):
        total = 0.0
        for x in xs:
            total += x
            print(repr(total), repr(sum(y * x for y in xs)))
        return total
    print(repr(run([random.random() for _ in range(4)])))
    """, id="extract-function-augmented"),
    pytest.param("one-line-imports", {}, """
    import math  # math.sqrt
    import random  # random.seed, random.random
    import json as js
    random.seed(21)
    xs = [random.random() for _ in range(5)]
    print(js.dumps([repr(math.sqrt(x)) for x in xs]))
    """, id="one-line-imports-aliased"),
    pytest.param("hoist-imports", {}, """
    import random
    random.seed(22)
    total = 0.0
    for i in range(4):
        import json
        total += random.random()
        print(json.dumps(repr(total)))
    if total > 0:
        import statistics
        print(repr(statistics.fmean([total, 1.5])))
    print(repr(random.random()))
    """, id="hoist-imports-loop-and-if"),
    pytest.param("one-line-bodies", {}, """
    import random
    random.seed(5)
    def scale(x):
        return x * 1.7 - 0.3
    for step in range(8):
        v = scale(random.random())
        print(step, repr(v))
        if v > 1.2:
            break
    """, id="one-line-bodies-def-and-break"),
    pytest.param("dict-call", {}, """
    import random
    random.seed(24)
    calls = []
    def draw(tag):
        calls.append(tag)
        return random.gauss(0, 1)
    params = {'wte': draw('wte'), 'wpe': draw('wpe'), 'lm_head': draw('lm_head')}
    print(calls, list(params), [repr(v) for v in params.values()])
    """, id="dict-call-evaluation-order"),
    pytest.param("tighten-blank-lines", {}, '''
    """A random walk."""

    import random

    random.seed(31)

    # Walk
    def step(x):

        return x + random.gauss(0, 1)

    text = """keeps

    its blank line"""
    x = 0.0
    for i in range(5):

        x = step(x)
        print(i, repr(x))
    print(text)
    ''', id="tighten-blank-lines-walk"),
    pytest.param("compact-docstring", {}, '''
    """
    Monte Carlo estimate of pi.

    @someone
    """
    import random
    random.seed(32)
    def inside():
        """One dart:
        True when it lands in the quarter circle.
        """
        x, y = random.random(), random.random()
        return x * x + y * y <= 1.0
    hits = sum(inside() for _ in range(2000))
    print(repr(4 * hits / 2000))
    ''', id="compact-docstring-monte-carlo"),
    pytest.param("wrap-long-comments", {}, """
    import random
    random.seed(33)
    total = 0.0
    for i in range(6):
        # A noisy sum: each step adds a gaussian draw times its index; """ + "later ones weigh more " * 3 + """
        total += random.gauss(0, 1) * (i + 1)
        print(repr(total))
    """, id="wrap-long-comments-sum"),
]


def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("name, options, source", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, name: str, options: dict, source: str) -> None:
    source = program(source)
    result = apply(name, source, **options)
    assert isinstance(result, TransformSuccess) and result.code != source  # the codemod really changed it
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip()
    assert run(tmp_path / "after.py") == expected


# The three unsound rewrites of issue 11, as the codemods wrote them before: each really changed the output.
DANGERS = [
    pytest.param("inline-single-use", """
        def f(a, x):
            t = not a
            return t + x
        print(f(False, 2), f(True, 2))
        """, """
        def f(a, x):
            return not a + x
        print(f(False, 2), f(True, 2))
        """, id="inline-not-under-plus"),
    pytest.param("extract-function", """
        acc = 0
        for i in range(4):
            acc = acc + i
            print(acc)
        """, """
        acc = 0
        def loop_body(i, acc):
            acc = acc + i
            print(acc)
        for i in range(4):
            loop_body(i, acc)
        """, id="extract-loses-the-carried-value"),
    pytest.param("condense-init", """
        b, c = 2, 3
        def make(x):
            global b, c
            b, c = b + 10, c + 20
            return x
        d = {}
        d['a'] = make(1)
        d['b'] = make(b)
        d['c'] = make(c)
        print(d)
        """, """
        b, c = 2, 3
        def make(x):
            global b, c
            b, c = b + 10, c + 20
            return x
        d = {}
        d.update({name: make(*shape) for name, shape in [('a', (1,)), ('b', (b,)), ('c', (c,))]})
        print(d)
        """, id="condense-reorders-arguments-after-a-global-rebind"),
]


@pytest.mark.parametrize("name, source, unsound", DANGERS)
def test_the_old_unsound_rewrites_are_fixed(tmp_path: Path, name: str, source: str, unsound: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "unsound.py").write_text(program(unsound))
    expected = run(tmp_path / "before.py")
    assert run(tmp_path / "unsound.py") != expected  # the danger is real
    result = apply(name, program(source))
    if name == "condense-init":
        assert isinstance(result, TransformSkip)  # nothing can prove the arguments unaffected: refused
    else:
        assert isinstance(result, TransformSuccess)  # rewritten soundly: parenthesized, or the value returned
        (tmp_path / "after.py").write_text(result.code)
        assert run(tmp_path / "after.py") == expected


# Programs that can see what a layout codemod changes (their line numbers, their docstring): the codemod refuses.
SEEN = [
    pytest.param("tighten-blank-lines", """
        import inspect

        def where():
            return inspect.currentframe().f_back.f_lineno

        print(where())
        """, """
        import inspect
        def where():
            return inspect.currentframe().f_back.f_lineno
        print(where())
        """, id="tighten-a-program-printing-its-line-number"),
    pytest.param("compact-docstring", '''
        """Usage:
            run it
        """
        print(__doc__)
        ''', '''
        """Usage: run it"""
        print(__doc__)
        ''', id="compact-a-printed-docstring"),
    pytest.param("wrap-long-comments", f"""
        import sys
        # {"a comment long enough to wrap " * 5}
        print(sys._getframe().f_lineno)
        """, f"""
        import sys
        # {"a comment long enough to wrap " * 3}
        # {"a comment long enough to wrap " * 2}
        print(sys._getframe().f_lineno)
        """, id="wrap-above-a-printed-line-number"),
]


@pytest.mark.parametrize("name, source, rewritten", SEEN)
def test_refused_where_the_program_can_see_the_change(tmp_path: Path, name: str, source: str, rewritten: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "after.py").write_text(program(rewritten))
    assert run(tmp_path / "after.py") != run(tmp_path / "before.py")  # the layout change would show
    assert isinstance(apply(name, program(source)), TransformSkip)
