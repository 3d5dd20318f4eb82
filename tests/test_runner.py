"""The runner on real subprocesses: isolation, streaming compare, timeouts, crashes, limits, early exits."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from trimbench import interpreters, runner
from trimbench.compare import Expected

ROOT = Path(__file__).resolve().parents[1]


def run(source, tmp_path, expected=None, **kwargs):
    input_file = tmp_path / "names.txt"
    input_file.write_text("anna\nbob\n")
    kwargs = {"timeout": 20, "memory_mb": 1024, **kwargs}
    if expected is not None:  # plain lines, no values
        expected = Expected(tuple(expected), tuple(range(1, len(expected) + 1)), ())
    return runner.run(textwrap.dedent(source), name="prog.py", interpreter=interpreters.running(),
                      inputs=[("input.txt", input_file)], expected=expected, **kwargs)


def lines(result):
    return result.comparison.lines


def test_records_every_line_and_its_values(tmp_path):
    result = run("import random\nrandom.seed(0)\nprint('a')\nprint(random.choices('xy', weights=[1, 2])[0])\n",
                 tmp_path)
    assert result.returncode == 0 and lines(result)[0] == b"a\n" and len(lines(result)) == 2
    assert [(r.kind, r.where) for r in result.comparison.records] == [("w", 2), ("s", 3)]


def test_runs_in_a_fresh_folder_with_only_the_script_and_input(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("""\
        import os
        print(os.getcwd())
        print(sorted(os.listdir('.')))
        print(open('input.txt').read().split())
        open('written.txt', 'w').write('x')
    """, tmp_path)
    cwd, listing, names = (line.decode().strip() for line in lines(result))
    assert not Path(cwd).is_relative_to(ROOT) and not Path(cwd).exists()  # removed after the run
    assert listing == "['input.txt', 'prog.py']" and names == "['anna', 'bob']"
    assert not (ROOT / "written.txt").exists()


def test_stdin_is_closed_and_secrets_stay_out(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_value")
    result = run("import os\nprint(os.environ.get('GITHUB_TOKEN'))\nprint(input())\n", tmp_path)
    assert lines(result) == (b"None\n",)
    assert result.returncode == 1 and "EOFError" in result.stderr_tail


def test_first_mismatch_stops_the_run(tmp_path):
    # Without the kill at the first difference this would run until the 20 s timeout.
    result = run("import time\nprint('a')\nprint('B')\ntime.sleep(60)\n", tmp_path, expected=[b"a\n", b"b\n"])
    assert not result.timed_out and result.comparison.matched_lines == 1
    mismatch = result.comparison.text  # "B" may be judged before its newline arrives: print writes them apart
    assert (mismatch.index, mismatch.actual.rstrip(b"\n")) == (1, b"B") and result.returncode is None


def test_filter_skips_lines_on_the_variant_side(tmp_path):
    result = run("print('debug 1')\nprint('a')\nprint('debug 2')\n", tmp_path, expected=[b"a\n"],
                 keep=lambda line: not line.startswith(b"debug"))
    assert result.comparison.text is None and result.comparison.matched_lines == 1 and result.returncode == 0


def test_process_group_is_killed(tmp_path):
    pid_file = tmp_path / "child.pid"
    result = run(f"""\
        import subprocess
        child = subprocess.Popen(['sleep', '60'])
        open({str(pid_file)!r}, 'w').write(str(child.pid))
        print('wrong')
    """, tmp_path, expected=[b"right\n"])
    assert result.comparison.text is not None
    pid = int(pid_file.read_text())
    for _ in range(50):  # the kill is delivered at once; reaping by init may take a moment
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"child {pid} of the variant survived the run")


def test_silent_hang_times_out(tmp_path):
    result = run("import time\nprint('a')\ntime.sleep(60)\n", tmp_path, expected=[b"a\n", b"b\n"], timeout=1)
    assert result.timed_out and result.comparison.matched_lines == 1


def test_closing_stdout_then_hanging_times_out(tmp_path):
    result = run("import os, time\nprint('a')\nos.close(1)\ntime.sleep(60)\n", tmp_path, expected=[b"a\n"],
                 timeout=1)
    assert result.timed_out


def test_a_run_ends_when_its_program_does_even_if_a_child_holds_stdout(tmp_path):
    """Judged when the main process exits (after a short grace), not after the child's 60 s."""
    result = run("import subprocess\nprint('a')\nsubprocess.Popen(['sleep', '60'])\n", tmp_path,
                 expected=[b"a\n"], timeout=20)
    assert result.returncode == 0 and not result.timed_out and result.seconds < 10


def test_output_without_newlines_is_judged_while_it_grows(tmp_path):
    """A flood with no line end is a divergence as soon as it can no longer match, not a timeout."""
    result = run("import sys\nwhile True: sys.stdout.write('x' * 4096)\n", tmp_path, expected=[b"a\n"],
                 timeout=20)
    assert not result.timed_out and result.comparison.text.partial and result.seconds < 10


def test_memory_cap(tmp_path):
    result = run("x = bytearray(2 << 30)\n", tmp_path, memory_mb=256)
    assert result.returncode == 1 and "MemoryError" in result.stderr_tail


def test_stderr_keeps_only_the_tail(tmp_path):
    result = run("import sys\nfor i in range(5000): print('noise', i, file=sys.stderr)\nraise SystemExit(4)\n",
                 tmp_path)
    assert result.returncode == 4 and "noise 4999" in result.stderr_tail and "noise 0\n" not in result.stderr_tail
    assert len(result.stderr_tail) <= runner.STDERR_TAIL_BYTES


def test_system_exit_zero_still_records_the_final_state(tmp_path):
    result = run("import sys\nprint('a')\nsys.exit(0)\n", tmp_path)
    assert result.returncode == 0 and [r.kind for r in result.comparison.records] == ["s"]


def test_interpreter_that_cannot_parse_says_so(tmp_path):
    pypy = interpreters.resolve("auto")
    if not pypy.is_pypy:
        pytest.skip("needs pypy3 on PATH: the case is a file this CPython parses and PyPy (Python 3.9) does not")
    source = "match 1:\n    case 1:\n        print('one')\n"
    result = runner.run(source, name="prog.py", interpreter=pypy, timeout=20, memory_mb=1024)
    assert result.syntax_error is not None and "line 1" in result.syntax_error
