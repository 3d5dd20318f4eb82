import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.one_line_bodies import OneLineBodies

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations


class TestOneLineBodiesChanges(CodemodTest):
    TRANSFORM = OneLineBodies

    def test_def_and_if_by_default(self) -> None:
        before = """
def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
for token in tokens:
    if token == BOS:
        break
    sample.append(token)
"""
        after = """
def linear(x, w): return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
for token in tokens:
    if token == BOS: break
    sample.append(token)
"""
        self.assertCodemod(before, after)

    def test_loops_when_the_file_already_writes_one_on_one_line(self) -> None:
        before = """
for child in children: visit(child)
for v in reversed(topo):
    v.grad = 0
while todo:
    todo.pop()
"""
        after = """
for child in children: visit(child)
for v in reversed(topo): v.grad = 0
while todo:
    todo.pop()
"""
        self.assertCodemod(before, after)

    def test_the_kinds_option_replaces_the_default(self) -> None:
        before = "def f(x):\n    return x\nwhile todo:\n    todo.pop()\n"
        after = "def f(x):\n    return x\nwhile todo: todo.pop()\n"
        self.assertCodemod(before, after, kinds=["while"])

    def test_decorators_and_comments_above_stay_one_trailing_comment_moves_along(self) -> None:
        before = """
# helpers
@functools.cache
def f(x):  # cached
    return x * 2
def g(x):
    return x + 1  # plus one
"""
        after = """
# helpers
@functools.cache
def f(x): return x * 2  # cached
def g(x): return x + 1  # plus one
"""
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param("def f(x):\n    # why\n    return x\n", id="own-line-comment-in-the-body"),
    pytest.param("def f(x):\n    return x\n    # afterthought\n", id="own-line-comment-at-the-block-end"),
    pytest.param("if c:\n    x = 1\nelse:\n    x = 2\n", id="if-else"),
    pytest.param("if c:\n    x = 1\nelif d:\n    x = 2\n", id="if-elif"),
    pytest.param("for i in xs:\n    print(i)\nelse:\n    print(0)\n", id="for-else"),
    pytest.param("try:\n    x = 1\nexcept E:\n    x = 2\nfinally:\n    y = 3\n", id="try-except-finally"),
    pytest.param("def f(x):\n    \"\"\"Docstring.\"\"\"\n", id="docstring-body"),
    pytest.param("def f(x):\n    ...\n", id="ellipsis-body"),
    pytest.param("def f(x):\n    y = x\n    return y\n", id="two-statements"),
    pytest.param("def f(x):\n    y = x; return y\n", id="semicolon-body"),
    pytest.param("def f(x):\n    while x:\n        x -= 1\n", id="compound-body"),
    pytest.param("def f(x):  # one\n    return x  # two\n", id="two-trailing-comments"),
    pytest.param("def f(x):  # type: ignore\n    return x\n", id="pragma-comment"),
    pytest.param("def f(x):\n    return (x +\n            1)\n", id="multi-line-body"),
    pytest.param(f"def f(x):\n    return '{'x' * 105}'\n", id="over-120-characters"),
    pytest.param("for i in xs:\n    print(i)\n", id="for-not-in-the-files-style"),
    pytest.param("def f(x): return x\n", id="already-one-line"),
    pytest.param("import traceback\ndef f(x):\n    return x\n", id="reads-its-line-numbers"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("one-line-bodies", source)


def test_kinds_as_one_string_as_the_command_line_passes_it() -> None:
    source = "def f(x):\n    return x\nfor i in xs:\n    print(i)\nwhile todo:\n    todo.pop()\n"
    expected = "def f(x): return x\nfor i in xs: print(i)\nwhile todo:\n    todo.pop()\n"
    assert apply("one-line-bodies", source, kinds="def, for").code == expected


@pytest.mark.parametrize("kinds", [pytest.param(["def", "try"], id="unknown-kind"),
                                   pytest.param("def,try", id="unknown-kind-in-a-string"),
                                   pytest.param(3, id="not-a-collection")])
def test_a_wrong_kinds_option_is_a_type_error(kinds) -> None:
    with pytest.raises(TypeError):
        apply("one-line-bodies", "def f(x):\n    return x\n", kinds=kinds)


def test_nested_statements_are_independent_sites() -> None:
    source = program("""
        def outer(xs):
            for x in xs:
                if x:
                    break
            return 1
        class Point:
            def norm(self):
                return 0
        """)
    sites = find_sites("one-line-bodies", source)
    assert [s.line for s in sites] == [3, 7]
    assert "`if`" in sites[0].summary and "`def`" in sites[1].summary
    assert_sites_independent("one-line-bodies", source)


def test_original_linear_and_the_inference_break() -> None:
    source = original_source()
    assert [s.line for s in find_sites("one-line-bodies", source)] == [94, 197]
    assert_sites_independent("one-line-bodies", source)
    result = apply("one-line-bodies", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) - 2
    assert "def linear(x, w): return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]\n" in result.code
    assert "        if token_id == BOS: break\n" in result.code
    assert new_violations(source, result.code) == []


def test_original_with_loops_as_the_chains_step_07() -> None:
    source = original_source()
    sites = find_sites("one-line-bodies", source, kinds=["def", "if", "for"])
    assert [s.line for s in sites] == [65, 71, 94, 197]
    result = apply("one-line-bodies", source, kinds=["def", "if", "for"])
    loop = "for child, local_grad in zip(v._children, v._local_grads): child.grad += local_grad * v.grad\n"
    assert f"\n            {loop}" in result.code
    assert new_violations(source, result.code) == []
