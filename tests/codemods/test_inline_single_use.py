from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.inline_single_use import InlineSingleUse

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


class TestInlineSingleUseNoChange(CodemodTest):
    TRANSFORM = InlineSingleUse

    def assertUnchanged(self, source: str) -> None:
        self.assertCodemod(source, source, expected_skip=True)

    def test_softmax_total_inside_a_comprehension(self) -> None:
        # sum(exps) once per element would build a bigger graph and round differently.
        self.assertUnchanged("def softmax(exps):\n    total = sum(exps)\n    return [e / total for e in exps]\n")

    def test_used_twice(self) -> None:
        self.assertUnchanged("def f(a):\n    t = a + 1\n    return t * t\n")

    def test_not_used_by_the_very_next_statement(self) -> None:
        self.assertUnchanged("def f(a):\n    t = a + 1\n    print(a)\n    return t\n")

    def test_call_before_the_read(self) -> None:
        self.assertUnchanged("def f(lst):\n    t = lst[0]\n    return lst.pop() + t\n")

    def test_subscript_before_the_read_when_the_value_calls(self) -> None:
        self.assertUnchanged("def f(lst):\n    t = lst.pop()\n    return lst[0] + t\n")

    def test_right_of_and_or(self) -> None:
        self.assertUnchanged("def f(a):\n    t = g(a)\n    return a and t\n")

    def test_loop_condition(self) -> None:
        self.assertUnchanged("def f(a):\n    t = g(a)\n    while t:\n        a = h(a)\n")

    def test_module_global_read_by_a_function(self) -> None:
        self.assertUnchanged("t = 1\nprint(t)\ndef f():\n    return t\n")

    def test_bound_twice(self) -> None:
        self.assertUnchanged("def f(a):\n    t = a\n    b = t\n    t = 2\n    return b\n")

    def test_dynamic_name_lookup(self) -> None:
        self.assertUnchanged("def f(a):\n    t = a\n    return g(t, locals())\n")

    def test_f_string(self) -> None:
        self.assertUnchanged("def f(a):\n    t = a['k']\n    return f'{t}'\n")


def test_original_inlines_its_single_use_temporaries() -> None:
    source = original_source()
    result = apply("inline-single-use", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    assert "total = sum(exps)" in result.code  # inlining it would change the floats
    assert "losses.append(-probs[target_id].log())" in result.code
