import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.condense_init import CondenseInit

from ._cases import assert_refuses
from ._original import assert_parses, line_count, original_source

HEAD = """
n_embd, n_layer, vocab_size = 16, 1, 27
matrix = lambda nout, nin, std=0.08: [[gauss(0, std) for _ in range(nin)] for _ in range(nout)]
state_dict = {'wte': matrix(vocab_size, n_embd)}
"""


class TestCondenseInitChanges(CodemodTest):
    TRANSFORM = CondenseInit

    def test_layer_loop_keeps_call_order(self) -> None:
        before = HEAD + """
for i in range(n_layer):
    state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.attn_wk'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)
"""
        after = HEAD + """
for i in range(n_layer):
    state_dict.update({f'layer{i}.{name}': matrix(*shape) for name, shape in [
        ('attn_wq', (n_embd, n_embd)), ('attn_wk', (n_embd, n_embd)),
        ('mlp_fc1', (4 * n_embd, n_embd)), ('mlp_fc2', (n_embd, 4 * n_embd))]})
"""
        self.assertCodemod(before, after)

    def test_same_arguments_need_no_shape_table(self) -> None:
        before = """
d = {}
d["a"] = make(n)
d["b"] = make(n)
d["c"] = make(n)
"""
        after = """
d = {}
d.update({name: make(n) for name in ["a", "b", "c"]})
"""
        self.assertCodemod(before, after)

    def test_fresh_names_avoid_collisions(self) -> None:
        before = """
d = dict()
d['x.a'] = f(name, shape)
d['x.b'] = f(name, shape)
d['x.c'] = f(name, 1)
"""
        after = """
d = dict()
d.update({f'x.{name_}': f(*shape_) for name_, shape_ in [
    ('a', (name, shape)), ('b', (name, shape)), ('c', (name, 1))]})
"""
        self.assertCodemod(before, after)

    def test_long_table_wraps_to_the_files_widest_line_or_88(self) -> None:
        before = """
width_of_layer, height_of_layer = 8, 4
d = {}
d['alpha_long_name'] = make(width_of_layer, height_of_layer)
d['beta_long_name'] = make(width_of_layer, 2 * height_of_layer)
d['gamma_long_name'] = make(2 * width_of_layer, height_of_layer)
d['delta_long_name'] = make(height_of_layer, width_of_layer)
"""
        after = """
width_of_layer, height_of_layer = 8, 4
d = {}
d.update({name: make(*shape) for name, shape in [
    ('alpha_long_name', (width_of_layer, height_of_layer)),
    ('beta_long_name', (width_of_layer, 2 * height_of_layer)),
    ('gamma_long_name', (2 * width_of_layer, height_of_layer)),
    ('delta_long_name', (height_of_layer, width_of_layer))]})
"""
        self.assertCodemod(before, after)


    def test_numbers_proven_through_tuples_and_enumerate(self) -> None:
        before = """
n, m = 4, 2 * 3
for i, p in enumerate(ps):
    pass
d = {}
for i in range(2):
    d[f'{i}.a'] = f(n, m)
    d[f'{i}.b'] = f(n * m, -n)
    d[f'{i}.c'] = f(n ** 2, m)
"""
        after = """
n, m = 4, 2 * 3
for i, p in enumerate(ps):
    pass
d = {}
for i in range(2):
    d.update({f'{i}.{name}': f(*shape) for name, shape in [
        ('a', (n, m)), ('b', (n * m, -n)), ('c', (n ** 2, m))]})
"""
        self.assertCodemod(before, after)


RUN = "d['a'] = make(x)\nd['b'] = make(y)\nd['c'] = make(z)\n"

MUST_NOT_APPLY = [
    # a call may change what a later argument reads (issue 11: {'a': 1, 'b': 12, 'c': 23} instead of 1, 2, 3)
    pytest.param("""
        b, c = 2, 3
        def make(x):
            global b, c
            b, c = b + 10, c + 20
            return x
        d = {}
        d['a'] = make(1)
        d['b'] = make(b)
        d['c'] = make(c)
        """, id="a-call-rebinds-a-global-a-later-argument-reads"),
    pytest.param("""
        class Thing:
            def __mul__(self, k):
                return k
        w = Thing()
        d = {}
        d['a'] = make(w * 1)
        d['b'] = make(w * 2)
        d['c'] = make(w * 3)
        """, id="operator-on-a-name-not-proven-a-number"),
    pytest.param("n = g()\nd = {}\nd['a'] = f(n + 1)\nd['b'] = f(n + 2)\nd['c'] = f(n + 3)\n",
                 id="arithmetic-on-a-call-result"),
    pytest.param("d = {}\nd['a'] = f(cfg.n)\nd['b'] = f(cfg.n)\nd['c'] = f(cfg.n)\n", id="attribute-argument"),
    pytest.param("d = {}\nd['a'] = f(g())\nd['b'] = f(g())\nd['c'] = f(g())\n", id="call-argument"),
    pytest.param("""
        def f(x):
            global i
            i += 1
            return x
        i = 0
        d = {}
        d[f'{i}a'] = f(1)
        d[f'{i}b'] = f(2)
        d[f'{i}c'] = f(3)
        """, id="a-call-rebinds-a-key-name"),
    # the dict must not be seen half filled
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = f(d)\nd['c'] = f(3)\n", id="argument-reads-the-dict"),
    pytest.param("d = {}\nf = lambda n: len(d) + n\nd['a'] = f(1)\nd['b'] = f(2)\nd['c'] = f(3)\n",
                 id="function-reads-the-dict"),
    pytest.param("""
        def peek():
            return len(d)
        def make(n):
            return peek() + n
        d = {}
        d['a'] = make(1)
        d['b'] = make(2)
        d['c'] = make(3)
        """, id="function-reaches-the-dict-through-another"),
    pytest.param("""
        hooks = [lambda: len(d)]
        def make(n):
            return hooks[0]() + n
        d = {}
        d['a'] = make(1)
        d['b'] = make(2)
        d['c'] = make(3)
        """, id="a-stored-lambda-reads-the-dict"),
    pytest.param("d = {}\nalias = d\n" + RUN, id="dict-aliased"),
    pytest.param("d = {}\nview = d.values()\n" + RUN, id="dict-view-kept"),
    pytest.param("def reset():\n    global d\n    d = {}\nd = {}\n" + RUN, id="dict-rebound-through-global"),
    pytest.param("d = make_store()\n" + RUN, id="target-not-known-to-be-a-dict"),
    pytest.param("def dict():\n    return {}\nd = dict()\n" + RUN, id="dict-is-not-the-builtin"),
    pytest.param("d = {}\n" + RUN + "print(locals())\n", id="dynamic-lookup"),
    # shape of the run
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = f(2)\n", id="two-lines-are-too-few"),
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = g(2)\nd['c'] = f(3)\n", id="different-functions"),
    pytest.param("d = {}\nd[f'{a}'] = f(1)\nd[f'{b}'] = f(2)\nd[f'{c}'] = f(3)\n", id="keys-with-computed-tails"),
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = f(2)  # the b one\nd['c'] = f(3)\n",
                 id="comments-on-later-lines-mark-separate-entries"),
    pytest.param("class C:\n    d = {}\n    d['a'] = f(1)\n    d['b'] = f(2)\n    d['c'] = f(3)\n", id="class-body"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("condense-init", source)


def test_plain_names_may_be_anything_no_call_can_rebind() -> None:
    source = "x, y, z = object(), [], 'z'\nd = {}\n" + RUN
    after = ("x, y, z = object(), [], 'z'\nd = {}\n"
             "d.update({name: make(*shape) for name, shape in [\n    ('a', (x,)), ('b', (y,)), ('c', (z,))]})\n")
    assert apply("condense-init", source).code == after


def test_original_condenses_the_layer_loop() -> None:
    source = original_source()
    result = apply("condense-init", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    order = ["attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"]
    positions = [result.code.index(f"'{name}'") for name in order]
    assert positions == sorted(positions)  # random.gauss is drawn in this order
