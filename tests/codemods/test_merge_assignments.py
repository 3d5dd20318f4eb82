from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.merge_assignments import MergeAssignments

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


class TestMergeAssignmentsNoChange(CodemodTest):
    TRANSFORM = MergeAssignments

    def assertUnchanged(self, source: str) -> None:
        self.assertCodemod(source, source, expected_skip=True)

    def test_second_reads_the_first(self) -> None:
        self.assertUnchanged("a = 1\nb = a + 1\n")

    def test_calls_keep_their_own_lines(self) -> None:
        # set() could be anything; a call may read a global the group just rebound.
        self.assertUnchanged("topo = []\nvisited = set()\n")

    def test_comprehensions_keep_their_own_lines(self) -> None:
        self.assertUnchanged("a = 1\nb = [x for x in xs]\n")

    def test_blank_line_or_comment_separates_paragraphs(self) -> None:
        self.assertUnchanged("a = 1\n\nb = 2\n# then\nc = 3\n")

    def test_same_target_twice(self) -> None:
        self.assertUnchanged("a = 1\na = 2\n")

    def test_rebinding_the_object_whose_attribute_was_set(self) -> None:
        self.assertUnchanged("p.data = 1\np = q\n")

    def test_reading_the_object_whose_attribute_was_set(self) -> None:
        self.assertUnchanged("p.data = 1\nx = p\n")

    def test_chained_and_annotated_assignments(self) -> None:
        self.assertUnchanged("a = b = 1\nc = 2\nd: int = 3\n")

    def test_joined_comment_wider_than_the_file_at_88(self) -> None:
        self.assertUnchanged("tok = wte[t]  # token embedding of this one token\npos = wpe[p]  # position embedding of its position\n")

    def test_comments_too_long_for_any_line(self) -> None:
        long = "x" * 80
        self.assertUnchanged(f"a = 1  # {long}\nb = 2  # {long}\n")

    def test_two_lines_whose_comment_must_move_save_nothing(self) -> None:
        self.assertUnchanged(f"a = 1  # {'y' * 50}\nb = 2  # {'z' * 40}\n")


def test_original_merges_independent_assignments() -> None:
    source = original_source()
    result = apply("merge-assignments", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    assert "n_embd, n_head, n_layer, block_size = 16, 4, 1, 16\n" in result.code
    assert "head_dim = n_embd // n_head" in result.code  # reads n_embd: stays on its own
