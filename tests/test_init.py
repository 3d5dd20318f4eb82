"""init's plan: the steps variable and the inputs found in a script, and what it refuses to overwrite."""

from __future__ import annotations

import stat
import tomllib

import pytest

from trimbench import init
from trimbench.errors import TrimbenchError


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param("num_steps = 1000\nfor step in range(num_steps):\n    pass\n", "num_steps", id="microgpt's"),
    pytest.param("n = 3\nepochs = 9\nfor i in range(n):\n    for e in range(epochs):\n        pass\n", "epochs",
                 id="a name that says steps wins"),
    pytest.param("n = 3\nfor i in range(n):\n    pass\n", "n", id="else the first counted"),
    pytest.param("steps = 5\nprint(steps)\n", None, id="never counted by a range"),
    pytest.param("steps = 5\nsteps = 6\nfor i in range(steps):\n    pass\n", None, id="assigned twice"),
    pytest.param("def f():\n    k = 3\n    return range(k)\n", None, id="not at module level"),
    pytest.param("lr, iters = 0.1, 50\nfor i in range(1, iters):\n    pass\n", "iters", id="tuple assignment"),
    pytest.param("n_iters = 1.5\nfor i in range(n_iters):\n    pass\n", None, id="not an int"),
])
def test_find_steps_variable(source, expected):
    assert init.find_steps_variable(source) == expected


def test_opened_files_beside_the_script_become_inputs(tmp_path):
    (tmp_path / "data.txt").write_text("x")
    source = "a = open('data.txt').read()\nb = open('missing.txt')\nc = open(name)\nd = open('data.txt')\n"
    assert init.opened_files(source, tmp_path) == ("data.txt",)


def script(tmp_path, source="import random\nrandom.seed(1)\nprint(random.random())\n", name="prog.py"):
    path = tmp_path / name
    path.write_text(source)
    return path


def test_plan_for_a_script_without_steps_or_inputs(tmp_path):
    found = init.plan(tmp_path, script(tmp_path))
    assert found.table == {"original": "prog.py"}
    assert (found.steps_variable, found.steps, found.inputs) == (None, None, ())
    assert found.variant == tmp_path / "variants" / "01_prog.py"


def test_plan_names_a_steps_variable_other_than_the_default_and_pins_inputs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "w.txt").write_bytes(b"abc")
    path = script(tmp_path / "src", "words = open('w.txt').read()\nn_iters = 7\nfor i in range(n_iters):\n"
                                    "    print(i)\n")
    found = init.plan(tmp_path, path)
    assert found.table == {"original": "src/prog.py", "steps_variable": "n_iters", "inputs": [
        {"name": "w.txt", "path": "src/w.txt",
         "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}  # sha256 of b"abc"
    assert (found.steps_variable, found.steps) == ("n_iters", 7)


@pytest.mark.parametrize(("prepare", "message"), [
    pytest.param(lambda root: (root / "pyproject.toml").write_text("[tool.trimbench]\noriginal = 'x.py'\n"),
                 "already has a [tool.trimbench] table", id="table-exists"),
    pytest.param(lambda root: (root / "pyproject.toml").write_text("[tool\n"), "not valid TOML", id="bad-toml"),
    pytest.param(lambda root: (root / "variants").mkdir() or (root / "variants" / "01_prog.py").write_text(""),
                 "init never overwrites a variant", id="variant-exists"),
    pytest.param(lambda root: (root / "variants").write_text(""), "is not a folder", id="variants-is-a-file"),
    pytest.param(lambda root: (root / "prog.py").write_text("def (:\n"), "line 1", id="syntax-error"),
    pytest.param(lambda root: (root / "prog.py").unlink(), "no such file", id="missing"),
])
def test_plan_refuses(tmp_path, prepare, message):
    script(tmp_path)
    prepare(tmp_path)
    with pytest.raises(TrimbenchError, match=message.replace("[", r"\[").replace("]", r"\]")):
        init.plan(tmp_path, tmp_path / "prog.py")


def test_plan_refuses_a_script_outside_the_project(tmp_path):
    (tmp_path / "project").mkdir()
    with pytest.raises(TrimbenchError, match="is not inside"):
        init.plan(tmp_path / "project", script(tmp_path))


def test_plan_refuses_a_steps_variable_the_script_does_not_have(tmp_path):
    with pytest.raises(TrimbenchError, match="no single module-level `epochs = <int>`"):
        init.plan(tmp_path, script(tmp_path), steps_variable="epochs")


def test_write_keeps_other_tables_and_comments_and_the_script_mode(tmp_path):
    before = '[project]\nname = "walk"  # keep me\n\n[tool.black]\nline-length = 100\n'
    (tmp_path / "pyproject.toml").write_text(before)
    path = script(tmp_path)
    path.chmod(0o755)
    plan = init.plan(tmp_path, path)
    init.write(plan)
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(before)
    assert tomllib.loads(text)["tool"] == {"black": {"line-length": 100}, "trimbench": {"original": "prog.py"}}
    assert plan.variant.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(plan.variant.stat().st_mode) == 0o755


def test_write_creates_a_pyproject(tmp_path):
    init.write(init.plan(tmp_path, script(tmp_path)))
    assert tomllib.loads((tmp_path / "pyproject.toml").read_text()) == {"tool": {"trimbench": {"original": "prog.py"}}}
