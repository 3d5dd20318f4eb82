"""The instrumentation sees every formatted value and changes nothing: same stdout, same values, same order."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import pytest

from trimbench import interpreters, runner
from trimbench.instrument import RECORDER, instrument

X = 0.1 + 0.2

CASES = [
    # id, program, the floats it should record (in order)
    ("f-string", 'x = 0.1 + 0.2\nprint(f"{x:.4f} {x!r} {x=}")\n', [X, X]),
    ("percent-tuple-and-mapping", 'x = 0.1 + 0.2\nprint("%.3f %d" % (x, 3))\nprint("%(a).2f" % {"a": x})\n',
     [X, X]),
    ("str-format-literal-and-name", 'x = 0.1 + 0.2\nfmt = "{:.3f}"\nprint("{:.2f} {k:.1e}".format(x, k=x * 3), '
     'fmt.format(x))\n', [X, X * 3, X]),
    ("format-and-round", 'x = 0.1 + 0.2\nprint(format(x, ".5g"), round(x, 3))\n', [X, X, round(X, 3)]),
    ("print-floats", 'x = 0.1 + 0.2\nprint(x, 2.5, "text", 3, sep=", ")\n', [X, 2.5]),
    ("nested-format-spec", 'x, w, p = 0.1 + 0.2, 9, 3\nprint(f"{x:{w}.{p}f}|")\n', [X]),
    ("walrus-in-f-string", 'x = 0.1 + 0.2\nprint(f"{(y := x * 2):.2f}", y)\n', [X * 2, X * 2]),
    ("class-private-names", 'class A:\n    __v = 1.5\n    def show(self):\n        return f"{self.__v:.1f}"\n'
     'print(A().show())\n', [1.5]),
    ("evaluation-order-of-side-effects", 'def f(v):\n    print("call", v)\n    return v\nprint(f"{f(1.5)} {f(2.5)}")\n',
     [1.5, 1.5, 2.5, 2.5]),  # each call prints its argument, then the f-string formats its result
    ("starred-and-generator", 'print(*(i * 0.5 for i in range(3)))\nprint(sum(i * 0.5 for i in range(3)))\n', [1.5]),
    ("complex-and-ints-not-floats", 'print(f"{1+2j} {7:4d} {True}")\n', []),
]


def recorded_run(source, tmp_path):
    return runner.run(source, name="prog.py", interpreter=interpreters.running(), timeout=30, memory_mb=1024)


@pytest.mark.parametrize("source, floats", [pytest.param(s, f, id=i) for i, s, f in CASES])
def test_same_stdout_as_the_plain_program_and_the_values_recorded(source, floats, tmp_path):
    (tmp_path / "prog.py").write_text(source)
    plain = subprocess.run([sys.executable, "-u", "prog.py"], cwd=tmp_path, capture_output=True, timeout=30)
    result = recorded_run(source, tmp_path)
    assert result.returncode == 0 == plain.returncode, result.stderr_tail
    assert b"".join(result.comparison.lines) == plain.stdout
    got = [float.fromhex(r.value) for r in result.comparison.records if r.kind == "f"]
    assert got == floats


def test_complex_numbers_are_recorded_as_such(tmp_path):
    result = recorded_run('print(f"{1.5+2j}")\n', tmp_path)
    assert [r.kind for r in result.comparison.records] == ["c", "s"]


def test_lines_never_move(tmp_path):
    source = 'x = 1.5\nprint(f"{x}",\n      "%f" % x)\nraise SystemExit(f"{x:.1f}")\n'
    rewritten = instrument(source)
    assert rewritten.count("\n") == source.count("\n") and rewritten.count(RECORDER) == 5


def test_tracebacks_show_the_users_own_lines(tmp_path):
    result = recorded_run('x = 2.5\nprint(f"{x}")\nprint(f"{1 / 0:.2f}")\n', tmp_path)
    assert result.returncode == 1
    assert 'line 3' in result.stderr_tail and RECORDER not in result.stderr_tail
    assert 'print(f"{1 / 0:.2f}")' in result.stderr_tail


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="NumPy is not installed (pip install numpy)")
def test_numpy_values_and_arrays(tmp_path):
    source = textwrap.dedent("""\
        import numpy as np
        a = np.arange(4, dtype=np.float32) / 3
        print(a, f"{a[1]:.3f}", f"{a.sum():.2f}", np.float64(0.5))
        print(np.arange(3))
    """)
    (tmp_path / "prog.py").write_text(source)
    plain = subprocess.run([sys.executable, "-u", "prog.py"], cwd=tmp_path, capture_output=True, timeout=60)
    result = runner.run(source, name="prog.py", interpreter=interpreters.running(), timeout=60, memory_mb=0)
    assert b"".join(result.comparison.lines) == plain.stdout
    kinds = [(r.kind, r.value.split()[0]) if r.kind == "a" else r.kind for r in result.comparison.records]
    assert kinds == [("a", "<f4"), "f", "f", "f", ("a", "<i8"), "s"]
