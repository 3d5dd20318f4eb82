import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods._imports import joined_comment
from trimbench.codemods.one_line_imports import OneLineImports

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations


class TestOneLineImportsChanges(CodemodTest):
    TRANSFORM = OneLineImports

    def test_comments_join_in_order_after_the_files_usual_spacing(self) -> None:
        before = """
import os       # os.path.exists
import math     # math.log, math.exp
import random   # random.seed, random.choices
random.seed(42) # order
n = 16 # size
"""
        after = """
import os, math, random # os.path.exists; math.log, math.exp; random.seed, random.choices
random.seed(42) # order
n = 16 # size
"""
        self.assertCodemod(before, after)

    def test_dotted_and_aliased_imports_keep_what_they_bind(self) -> None:
        before = "import os.path\nimport numpy as np, json\nimport urllib.request\n"
        after = "import os.path, numpy as np, json, urllib.request\n"
        self.assertCodemod(before, after)

    def test_a_comment_of_one_line_stays_as_it_is(self) -> None:
        before = "import os\nimport math  # for log\n"
        after = "import os, math  # for log\n"
        self.assertCodemod(before, after)

    def test_runs_inside_blocks_and_the_leading_comment_above_the_run(self) -> None:
        before = """
def main():
    # what we need
    import json
    import sys
    return json, sys
"""
        after = """
def main():
    # what we need
    import json, sys
    return json, sys
"""
        self.assertCodemod(before, after)

    def test_long_comments_write_one_modules_names_short(self) -> None:
        before = f"""
import os  # os.path.exists, os.path.join, os.path.dirname
import random  # random.seed, random.choices, random.gauss, random.shuffle, random.random
import math  # {'x' * 15}
"""
        after = f"""
import os, random, math  # os.path.exists/join/dirname; random.seed/choices/gauss/shuffle/random; {'x' * 15}
"""
        self.assertCodemod(before, after)

    def test_a_run_ends_before_the_import_that_would_pass_120_characters(self) -> None:
        before = f"import a  # {'x' * 50}\nimport b  # {'y' * 50}\nimport c  # {'z' * 50}\nimport d\n"
        after = f"import a, b  # {'x' * 50}; {'y' * 50}\nimport c, d  # {'z' * 50}\n"
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param("import os\n", id="a-single-import"),
    pytest.param("from os import path\nfrom math import log\n", id="from-imports"),
    pytest.param("import os\nfrom math import log\nimport sys\n", id="a-from-import-between"),
    pytest.param("import os\n\nimport sys\n", id="blank-line-between"),
    pytest.param("import os\n# the system\nimport sys\n", id="own-line-comment-between"),
    pytest.param("import os  # noqa: F401\nimport sys\n", id="pragma-comment"),
    pytest.param("import os; x = 1\nimport sys\n", id="semicolon-line"),
    pytest.param("import os\nif x:\n    import sys\n", id="different-blocks"),
    pytest.param(f"import os  # {'x' * 60}\nimport sys  # {'y' * 60}\n", id="comments-too-long-for-120"),
    pytest.param("import os\nimport sys\nprint(sys._getframe().f_lineno)\n", id="reads-its-line-numbers"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("one-line-imports", source)


def test_each_run_is_one_site() -> None:
    source = program("""
        import os
        import sys
        x = 1
        if x:
            import json
            import re
        """)
    sites = find_sites("one-line-imports", source)
    assert [(s.index, s.line) for s in sites] == [(0, 1), (1, 5)]
    assert "`json`, `re`" in sites[1].summary
    assert apply("one-line-imports", source, sites=[1]).code == source.replace("json\n    import re", "json, re")
    assert_sites_independent("one-line-imports", source)


def test_original_imports_on_one_line() -> None:
    source = original_source()
    assert_sites_independent("one-line-imports", source)
    result = apply("one-line-imports", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) - 2
    assert ("import os, math, random # os.path.exists; math.log, math.exp; "
            "random.seed, random.choices, random.gauss, random.shuffle\n") in result.code
    assert new_violations(source, result.code) == []


@pytest.mark.parametrize("texts, room, expected", [
    pytest.param(["a.x, a.y", "", "b"], 80, "a.x, a.y; b", id="fits-as-it-is"),
    pytest.param(["os.path.join, os.path.exists", "b"], 25, "os.path.join/exists; b", id="one-modules-names-short"),
    pytest.param(["a.x, b.y", "c"], 9, None, id="different-modules-stay-long"),
    pytest.param(["", ""], 0, "", id="no-comment"),
])
def test_joined_comment(texts: list[str], room: int, expected: str | None) -> None:
    assert joined_comment(texts, room) == expected
