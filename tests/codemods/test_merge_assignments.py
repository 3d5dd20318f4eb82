import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.merge_assignments import MergeAssignments

from ._cases import assert_refuses
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations

WIDE = "# " + "-" * 118 + "\n"  # a file's widest line sets how wide a merged line may get


class TestMergeAssignmentsChanges(CodemodTest):
    TRANSFORM = MergeAssignments

    def test_trailing_comments_join_in_target_order(self) -> None:
        before = WIDE + """
def gpt(token_id, pos_id):
    tok_emb = state_dict['wte'][token_id] # token embedding
    pos_emb = state_dict['wpe'][pos_id] # position embedding
    return tok_emb, pos_emb
"""
        after = WIDE + """
def gpt(token_id, pos_id):
    tok_emb, pos_emb = state_dict['wte'][token_id], state_dict['wpe'][pos_id] # token embedding; position embedding
    return tok_emb, pos_emb
"""
        self.assertCodemod(before, after)

    def test_comment_of_some_lines_names_its_target(self) -> None:
        before = "token_id = BOS\nsample = []  # characters so far\n"
        after = "token_id, sample = BOS, []  # sample: characters so far\n"
        self.assertCodemod(before, after)

    def test_long_comments_move_above_when_that_still_saves_lines(self) -> None:
        before = WIDE + """
n_embd = 16     # embedding dimension of every token
n_head = 4      # number of attention heads in a layer
n_layer = 1     # number of transformer layers
"""
        after = WIDE + """
# embedding dimension of every token; number of attention heads in a layer; number of transformer layers
n_embd, n_head, n_layer = 16, 4, 1
"""
        self.assertCodemod(before, after)

    def test_group_stops_where_a_value_reads_an_earlier_target(self) -> None:
        before = "a = 1\nb = 2\nc = a + b\nd = 4\n"
        after = "a, b = 1, 2\nc, d = a + b, 4\n"
        self.assertCodemod(before, after)

    def test_existing_tuple_assignments_extend(self) -> None:
        before = "lr, beta1 = 0.01, 0.85\neps = 1e-8\npair = 1, 2\n"
        after = "lr, beta1, eps, pair = 0.01, 0.85, 1e-8, (1, 2)\n"
        self.assertCodemod(before, after)

    def test_comments_too_long_for_one_line_wrap_above_word_for_word(self) -> None:
        before = WIDE + """
class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data                # scalar value of this node calculated during forward pass
        self.grad = 0                   # derivative of the loss w.r.t. this node
        self._children = children       # children of this node in the computation graph
        self._local_grads = local_grads # local derivative of this node w.r.t. its children
"""
        after = WIDE + """
class Value:
    def __init__(self, data, children=(), local_grads=()):
        # scalar value of this node calculated during forward pass; derivative of the loss w.r.t. this node;
        # children of this node in the computation graph; local derivative of this node w.r.t. its children
        self.data, self.grad, self._children, self._local_grads = data, 0, children, local_grads
"""
        self.assertCodemod(before, after)

    def test_an_empty_builtin_container_is_inert_after_a_name_a_function_reads(self) -> None:
        before = """
def backward(root):
    topo = []
    visited = set()
    def build_topo(v):
        if v not in visited:
            visited.add(v)
            topo.append(v)
    build_topo(root)
    return topo
"""
        after = """
def backward(root):
    topo, visited = [], set()
    def build_topo(v):
        if v not in visited:
            visited.add(v)
            topo.append(v)
    build_topo(root)
    return topo
"""
        self.assertCodemod(before, after)

    def test_a_constant_moves_up_to_the_nearest_assignment(self) -> None:
        before = """
def block(x, keys):
    x_residual, x = x, rmsnorm(x)
    keys.append(x)
    print(len(keys))  # how many so far
    x_attn = []  # gathers the heads
    for h in range(2):
        x_attn.extend(x)
    return x_attn, x_residual
"""
        after = """
def block(x, keys):
    x_residual, x, x_attn = x, rmsnorm(x), []  # x_attn: gathers the heads
    keys.append(x)
    print(len(keys))  # how many so far
    for h in range(2):
        x_attn.extend(x)
    return x_attn, x_residual
"""
        self.assertCodemod(before, after)

    def test_paired_stores_into_private_lists(self) -> None:
        before = WIDE + """
m = [0.0] * len(params)
v = [0.0] * len(params)

for step in range(3):
    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        v[i] = beta2 * v[i] + (1 - beta2) * p.grad ** 2
        p.data -= m[i] / (v[i] ** 0.5 + 1e-8)
"""
        after = WIDE + """
m, v = [0.0] * len(params), [0.0] * len(params)

for step in range(3):
    for i, p in enumerate(params):
        m[i], v[i] = beta1 * m[i] + (1 - beta1) * p.grad, beta2 * v[i] + (1 - beta2) * p.grad ** 2
        p.data -= m[i] / (v[i] ** 0.5 + 1e-8)
"""
        self.assertCodemod(before, after)

    def test_constants_merge_inside_try(self) -> None:
        before = "try:\n    a = 1\n    b = []\nexcept ValueError:\n    print(a)\n"
        after = "try:\n    a, b = 1, []\nexcept ValueError:\n    print(a)\n"
        self.assertCodemod(before, after)

    def test_attributes_of_one_object(self) -> None:
        before = """
class Value:
    def __init__(self, data, children=()):
        self.data = data
        self.grad = 0
        self._children = children
"""
        after = """
class Value:
    def __init__(self, data, children=()):
        self.data, self.grad, self._children = data, 0, children
"""
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    # a value moves before the bindings of the earlier targets
    pytest.param("a = 1\nb = a + 1\n", id="second-reads-the-first"),
    pytest.param("a = b\nb = a\n", id="swap-needs-its-order"),
    pytest.param("a = 1\na = 2\n", id="same-target-twice"),
    pytest.param("p.data = 1\np = q\n", id="rebinding-the-object-whose-attribute-was-set"),
    pytest.param("p.data = 1\nx = p\n", id="reading-the-object-whose-attribute-was-set"),
    pytest.param("p.data = 1\nx = q.data\n", id="attribute-read-may-alias-the-attribute-set"),
    pytest.param("p.data = 1\nx = q + 1\n", id="operator-may-run-a-dunder-reading-the-attribute"),
    pytest.param("""
        scale = 2
        total = w * 3
        def f():
            return scale
        """, id="global-read-by-a-function-then-an-operator"),
    pytest.param("""
        def f(w):
            global n
            n = 1
            m = w * 2
            return m
        """, id="global-declared-target"),
    pytest.param("""
        def outer(w):
            n = 0
            def inner():
                nonlocal n
                n = 1
                m = w[0]
                return m
            return inner
        """, id="nonlocal-target"),
    pytest.param("class C:\n    a = 1\n    b = x + y\n", id="class-attribute-then-an-operator"),
    # values that may run code or bind names
    pytest.param("topo = []\nvisited = make()\ndef make():\n    return len(topo)\n",
                 id="call-to-a-function-reading-the-earlier-target"),
    pytest.param("total = 0\ncount = bump()\ndef bump():\n    global total\n    total = 5\n",
                 id="call-to-a-function-rebinding-the-earlier-target"),
    pytest.param("a = 1\nb = [a for a in xs]\nprint(a)\n", id="comprehension-binding-a-name"),
    pytest.param("self.data = 1\nself.grad = compute()\n", id="call-after-an-attribute"),
    pytest.param("a = 1\nb = (c := 2)\n", id="walrus"),
    pytest.param("a = 1\nb = lambda: a\n", id="lambda"),
    pytest.param("a = 1\nb = locals\n", id="dynamic-lookup"),
    # the author's layout
    pytest.param("a = 1\n\nb = 2\n# then\nc = 3\n", id="blank-line-or-comment-separates-paragraphs"),
    pytest.param("a = b = 1\nc = 2\nd: int = 3\n", id="chained-and-annotated-assignments"),
    pytest.param("tok = wte[t]  # token embedding of this one token\n"
                 "pos = wpe[p]  # position embedding of its position\n",
                 id="joined-comment-wider-than-the-file-at-88"),
    pytest.param(f"a = 1  # {'x' * 80}\nb = 2  # {'x' * 80}\n", id="comments-too-long-for-any-line"),
    pytest.param(f"a = 1  # {'y' * 50}\nb = 2  # {'z' * 40}\n", id="two-lines-whose-comment-must-move-save-nothing"),
    pytest.param(WIDE + """class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data                # scalar value of this node calculated during forward pass
        self.grad = 0                   # derivative of the loss w.r.t. this node, calculated in backward pass
        self._children = children       # children of this node in the computation graph
        self._local_grads = local_grads # local derivative of this node w.r.t. its children
""", id="four-comments-needing-three-lines-above-save-nothing"),
    pytest.param("a = 1  # noqa: F841\nb = 2\n", id="pragma-comment-covers-its-own-line"),
    pytest.param("a = [1,\n     2]\nb = 3\n", id="value-over-several-lines"),
    # what the value may run or read after a target other code can see
    pytest.param("p.data = 1\nd = {key: 2}\n", id="dict-key-hash-may-run-a-dunder"),
    pytest.param("p.data = 1\ns = {a, b}\n", id="set-element-hash-may-run-a-dunder"),
    pytest.param("p.data = 1\ns = 'a' f'{q}'\n", id="f-string-in-a-concatenation-formats"),
    pytest.param("p.data = 1\nx = z\ndef f():\n    global z\n    z = 2\n", id="setattr-may-rebind-a-declared-name"),
    pytest.param("a = 0\ng = (a for _ in 'x')\n\na = 1\nb = next(g)\n", id="name-read-by-a-kept-generator"),
    # `set()` after a name a function reads, `set` not provably the builtin
    pytest.param("def f():\n    topo = []\n    visited = set()\n    return lambda: topo\nset = list\n",
                 id="set-assigned"),
    pytest.param("def set():\n    return {}\ndef f():\n    topo = []\n    visited = set()\n    return lambda: topo\n",
                 id="set-defined"),
    pytest.param("from mylib import set\ndef f():\n    topo = []\n    visited = set()\n    return lambda: topo\n",
                 id="set-imported"),
    pytest.param("def f(set):\n    topo = []\n    visited = set()\n    return lambda: topo\n", id="set-a-parameter"),
    pytest.param("def g():\n    global set\n    set = list\ndef f():\n    topo = []\n    visited = set()\n"
                 "    return lambda: topo\n", id="set-global"),
    pytest.param("from mylib import *\ndef f():\n    topo = []\n    visited = set()\n    return lambda: topo\n",
                 id="set-from-a-star-import"),
    pytest.param("import builtins\ndef f():\n    topo = []\n    visited = set()\n    return lambda: topo\n",
                 id="builtins-spelled"),
    pytest.param("def f():\n    topo = []\n    visited = set(topo)\n    return lambda: topo\n",
                 id="set-with-arguments"),
    # inside try/with, a value that may fail: the handler would find the earlier target unbound
    pytest.param("try:\n    a = 1\n    b = int(s)\nexcept ValueError:\n    print(a)\n", id="call-inside-try"),
    pytest.param("with guard:\n    a = 1\n    b = c\nprint(a)\n", id="name-inside-with"),
    # a module that may see its names or its line numbers
    pytest.param("import inspect\na = 1\nb = 2\n", id="line-reader"),
    pytest.param("a = 1\nb = 2\nprint(globals())\n", id="dynamic-name-anywhere"),
]

# A constant moving up to `x = f(y)` over the statements in between: each row breaks one condition.
MOVE_MUST_NOT_APPLY = [
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(acc)\n    acc = []\n    return acc, x\n",
                 id="read-in-between"),
    pytest.param("def f(y, acc):\n    x = g(y)\n    del acc\n    acc = []\n    return acc, x\n",
                 id="deleted-in-between"),
    pytest.param("def f(y, acc):\n    x = g(y)\n    acc += [1]\n    acc = []\n    return acc, x\n",
                 id="bound-in-between"),
    pytest.param("def f(y):\n    acc = [1]\n    for _ in y:\n        x = g(y)\n        print(len(acc))\n"
                 "        acc = []\n    return x\n", id="a-later-pass-reads-it-in-between"),
    pytest.param("def f(y, out):\n    x = g(y)\n    for k in y:\n        out.append(k)\n    acc = []\n"
                 "    return acc, x\n", id="loop-in-between"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n\n    acc = []\n    return acc, x\n",
                 id="blank-line-before-it"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    # then\n    acc = []\n    return acc, x\n",
                 id="own-line-comment-in-between"),
    pytest.param("def f(y):\n    acc = 0\n    for k in y:\n        x = g(k)\n        break\n        acc = []\n"
                 "    return acc\n", id="break-in-between"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    acc = []\n    return lambda: acc\n",
                 id="read-by-a-lambda"),
    pytest.param("def f(y, out):\n    global acc\n    x = g(y)\n    out.append(y)\n    acc = []\n    return x\n",
                 id="global"),
    pytest.param("class C:\n    x = g(1)\n    out.append(2)\n    acc = []\n", id="class-attribute"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    acc = [y]\n    return acc, x\n",
                 id="value-reads-a-name"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    acc = make()\n    return acc, x\n",
                 id="value-calls"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    acc = 1 / 0\n    return acc, x\n",
                 id="value-may-fail"),
    pytest.param("def f(y, out):\n    try:\n        x = g(y)\n        out.append(y)\n        acc = []\n"
                 "    except ValueError:\n        return acc\n    return acc, x\n", id="inside-try"),
    # Only a collector started early moves: a setting stays where its author put it, as in the tiny program.
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    steps = 5\n    return steps, x\n",
                 id="a-setting-is-not-a-collector"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    acc = None\n    return acc, x\n",
                 id="none-is-not-a-collector"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("merge-assignments", source)


@pytest.mark.parametrize("source", MOVE_MUST_NOT_APPLY)
def test_a_constant_must_not_move_up(source: str) -> None:
    assert_refuses("merge-assignments", source)


# Adam's paired stores `m[i] = ... m[i] ...` then `v[i] = ... v[i] ...`: each row breaks one condition.
ADAM = """m = [0.0] * len(params)

v = [0.0] * len(params)

for i, p in enumerate(params):
    m[i] = beta1 * m[i] + p.grad
    v[i] = beta2 * v[i] + p.grad ** 2
"""
PAIR_MUST_NOT_APPLY = [
    pytest.param(ADAM.replace("v = [0.0] * len(params)", "v = m"), id="aliased"),
    pytest.param(ADAM + "def norm():\n    return m[0]\n", id="a-function-reads-the-first-list"),
    pytest.param(ADAM + "def bump():\n    global i\n    i = 0\n", id="a-call-may-rebind-the-index"),
    pytest.param(ADAM.replace("enumerate(params)", "pairs(params)"), id="index-not-a-number"),
    pytest.param(ADAM.replace("m = [0.0] * len(params)", "m = make()"), id="first-not-a-new-list"),
    pytest.param(ADAM + "g(m)\n", id="first-passed-to-a-call"),
    pytest.param(ADAM + "m[0:1] = []\n", id="first-resized"),
    pytest.param(ADAM.replace("+ p.grad ** 2", "+ m[i]"), id="second-value-spells-the-first"),
    pytest.param(ADAM.replace("beta1 * m[i] + p.grad", "p.grad"), id="first-value-does-not-load-its-slot"),
    pytest.param(ADAM.replace("beta1 * m[i] + p.grad", "p.grad if ok else m[i]"), id="first-slot-loaded-maybe"),
    pytest.param(ADAM.replace("m[i] = beta1 * m[i]", "m[j] = beta1 * m[j]"), id="another-index-not-a-number"),
    pytest.param(ADAM.replace("m = [0.0] * len(params)", "m = [0.0] * count"), id="count-not-a-number"),
    pytest.param(ADAM.replace("v[i] = beta2 * v[i] + p.grad ** 2", "i = beta2 * v[i]"), id="group-binds-the-index"),
]


@pytest.mark.parametrize("source, merged", [
    pytest.param(ADAM, "    m[i], v[i] = beta1 * m[i] + p.grad, beta2 * v[i] + p.grad ** 2\n", id="adam"),
    pytest.param("def f(y, out):\n    x = g(y)\n    out.append(y)\n    acc = []\n    return acc, x\n",
                 "    x, acc = g(y), []\n", id="move-up"),
    pytest.param("def f():\n    topo = []\n    visited = set()\n    return lambda: topo\n",
                 "    topo, visited = [], set()\n", id="empty-set"),
])
def test_the_tables_bases_do_merge(source: str, merged: str) -> None:
    # each refusal above changes one thing in one of these: the refusal is that change's doing
    result = apply("merge-assignments", source)
    assert isinstance(result, TransformSuccess) and merged in result.code


@pytest.mark.parametrize("source", PAIR_MUST_NOT_APPLY)
def test_paired_stores_must_not_merge(source: str) -> None:
    assert_refuses("merge-assignments", source)


@pytest.mark.parametrize("before, after", [
    pytest.param("def block(x):\n    x_residual = x\n    x = rmsnorm(x)\n    return x, x_residual\n",
                 "def block(x):\n    x_residual, x = x, rmsnorm(x)\n    return x, x_residual\n",
                 id="local-then-a-call"),
    pytest.param("def backward():\n    topo = []\n    visited = set()\n    return topo, visited\n",
                 "def backward():\n    topo, visited = [], set()\n    return topo, visited\n",
                 id="locals-from-builtins"),
    pytest.param("m = [0.0] * len(params)\nv = [0.0] * len(params)\n",
                 "m, v = [0.0] * len(params), [0.0] * len(params)\n", id="globals-no-function-reads"),
])
def test_calls_move_before_targets_no_other_code_can_see(before: str, after: str) -> None:
    assert apply("merge-assignments", before).code == after


def test_private_names_merge_across_operators() -> None:
    # m_hat and v_hat are read by no function: no dunder can see them before they are bound.
    before = "for i in range(3):\n    m_hat = m[i] / 2\n    v_hat = v[i] / 3\n    print(m_hat, v_hat)\n"
    after = "for i in range(3):\n    m_hat, v_hat = m[i] / 2, v[i] / 3\n    print(m_hat, v_hat)\n"
    assert apply("merge-assignments", before).code == after


def test_each_group_is_a_site() -> None:
    source = "a = 1\nb = 2\nc = a + b\nd = 4\n"
    sites = find_sites("merge-assignments", source)
    assert [(s.index, s.line) for s in sites] == [(0, 1), (1, 3)]
    assert apply("merge-assignments", source, sites=[1]).code == "a = 1\nb = 2\nc, d = a + b, 4\n"


def test_original_merges_independent_assignments() -> None:
    source = original_source()
    result = apply("merge-assignments", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    assert "n_embd, n_head, n_layer, block_size = 16, 4, 1, 16\n" in result.code
    assert "head_dim = n_embd // n_head" in result.code  # reads n_embd: stays on its own


def test_original_gets_the_three_new_merges() -> None:
    result = apply("merge-assignments", original_source())
    assert isinstance(result, TransformSuccess)
    assert "        topo, visited = [], set()\n" in result.code
    assert "        v, x_attn = linear(x, state_dict[f'layer{li}.attn_wv']), []\n" in result.code
    assert "        x_attn = []\n" not in result.code
    assert ("        m[i], v[i] = beta1 * m[i] + (1 - beta1) * p.grad, beta2 * v[i] + (1 - beta2) * p.grad ** 2\n"
            in result.code)
    assert "        self.data = data" in result.code  # its comments need three lines above: it saves nothing


def test_sites_on_the_original_are_independent_and_keep_the_rules() -> None:
    source = original_source()
    assert_sites_independent("merge-assignments", source)
    assert new_violations(source, apply("merge-assignments", source).code) == []
