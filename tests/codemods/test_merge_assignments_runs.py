"""merge-assignments, run: small seeded programs print the very same bytes before and after the rewrite.

Floats are printed with repr, so every bit shows. Each program is one the codemod changes; each danger is a
program whose unsound merge (written by hand) really prints something else, and which the codemod refuses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from trimbench.codemods import TransformSkip, TransformSuccess, apply

from ._cases import program

PROGRAMS = [
    pytest.param("""
    import random
    random.seed(41)
    params = [random.gauss(0, 1) for _ in range(5)]
    m = [0.0] * len(params)
    v = [0.0] * len(params)
    for step in range(4):
        for i, p in enumerate(params):
            g = p * 0.3 - 0.1
            m[i] = 0.85 * m[i] + (1 - 0.85) * g
            v[i] = 0.99 * v[i] + (1 - 0.99) * g ** 2
            params[i] = p - 0.01 * (m[i] / (1 - 0.85 ** (step + 1))) / ((v[i] / (1 - 0.99 ** (step + 1))) ** 0.5 + 1e-8)
        print([repr(p) for p in params])
    """, "m[i], v[i] =", id="adam-paired-stores"),
    pytest.param("""
    import random
    random.seed(42)
    class Node:
        def __init__(self, data, children=()):
            self.data = data  # its value
            self.grad = 0  # its gradient
            self.children = children  # what it was made of
        def order(self):
            topo = []
            visited = set()
            def build(v):
                if v not in visited:
                    visited.add(v)
                    for child in v.children:
                        build(child)
                    topo.append(v)
            build(self)
            return topo
    leaves = [Node(random.random()) for _ in range(3)]
    root = Node(sum(n.data for n in leaves), (leaves[0], Node(leaves[1].data * 2, (leaves[1],)), leaves[2]))
    print([repr(n.data) for n in root.order()], root.grad)
    """, "topo, visited = [], set()", id="empty-set-after-a-name-a-closure-reads"),
    pytest.param("""
    import random
    random.seed(43)
    def block(x, keys):
        x_residual, x = x, [xi * 1.5 for xi in x]
        keys.append(x)
        print(len(keys))
        x_attn = []
        for h in range(2):
            x_attn.extend([xi + h * random.random() for xi in x])
        return [repr(a) for a in x_attn], x_residual
    keys = []
    for step in range(3):
        print(block([random.random() for _ in range(2)], keys))
    """, "x_residual, x, x_attn = x, [xi * 1.5 for xi in x], []", id="constant-moves-up"),
]


def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("source, merged", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, source: str, merged: str) -> None:
    source = program(source)
    result = apply("merge-assignments", source)
    assert isinstance(result, TransformSuccess) and merged in result.code  # the merge under test happened
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip()
    assert run(tmp_path / "after.py") == expected


# (program, its unsound merge): the codemod must leave the program alone.
DANGERS = [
    pytest.param("""
        m = [0.0] * 3
        v = m

        for i in range(3):
            m[i] = m[i] + 1.5
            v[i] = v[i] * 2.0
        print(m)
        """, """
        m = [0.0] * 3
        v = m

        for i in range(3):
            m[i], v[i] = m[i] + 1.5, v[i] * 2.0
        print(m)
        """, id="aliased-lists"),
    pytest.param("""
        i = 0
        def bump():
            global i
            i = 1
            return 0.5
        m = [0.0] * 2

        v = [0.0] * 2

        m[i] = m[i] + 1.0
        v[i] = v[i] + bump()
        print(m, v)
        """, """
        i = 0
        def bump():
            global i
            i = 1
            return 0.5
        m = [0.0] * 2

        v = [0.0] * 2

        m[i], v[i] = m[i] + 1.0, v[i] + bump()
        print(m, v)
        """, id="a-call-rebinds-the-index"),
    pytest.param("""
        m = [0.0] * 2
        def peek():
            return m[0]

        m[0] = m[0] + 1.0
        total = peek()
        print(total)
        """, """
        m = [0.0] * 2
        def peek():
            return m[0]

        m[0], total = m[0] + 1.0, peek()
        print(total)
        """, id="a-function-reads-the-list"),
    pytest.param("""
        topo = 'old'
        def set():
            print(topo)
            return {}

        topo = []
        visited = set()
        """, """
        topo = 'old'
        def set():
            print(topo)
            return {}

        topo, visited = [], set()
        """, id="set-rebound"),
    pytest.param("""
        a = 0
        g = (a for _ in 'x')

        a = 1
        b = next(g)
        print(b)
        """, """
        a = 0
        g = (a for _ in 'x')

        a, b = 1, next(g)
        print(b)
        """, id="name-read-by-a-kept-generator"),
    pytest.param("""
        acc = [1]
        for step in range(3):
            x = step
            print(len(acc))
            acc = []
        """, """
        acc = [1]
        for step in range(3):
            x, acc = step, []
            print(len(acc))
        """, id="moved-over-a-read"),
    pytest.param("""
        a = 0

        try:
            a = 1
            b = int('x')
        except ValueError:
            print(a)
        """, """
        a = 0

        try:
            a, b = 1, int('x')
        except ValueError:
            print(a)
        """, id="caught-in-between"),
]


@pytest.mark.parametrize("source, unsound", DANGERS)
def test_unsound_merges_print_otherwise_and_are_refused(tmp_path: Path, source: str, unsound: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "unsound.py").write_text(program(unsound))
    assert run(tmp_path / "unsound.py") != run(tmp_path / "before.py")  # the danger is real
    assert isinstance(apply("merge-assignments", program(source)), TransformSkip)
