import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.merge_assignments import MergeAssignments

from ._cases import assert_refuses
from ._original import assert_parses, line_count, original_source

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
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
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
