import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench import rules
from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.hoist_constants import HoistConstants

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations


class TestHoistConstantsChanges(CodemodTest):
    TRANSFORM = HoistConstants

    def test_the_download_url_moves_up_and_the_if_takes_its_call(self) -> None:
        before = """
# Let there be an input dataset
if not os.path.exists('input.txt'):
    names_url = 'https://example.org/names.txt'
    urllib.request.urlretrieve(names_url, 'input.txt')
docs = open('input.txt').read()
"""
        after = """
# Let there be an input dataset
names_url = 'https://example.org/names.txt'
if not os.path.exists('input.txt'): urllib.request.urlretrieve(names_url, 'input.txt')
docs = open('input.txt').read()
"""
        self.assertCodemod(before, after)

    def test_comments_move_with_their_lines_the_headers_stays_with_the_if(self) -> None:
        before = """
# the section
if ready:  # only once
    # the count
    count = 3  # three
    shape = 'x', b'y', -1.5, None, True
    print(count, shape)
"""
        after = """
# the section
# the count
count = 3  # three
shape = 'x', b'y', -1.5, None, True
if ready: print(count, shape)  # only once
"""
        self.assertCodemod(before, after)

    def test_in_a_function_in_a_loop_a_comprehension_reads_in_place(self) -> None:
        before = """
def run(xs):
    for x in xs:
        if x > 1:
            scale = 0.5
            print([scale * y for y in range(x)])
"""
        after = """
def run(xs):
    for x in xs:
        scale = 0.5
        if x > 1: print([scale * y for y in range(x)])
"""
        self.assertCodemod(before, after)

    def test_two_statements_left_move_without_a_join(self) -> None:
        before = "if c:\n    n = 3\n    m = f(n)\n    k = 2\n    print(m, k)\n"
        after = "n = 3\nif c:\n    m = f(n)\n    k = 2\n    print(m, k)\n"  # stops at `m`: `k` is not leading
        self.assertCodemod(before, after)

    def test_two_trailing_comments_cannot_share_the_joined_line(self) -> None:
        before = "if c:  # when\n    n = 3\n    print(n)  # show\n"
        after = "n = 3\nif c:  # when\n    print(n)  # show\n"
        self.assertCodemod(before, after)

    def test_a_joined_line_over_120_stays_two_lines(self) -> None:
        call = f"print(n, '{'x' * 104}')"
        before = f"if c:\n    n = 3\n    {call}\n"
        after = f"n = 3\nif c:\n    {call}\n"
        self.assertCodemod(before, after)

    def test_a_def_that_binds_the_name_itself_reads_its_own(self) -> None:
        before = "def show(n):\n    return n\nif c:\n    n = 3\n    print(show(n))\n"
        after = "def show(n):\n    return n\nn = 3\nif c: print(show(n))\n"
        self.assertCodemod(before, after)

    def test_an_if_in_an_else_or_after_a_call_in_an_if_body(self) -> None:
        before = """
if a:
    print(1)
    if b:
        n = 3
        print(n)
else:
    if d:
        m = 4
        print(m)
"""
        after = """
if a:
    print(1)
    n = 3
    if b: print(n)
else:
    m = 4
    if d: print(m)
"""
        self.assertCodemod(before, after)

    def test_the_main_guard(self) -> None:
        before = "if __name__ == '__main__':\n    path = 'input.txt'\n    main(path)\n"
        after = "path = 'input.txt'\nif __name__ == '__main__': main(path)\n"
        self.assertCodemod(before, after)


MUST_NOT_APPLY = [
    pytest.param("try:\n    if n == 3:\n        n = 3\n        print(n)\nexcept NameError:\n    pass\n",
                 id="read-in-the-condition"),
    pytest.param("if c:\n    n = 3\n    print(n)\nprint(n)\n", id="read-after-the-if"),
    pytest.param("print(n)\nif c:\n    n = 3\n    print(n)\n", id="read-before-the-if"),
    pytest.param("def f():\n    return n\nif c:\n    n = 3\n    print(f())\n", id="read-in-a-function"),
    pytest.param("if c:\n    n = 3\n    g = lambda: n\n    print(g())\n", id="read-in-a-lambda"),
    pytest.param("if c:\n    n = 3\n    class K:\n        m = n\n    print(K.m)\n", id="read-in-a-class-body"),
    pytest.param("class K:\n    if c:\n        n = 3\n        print(n)\n", id="in-a-class-body"),
    pytest.param("if c:\n    n = 3\n    print(n)\nelse:\n    pass\n", id="with-else"),
    pytest.param("if c:\n    n = 3\n    print(n)\nelif d:\n    pass\n", id="with-elif"),
    pytest.param("if c:\n    pass\nelif d:\n    n = 3\n    print(n)\n", id="an-elif-itself"),
    pytest.param("if c: print(1)\n", id="one-line-body"),
    pytest.param("if c:\n    n = 3\n", id="the-body-would-be-empty"),
    pytest.param("if c:\n    n = f'{c}'\n    print(n)\n", id="f-string"),
    pytest.param("if c:\n    n = []\n    print(n)\n", id="mutable-literal"),
    pytest.param("if c:\n    n = (1, [2])\n    print(n)\n", id="tuple-holding-a-list"),
    pytest.param("if c:\n    n = f(1)\n    print(n)\n", id="a-call"),
    pytest.param("if c:\n    n = 2 ** 100\n    print(n)\n", id="arithmetic"),
    pytest.param("if c:\n    n = m\n    print(n)\n", id="a-name"),
    pytest.param("if c:\n    n = m = 3\n    print(n, m)\n", id="two-targets"),
    pytest.param("if c:\n    n, m = 3, 4\n    print(n, m)\n", id="tuple-target"),
    pytest.param("if c:\n    o.n = 3\n    print(o)\n", id="attribute-target"),
    pytest.param("if c:\n    n: int = 3\n    print(n)\n", id="annotated"),
    pytest.param("n = 1\nif c:\n    n = 3\n    print(n)\n", id="bound-before"),
    pytest.param("if c:\n    n = 3\n    n += 1\n    print(n)\n", id="rebound-in-the-body"),
    pytest.param("if c:\n    n = 3\n    print(n)\n    del n\n", id="deleted-in-the-body"),
    pytest.param("if c:\n    n = 3\n    print(n)\n[(n := i) for i in range(2)]\n", id="walrus-in-a-comprehension"),
    pytest.param("if c:\n    n = 3\n    print(n)\ntry:\n    pass\nexcept E as n:\n    pass\n", id="except-as"),
    pytest.param("if c:\n    n = 3\n    print(n)\nfor n in range(2):\n    pass\n", id="a-loop-target"),
    pytest.param("if c:\n    n = 3\n    print(n)\nimport n\n", id="an-import"),
    pytest.param("def f():\n    global n\n    n = 1\nif c:\n    n = 3\n    print(n)\n", id="global-elsewhere"),
    pytest.param("def f():\n    if c:\n        n = 3\n        print(n)\n    def g():\n        nonlocal n\n    g()\n",
                 id="nonlocal"),
    pytest.param("if c:\n    __doc__ = 'x'\n    print(__doc__)\n", id="dunder-name"),
    pytest.param("if c:\n    # type: ignore\n    n = 3\n    print(n)\n", id="pragma-comment-above"),
    pytest.param("if a:\n    if b:\n        n = 3\n        print(n)\n    print(a)\n", id="first-in-an-if-body"),
    pytest.param("if a:\n    k = 1\n    if b:\n        n = 3\n        print(n)\nprint(k)\n",
                 id="after-literal-lines-only"),
    pytest.param("if c:\n    n = 3\n    print(n, globals())\n", id="globals"),
    pytest.param("if c:\n    n = 3\n    print(n)\nprint(dir())\n", id="dir-lists-the-names"),
    pytest.param("if c:\n    n = 3\n    print(n)\nprint(eval('n'))\n", id="eval"),
    pytest.param("import sys\nif c:\n    n = 3\n    print(n)\nprint(sys.modules[__name__])\n", id="sys-modules"),
    pytest.param("import __main__\nif c:\n    n = 3\n    print(n)\n", id="import-main"),
    pytest.param("def f(): pass\nif c:\n    n = 3\n    print(n)\nprint(f.__globals__)\n", id="function-globals"),
    pytest.param("import inspect\nif c:\n    n = 3\n    print(n, inspect.stack())\n", id="line-reader"),
    pytest.param("from m import *\nif c:\n    n = 3\n    print(n)\n", id="star-import"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("hoist-constants", source)


def test_a_refused_constant_ends_the_run_but_the_earlier_ones_move() -> None:
    source = "if c:\n    n = 3\n    m = 4\n    print(n, m)\nprint(m)\n"
    [site] = find_sites("hoist-constants", source)
    assert site.summary == "move `n` before the `if` of line 1 (saves no line by itself)"
    assert apply("hoist-constants", source).code == "n = 3\nif c:\n    m = 4\n    print(n, m)\nprint(m)\n"


def test_sites_are_independent_and_summaries_say_what_each_saves() -> None:
    source = program("""
        import os
        # download
        if not os.path.exists('a.txt'):
            url = 'https://example.org/a.txt'
            fetch(url)
        for i in range(3):
            if i:
                step = 0.5
                print(step * i)
        if os.sep:
            label = 'sep'
            print(label)
            print(label)
        """)
    sites = find_sites("hoist-constants", source)
    assert [(s.line, s.summary) for s in sites] == [
        (3, "move `url` before the `if` of line 3 and put its one statement on its line"),
        (7, "move `step` before the `if` of line 7 and put its one statement on its line"),
        (10, "move `label` before the `if` of line 10 (saves no line by itself)"),
    ]
    assert_sites_independent("hoist-constants", source)
    assert line_count(apply("hoist-constants", source).code) == line_count(source) - 2


def test_on_the_original_the_import_comes_first_and_after_hoist_imports_the_url_moves() -> None:
    source = original_source()
    assert isinstance(apply("hoist-constants", source), TransformSkip)  # `import urllib.request` leads the body
    hoisted = apply("hoist-imports", source).code
    [site] = find_sites("hoist-constants", hoisted)
    assert (site.line, site.summary) == (15, "move `names_url` before the `if` of line 15 and put its one statement "
                                              "on its line")
    result = apply("hoist-constants", hoisted)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(hoisted) - 1 == 198
    assert ("# Let there be an input dataset `docs`: list[str] of documents (e.g. a dataset of names)\n"
            "names_url = 'https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt'\n"
            "if not os.path.exists('input.txt'): urllib.request.urlretrieve(names_url, 'input.txt')\n") in result.code
    assert new_violations(source, result.code) == []
    assert len(rules.check(source, result.code)) == len(rules.check(source, source))  # the original's long lines


def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


PROGRAMS = [
    pytest.param("""
        import random
        random.seed(7)
        for step in range(6):
            x = random.random()
            if x > 0.4:
                scale = 1.5
                print(step, repr(x * scale))
        """, id="in-a-loop-sometimes-false"),
    pytest.param("""
        import random
        random.seed(8)
        def draw(n):
            if n:
                offset = -0.25
                name = 'draw'
                return name, [repr(random.gauss(offset, 1)) for _ in range(n)]
            return None
        print(draw(3), draw(0))
        """, id="in-a-function-a-comprehension"),
    pytest.param("""
        import random
        random.seed(9)
        if random.random() > 2:
            label = 'never'
            print(label)
        print(repr(random.random()))
        """, id="condition-false-the-name-unread"),
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, source: str) -> None:
    source = program(source)
    result = apply("hoist-constants", source)
    assert isinstance(result, TransformSuccess) and result.code != source  # the codemod really changed it
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip()
    assert run(tmp_path / "after.py") == expected


# What hoisting would print if it ignored a read in the condition, after the `if`, or in a function: different.
DANGERS = [
    pytest.param("""
        try:
            if label == 'ready':
                label = 'ready'
                print('the body ran with', label)
        except NameError:
            print('the condition read an unbound name')
        """, """
        try:
            label = 'ready'
            if label == 'ready': print('the body ran with', label)
        except NameError:
            print('the condition read an unbound name')
        """, id="read-in-the-condition"),
    pytest.param("""
        import random
        random.seed(4)
        if random.random() > 2:
            label = 'never'
            print(label)
        try:
            print(label)
        except NameError:
            print('unbound after the if')
        """, """
        import random
        random.seed(4)
        label = 'never'
        if random.random() > 2: print(label)
        try:
            print(label)
        except NameError:
            print('unbound after the if')
        """, id="read-after-the-if"),
    pytest.param("""
        def first_time():
            try:
                marker
            except NameError:
                return True
            return False
        if first_time():
            marker = 'seen'
            print(marker)
        print(first_time())
        """, """
        def first_time():
            try:
                marker
            except NameError:
                return True
            return False
        marker = 'seen'
        if first_time(): print(marker)
        print(first_time())
        """, id="read-in-a-function"),
]


@pytest.mark.parametrize("source, unsound", DANGERS)
def test_hoisting_a_value_read_elsewhere_would_print_differently(tmp_path: Path, source: str, unsound: str) -> None:
    (tmp_path / "before.py").write_text(program(source))
    (tmp_path / "unsound.py").write_text(program(unsound))
    assert run(tmp_path / "unsound.py") != run(tmp_path / "before.py")  # the danger is real
    assert_refuses("hoist-constants", source)
