import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.condense_init import CondenseInit
from trimbench.metrics import honest_lines

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations

HEAD = """
n_embd, n_layer, vocab_size = 16, 1, 27
matrix = lambda nout, nin, std=0.08: [[gauss(0, std) for _ in range(nin)] for _ in range(nout)]
state_dict = {'wte': matrix(vocab_size, n_embd)}
"""
# microgpt's layer loop, in a file whose widest line is 120 characters (as microgpt's is)
LAYERS = """
n_embd, n_layer = 16, 1
# the widest line of the file: each statement written may be as wide as this one, and never wider than 120 characters
state_dict = {}
for i in range(n_layer):
    state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.attn_wk'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.attn_wv'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.attn_wo'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)
"""
TWO_LINES = (
    "    state_dict |= {f'layer{i}.attn_{name}': matrix(n_embd, n_embd) for name in ('wq', 'wk', 'wv', 'wo')}\n"
    "    state_dict |= {f'layer{i}.mlp_fc1': matrix(4 * n_embd, n_embd), "
    "f'layer{i}.mlp_fc2': matrix(n_embd, 4 * n_embd)}\n"
)


class TestCondenseInitChanges(CodemodTest):
    TRANSFORM = CondenseInit

    def test_microgpts_layer_loop_takes_two_lines(self) -> None:
        after = LAYERS.split("for i in range(n_layer):\n")[0] + "for i in range(n_layer):\n" + TWO_LINES
        self.assertCodemod(LAYERS, after)

    def test_a_display_too_wide_for_the_file_leaves_its_lines_alone(self) -> None:
        before = HEAD + """
for i in range(n_layer):
    state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.attn_wk'] = matrix(n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)
"""
        # the widest line is HEAD's 95-character lambda: the mlp display would be 117
        after = HEAD + """
for i in range(n_layer):
    state_dict |= {f'layer{i}.attn_{name}': matrix(n_embd, n_embd) for name in ('wq', 'wk')}
    state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
    state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)
"""
        self.assertCodemod(before, after)

    def test_same_arguments_and_plain_keys(self) -> None:
        before = """
d = {}
d["a"] = make(rows, cols)
d["b"] = make(rows, cols)
d["c"] = make(rows, cols)
"""
        after = """
d = {}
d |= {name: make(rows, cols) for name in ("a", "b", "c")}
"""
        self.assertCodemod(before, after)

    def test_fresh_names_avoid_collisions(self) -> None:
        before = """
d = dict()
d['x.a'] = f(name, shape)
d['x.b'] = f(name, shape)
d['x.c'] = f(name, shape)
"""
        after = """
d = dict()
d |= {f'x.{name_}': f(name, shape) for name_ in ('a', 'b', 'c')}
"""
        self.assertCodemod(before, after)

    def test_displays_split_to_fit_and_a_lone_line_stays(self) -> None:
        before = """
rows, cols = 3, 4
d = {}
d['alpha'] = make(rows, 2 * cols)
d['beta'] = make(2 * rows, cols)
d['gamma'] = make(rows, cols + 1)
d['delta'] = make(rows + 1, cols)
d['epsilon'] = make(rows - 1, cols)
"""
        after = """
rows, cols = 3, 4
d = {}
d |= {'alpha': make(rows, 2 * cols), 'beta': make(2 * rows, cols)}
d |= {'gamma': make(rows, cols + 1), 'delta': make(rows + 1, cols)}
d['epsilon'] = make(rows - 1, cols)
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
    d |= {f'{i}.a': f(n, m), f'{i}.b': f(n * m, -n), f'{i}.c': f(n ** 2, m)}
"""
        self.assertCodemod(before, after)

    def test_the_first_lines_comments_stay_with_it(self) -> None:
        before = """
d = {}

# weights
d['w_in'] = make(2, 3)  # input side
d['w_mid'] = make(2, 3)
d['w_out'] = make(2, 3)
"""
        after = """
d = {}

# weights
d |= {f'w_{name}': make(2, 3) for name in ('in', 'mid', 'out')}  # input side
"""
        self.assertCodemod(before, after)

    def test_a_trailing_comment_too_long_to_share_keeps_its_line(self) -> None:
        before = """
d = {}
d['alpha'] = make(rows, cols)  # a comment long enough that nothing else fits beside it on its line
d['beta'] = make(rows, cols)
d['gamma'] = make(rows, cols)
"""
        after = """
d = {}
d['alpha'] = make(rows, cols)  # a comment long enough that nothing else fits beside it on its line
d |= {'beta': make(rows, cols), 'gamma': make(rows, cols)}
"""
        self.assertCodemod(before, after)

    def test_the_run_stops_before_a_line_it_cannot_prove(self) -> None:
        before = """
w = object()
d = {}
d['a'] = f(1)
d['b'] = f(2)
d['c'] = f(3)
d['d'] = f(w * 2)
"""
        after = """
w = object()
d = {}
d |= {'a': f(1), 'b': f(2), 'c': f(3)}
d['d'] = f(w * 2)
"""
        self.assertCodemod(before, after)

    def test_a_local_dict_in_a_function(self) -> None:
        before = """
def build(n, k):
    d = {}
    d['a'] = make(n)
    d['b'] = make(k)
    d['c'] = make(n)
    return len(d)
"""
        after = """
def build(n, k):
    d = {}
    d |= {'a': make(n), 'b': make(k), 'c': make(n)}
    return len(d)
"""
        self.assertCodemod(before, after)


RUN = "d['a'] = make(x)\nd['b'] = make(y)\nd['c'] = make(z)\n"
INDENTED_RUN = "".join("    " + line + "\n" for line in RUN.splitlines())

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
    # a key is computed before its call: a call must not be able to change it
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
    pytest.param("""
        def f(x):
            global j
            j += 1
            return x
        i, j = 0, 0
        d = {}
        d[f'{i}a'] = f(1)
        d[f'{j}b'] = f(2)
        d[f'{j}c'] = f(3)
        """, id="a-later-key-reads-a-name-a-call-rebinds"),
    pytest.param("d = {}\nd[f'{a}'] = f(1)\nd[f'{b}'] = f(2)\nd[f'{c}'] = f(3)\n", id="keys-with-computed-tails"),
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
    pytest.param("d = {}\ntry:\n" + INDENTED_RUN + "except ValueError:\n    pass\nprint(d['a'])\n",
                 id="an-except-could-read-the-dict-half-filled"),
    pytest.param("import contextlib\nd = {}\nwith contextlib.suppress(ValueError):\n" + INDENTED_RUN,
                 id="a-context-manager-could-swallow-the-error"),
    pytest.param("d = {}\nalias = d\n" + RUN, id="dict-aliased"),
    pytest.param("d = {}\nview = d.values()\n" + RUN, id="dict-view-kept"),
    pytest.param("def reset():\n    global d\n    d = {}\nd = {}\n" + RUN, id="dict-rebound-through-global"),
    pytest.param("d = {}\ndef fill():\n" + INDENTED_RUN, id="a-global-dict-filled-in-a-function"),
    pytest.param("if flag:\n    d = {}\n" + RUN, id="the-dict-may-be-unbound"),
    pytest.param("d = {}\nif flag:\n    n = 1\nd[f'{n}a'] = f(1)\nd[f'{n}b'] = f(2)\nd[f'{n}c'] = f(3)\n",
                 id="a-key-name-may-be-unbound"),
    pytest.param("n = 1\nd = {}\nd[f'{n}a'] = f(1)\nd[f'{n}b'] = f(2)\nd[f'{n}c'] = f(3)\ndel n\n",
                 id="a-key-name-deleted-somewhere"),
    pytest.param("d = make_store()\n" + RUN, id="target-not-known-to-be-a-dict"),
    pytest.param("def dict():\n    return {}\nd = dict()\n" + RUN, id="dict-is-not-the-builtin"),
    pytest.param("d = {}\nd |= store\n" + RUN, id="merged-with-what-may-not-be-a-dict"),
    pytest.param("d = {}\n" + RUN + "print(locals())\n", id="dynamic-lookup"),
    pytest.param("import sys\nd = {}\n" + RUN + "print(sys._getframe().f_lineno)\n", id="a-line-reader"),
    # shape of the run
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = f(2)\n", id="two-lines-are-too-few"),
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = g(2)\nd['c'] = f(3)\n", id="different-functions"),
    pytest.param("d = {}\nd['a'] = f(1)\nd['b'] = f(2)  # the b one\nd['c'] = f(3)\n",
                 id="comments-on-later-lines-mark-separate-entries"),
    pytest.param("d = {}\nd['a'] = f(1)\n\nd['b'] = f(2)\nd['c'] = f(3)\n", id="a-blank-line-ends-the-run"),
    pytest.param("class C:\n    d = {}\n    d['a'] = f(1)\n    d['b'] = f(2)\n    d['c'] = f(3)\n", id="class-body"),
    pytest.param("""
        width_of_layer, height_of_layer = 8, 4
        d = {}
        d['alpha_long_name'] = make(width_of_layer, height_of_layer)
        d['beta_long_name'] = make(width_of_layer, 2 * height_of_layer)
        d['gamma_long_name'] = make(2 * width_of_layer, height_of_layer)
        """, id="no-two-lines-fit-in-one-display"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("condense-init", source)


def test_plain_names_may_be_anything_no_call_can_rebind() -> None:
    source = "x, y, z = object(), [], 'z'\nd = {}\n" + RUN
    after = "x, y, z = object(), [], 'z'\nd = {}\nd |= {'a': make(x), 'b': make(y), 'c': make(z)}\n"
    assert apply("condense-init", source).code == after


def test_runs_on_one_dict_are_independent_sites() -> None:
    """The second run is still found once the first is written: `d |= {...}` keeps `d` a private dict."""
    later = RUN.replace("'a'", "'x'").replace("'b'", "'y'").replace("'c'", "'z'")
    source = "d = {}\n" + RUN + "print(len(d))\n" + later
    assert len(find_sites("condense-init", source)) == 2
    assert_sites_independent("condense-init", source)


def test_original_condenses_the_layer_loop_into_what_black_keeps() -> None:
    source = original_source()
    (site,) = find_sites("condense-init", source)
    result = apply("condense-init", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert TWO_LINES in result.code and "state_dict[f'layer{i}." not in result.code
    assert line_count(result.code) == line_count(source) - 4
    assert honest_lines("after", result.code) == honest_lines("before", source) - 4
    assert new_violations(source, result.code) == []
    assert site.line == source.splitlines().index("    state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)") + 1


@pytest.mark.parametrize("source", [
    pytest.param(LAYERS, id="layers"),
    pytest.param("n = 2\nd = {}\n" + "".join(f"d['{k}'] = make(n, {j} * n)\n" for j, k in enumerate("abcdefg")),
                 id="displays"),
    pytest.param("d = {}  # the dict\n" + RUN.replace("make(y)", "make(x)").replace("make(z)", "make(x)"),
                 id="a-comprehension-and-a-comment"),
])
def test_black_keeps_every_statement_written_on_one_line(source: str) -> None:
    """Each line saved is an honest line saved: black writes each new statement as the one line it is."""
    result = apply("condense-init", source)
    assert isinstance(result, TransformSuccess)
    saved = line_count(source) - line_count(result.code)
    assert saved > 0 and honest_lines("before", source) - honest_lines("after", result.code) == saved


# Differential: both programs really run, in a temporary folder; floats are printed with repr.

def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    return done.stdout + (f"exit {done.returncode}: {done.stderr.splitlines()[-1]}" if done.returncode else "")


PROGRAMS = [
    pytest.param("""
        import random
        random.seed(41)
        # as microgpt: a comprehension for the attention matrices, a display for the mlp ones, in draw order
        n_embd, n_layer = 3, 2
        matrix = lambda nout, nin, std=0.08: [[random.gauss(0, std) for _ in range(nin)] for _ in range(nout)]
        state_dict = {'wte': matrix(5, n_embd)}
        for i in range(n_layer):
            state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
            state_dict[f'layer{i}.attn_wk'] = matrix(n_embd, n_embd)
            state_dict[f'layer{i}.attn_wv'] = matrix(n_embd, n_embd)
            state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
            state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)
        print(list(state_dict))
        print([repr(v) for mat in state_dict.values() for row in mat for v in row], repr(random.random()))
        """, id="layers"),
    pytest.param("""
        import random
        random.seed(42)
        def draw(k, scale):
            return [random.random() * scale for _ in range(k)]
        rows, cols = 2, 3
        def table():
            out = {'seen': 0}  # built in a function, twice over
            out['alpha'] = draw(rows, 2 * cols)
            out['beta'] = draw(2 * rows, cols)
            out['gamma'] = draw(rows, cols + 1)
            out['delta'] = draw(rows + 1, cols)
            out['epsilon'] = draw(rows - 1, cols)
            print(len(out))
            out['alpha'] = draw(rows, cols)
            out['zeta'] = draw(rows, cols)
            out['eta'] = draw(rows, cols)
            return sorted(out.items())
        print([(key, repr(vs)) for key, vs in table()])
        """, id="a-function-two-runs-a-key-replaced"),
]


@pytest.mark.parametrize("source", PROGRAMS)
def test_rewrite_prints_the_same_bytes(tmp_path: Path, source: str) -> None:
    source = program(source)
    result = apply("condense-init", source)
    assert isinstance(result, TransformSuccess) and "|= {" in result.code
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip() and "exit" not in expected
    assert run(tmp_path / "after.py") == expected


# What `d |= {...}` would print where the codemod refuses: each danger is real.
DANGERS = [
    pytest.param("""
        def make(k):
            return 1 / k
        d = {}
        try:
            d['a'] = make(1)
            d['b'] = make(2)
            d['c'] = make(0)
        except ZeroDivisionError:
            pass
        print(d)
        """, "    d |= {'a': make(1), 'b': make(2), 'c': make(0)}\n", id="an-except-reads-the-half-filled-dict"),
    pytest.param("""
        i = 0
        def make(x):
            global i
            i += 1
            return x
        d = {}
        d[f'{i}a'] = make(1)
        d[f'{i}b'] = make(2)
        d[f'{i}c'] = make(3)
        print(d)
        """, "d |= {f'{i}a': make(1), f'{i}b': make(2), f'{i}c': make(3)}\n", id="a-key-computed-before-its-call"),
    pytest.param("""
        make = lambda x: 2 * x
        d = {}
        def fill():
            d['a'] = make(1)
            d['b'] = make(2)
            d['c'] = make(3)
        fill()
        print(d)
        """, "    d |= {'a': make(1), 'b': make(2), 'c': make(3)}\n", id="a-global-dict-would-become-local"),
    pytest.param("""
        d = {}
        def make(x):
            print(len(d))
            return x
        d['a'] = make(1)
        d['b'] = make(2)
        d['c'] = make(3)
        print(d)
        """, "d |= {'a': make(1), 'b': make(2), 'c': make(3)}\n", id="a-call-sees-the-dict-less-filled"),
    pytest.param("""
        def make(x):
            print('made', x)
            return x
        def fill(flag):
            if flag:
                d = {}
            d['a'] = make(1)
            d['b'] = make(2)
            d['c'] = make(3)
            return len(d)
        print(fill(True))
        try:
            fill(False)
        except UnboundLocalError:
            print('unbound')
        """, "    d |= {'a': make(1), 'b': make(2), 'c': make(3)}\n", id="the-dict-unbound-before-the-first-call"),
]


@pytest.mark.parametrize("source, condensed", DANGERS)
def test_refused_where_the_rewrite_would_print_otherwise(tmp_path: Path, source: str, condensed: str) -> None:
    source = program(source)
    lines = source.splitlines(keepends=True)
    run_lines = [n for n, line in enumerate(lines) if "] = make(" in line]
    unsound = "".join(lines[:run_lines[0]] + [condensed] + lines[run_lines[-1] + 1:])
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "unsound.py").write_text(unsound)
    assert run(tmp_path / "unsound.py") != run(tmp_path / "before.py")  # the danger is real
    assert isinstance(apply("condense-init", source), TransformSkip)
