from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.condense_init import CondenseInit

from ._original import assert_parses, line_count, original_source

HEAD = """
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
d = {}
d['alpha_long_name'] = make(width_of_layer, height_of_layer)
d['beta_long_name'] = make(width_of_layer, 2 * height_of_layer)
d['gamma_long_name'] = make(2 * width_of_layer, height_of_layer)
d['delta_long_name'] = make(height_of_layer, width_of_layer)
"""
        after = """
d = {}
d.update({name: make(*shape) for name, shape in [
    ('alpha_long_name', (width_of_layer, height_of_layer)),
    ('beta_long_name', (width_of_layer, 2 * height_of_layer)),
    ('gamma_long_name', (2 * width_of_layer, height_of_layer)),
    ('delta_long_name', (height_of_layer, width_of_layer))]})
"""
        self.assertCodemod(before, after)


class TestCondenseInitNoChange(CodemodTest):
    TRANSFORM = CondenseInit

    def assertUnchanged(self, source: str) -> None:
        self.assertCodemod(source, source, expected_skip=True)

    def test_two_lines_are_too_few(self) -> None:
        self.assertUnchanged("d = {}\nd['a'] = f(1)\nd['b'] = f(2)\n")

    def test_target_not_known_to_be_a_dict(self) -> None:
        self.assertUnchanged("d = make_store()\nd['a'] = f(1)\nd['b'] = f(2)\nd['c'] = f(3)\n")

    def test_arguments_with_calls(self) -> None:
        self.assertUnchanged("d = {}\nd['a'] = f(g())\nd['b'] = f(g())\nd['c'] = f(g())\n")

    def test_arguments_reading_the_dict(self) -> None:
        self.assertUnchanged("d = {}\nd['a'] = f(1)\nd['b'] = f(d)\nd['c'] = f(3)\n")

    def test_function_reading_the_dict(self) -> None:
        self.assertUnchanged("d = {}\nf = lambda n: len(d) + n\nd['a'] = f(1)\nd['b'] = f(2)\nd['c'] = f(3)\n")

    def test_different_functions(self) -> None:
        self.assertUnchanged("d = {}\nd['a'] = f(1)\nd['b'] = g(2)\nd['c'] = f(3)\n")

    def test_keys_with_computed_tails(self) -> None:
        self.assertUnchanged("d = {}\nd[f'{a}'] = f(1)\nd[f'{b}'] = f(2)\nd[f'{c}'] = f(3)\n")

    def test_comments_on_later_lines_mark_separate_entries(self) -> None:
        self.assertUnchanged("d = {}\nd['a'] = f(1)\nd['b'] = f(2)  # the b one\nd['c'] = f(3)\n")

    def test_class_body(self) -> None:
        self.assertUnchanged("class C:\n    d = {}\n    d['a'] = f(1)\n    d['b'] = f(2)\n    d['c'] = f(3)\n")


def test_original_condenses_the_layer_loop() -> None:
    source = original_source()
    result = apply("condense-init", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    order = ["attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"]
    positions = [result.code.index(f"'{name}'") for name in order]
    assert positions == sorted(positions)  # random.gauss is drawn in this order
