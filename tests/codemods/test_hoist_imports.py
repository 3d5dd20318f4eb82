import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply, find_sites
from trimbench.codemods.hoist_imports import HoistImports, movable_module

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations


class TestHoistImportsChanges(CodemodTest):
    TRANSFORM = HoistImports

    def test_the_download_import_joins_the_line_above(self) -> None:
        before = """
import os  # os.path.exists
random.seed(42)
if not os.path.exists('input.txt'):
    import urllib.request  # urlretrieve
    urllib.request.urlretrieve(url, 'input.txt')
"""
        after = """
import os, urllib.request  # os.path.exists; urlretrieve
random.seed(42)
if not os.path.exists('input.txt'):
    urllib.request.urlretrieve(url, 'input.txt')
"""
        self.assertCodemod(before, after)

    def test_from_loops_elifs_and_else_in_source_order(self) -> None:
        before = """
import os
for name in names:
    import json
    print(json.dumps(name))
if a:
    pass
elif b:
    import re
    print(re.escape(b))
else:
    import string
    print(string.digits)
"""
        after = """
import os, json, re, string
for name in names:
    print(json.dumps(name))
if a:
    pass
elif b:
    print(re.escape(b))
else:
    print(string.digits)
"""
        self.assertCodemod(before, after)

    def test_onto_the_last_import_line_before_the_block(self) -> None:
        before = "import os\nimport sys\nif x:\n    import json\n    print(json)\n"
        after = "import os\nimport sys, json\nif x:\n    print(json)\n"
        self.assertCodemod(before, after)

    def test_another_plain_import_of_the_same_module_is_no_other_binding(self) -> None:
        before = "import os\nimport urllib.parse\nif x:\n    import urllib.request\n    print(urllib)\n"
        after = "import os\nimport urllib.parse, urllib.request\nif x:\n    print(urllib)\n"
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param("import os\nif x:\n    import this\n    print(1)\n", id="stdlib-module-with-effects"),
    pytest.param("import os\nif x:\n    import numpy\n    print(numpy)\n", id="not-standard-library"),
    pytest.param("import os\nif x:\n    import _thread\n    print(_thread)\n", id="private-module"),
    pytest.param("import os\nif win:\n    import winreg\n    print(winreg)\n", id="platform-module"),
    pytest.param("import os\nif x:\n    import json as j\n    print(j)\n", id="import-as"),
    pytest.param("import os\nif x:\n    from json import dumps\n    print(dumps)\n", id="from-import"),
    pytest.param("import os\nif x:\n    import json\n", id="alone-in-its-block"),
    pytest.param("import os\nif x:\n    import json\n    import re\n", id="block-of-imports-only"),
    pytest.param("import os\nif x:\n    # needed for the dump\n    import json\n    print(json)\n",
                 id="own-line-comment-above"),
    pytest.param("import os\nif x:\n    import json  # noqa\n    print(json)\n", id="pragma-comment"),
    pytest.param("if x:\n    import json\n    print(json)\nimport os\n", id="no-import-line-above"),
    pytest.param("import os\ndef f():\n    import json\n    return json\n", id="inside-a-function"),
    pytest.param("import os\ntry:\n    import json\n    print(json)\nexcept ImportError:\n    pass\n", id="in-try"),
    pytest.param("import os\nwith x:\n    import json\n    print(json)\n", id="in-with"),
    pytest.param("import os\njson = None\nif x:\n    import json\n    print(json)\n", id="name-assigned-elsewhere"),
    pytest.param("import os\ndef f(json):\n    return json\nif x:\n    import json\n    print(json)\n",
                 id="name-a-parameter-elsewhere"),
    pytest.param("import os\nimport yaml as json\nif x:\n    import json\n    print(json)\n",
                 id="name-imported-as-another-module"),
    pytest.param("import os\nif x:\n    import json\n    print(globals())\n", id="dynamic-names"),
    pytest.param("import os\nif x:\n    import json\n    print(dir())\n", id="dir-lists-the-names"),
    pytest.param("import os\nif x:\n    import inspect\n    print(inspect.stack())\n", id="reads-its-line-numbers"),
    pytest.param("import os\nfrom m import *\nif x:\n    import json\n    print(json)\n", id="star-import"),
    pytest.param(f"import os  # {'x' * 106}\nif x:\n    import json\n    print(json)\n", id="line-over-120"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("hoist-imports", source)


@pytest.mark.parametrize("module, expected", [
    pytest.param("urllib.request", True, id="urllib-request"),
    pytest.param("json", True, id="json"),
    pytest.param("antigravity", False, id="antigravity-opens-a-browser"),
    pytest.param("__hello__", False, id="hello-prints"),
    pytest.param("tomllib", False, id="newer-than-pypy-3-9"),
    pytest.param("requests", False, id="not-standard-library"),
])
def test_movable_module(module: str, expected: bool) -> None:
    assert movable_module(module) is expected


def test_sites_offered_onto_one_line_fit_on_it_all_together() -> None:
    source = program(f"""
        import os  # {'x' * 95}
        if a:
            import json
            print(json)
        if b:
            import re
            print(re)
        if c:
            import string
            print(string)
        """)
    sites = find_sites("hoist-imports", source)
    assert [s.line for s in sites] == [3, 6]  # `string` too would make the line 126 characters
    assert_sites_independent("hoist-imports", source)
    assert max(map(len, apply("hoist-imports", source).code.splitlines())) == len("import os, json, re  # ") + 95


def test_original_download_import_moves_up() -> None:
    source = original_source()
    [site] = find_sites("hoist-imports", source)
    assert (site.line, site.summary) == (16, "move the import of `urllib.request` to line 11")
    assert_sites_independent("hoist-imports", source)
    result = apply("hoist-imports", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) - 1
    assert "import random, urllib.request   # random.seed" in result.code
    assert "\n    import urllib.request" not in result.code
    assert new_violations(source, result.code) == []


def test_after_one_line_imports_the_chains_import_line() -> None:
    joined = apply("one-line-imports", original_source()).code
    result = apply("hoist-imports", joined)
    assert ("import os, math, random, urllib.request # os.path.exists; math.log/exp; "
            "random.seed/choices/gauss/shuffle\n") in result.code
