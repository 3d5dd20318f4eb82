from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.extract_function import ExtractFunction

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


class TestExtractFunctionNoChange(CodemodTest):
    TRANSFORM = ExtractFunction

    def assertUnchanged(self, source: str, **options) -> None:
        self.assertCodemod(source, source, expected_skip=True, **options)

    def test_break(self) -> None:
        self.assertUnchanged("for x in xs:\n    y = x\n    if y:\n        break\n")

    def test_continue_in_a_simple_body(self) -> None:
        self.assertUnchanged("for x in xs:\n    y = x\n    continue\n")

    def test_return(self) -> None:
        self.assertUnchanged("def f(xs):\n    for x in xs:\n        y = x\n        return y\n")

    def test_yield(self) -> None:
        self.assertUnchanged("def f(xs):\n    for x in xs:\n        y = x\n        yield y\n")

    def test_rebinding_the_loop_target(self) -> None:
        self.assertUnchanged("for x in xs:\n    x = x + 1\n    print(x)\n")

    def test_global_declaration(self) -> None:
        self.assertUnchanged("def f(xs):\n    global n\n    for x in xs:\n        global n\n        n = x\n")

    def test_name_already_taken(self) -> None:
        self.assertUnchanged("def loop_body():\n    pass\nfor x in xs:\n    a = x\n    b = a\n")

    def test_dynamic_lookup(self) -> None:
        self.assertUnchanged("for x in xs:\n    a = x\n    print(locals())\n")

    def test_single_statement_body(self) -> None:
        self.assertUnchanged("for x in xs:\n    print(x)\n")

    def test_no_loop_at_the_given_line(self) -> None:
        self.assertUnchanged("a = 1\nfor x in xs:\n    a = x\n    print(a)\n", line=1)


def test_original_extracts_the_adam_update() -> None:
    source = original_source()
    result = apply("extract-function", source, name="adam_update")
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert "def adam_update(i, p, m, beta1, v, beta2, step, lr_t, eps_adam):" in result.code
    assert "        adam_update(i, p, m, beta1, v, beta2, step, lr_t, eps_adam)\n" in result.code
    # Extraction trades lines for structure: a def line and a call line more, never fewer.
    assert line_count(result.code) == line_count(source) + 3
