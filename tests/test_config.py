"""[tool.trimbench]: defaults, paths relative to the project, and one clear error per mistake."""

from __future__ import annotations

import pytest

from trimbench import config
from trimbench.errors import TrimbenchError


def test_defaults_resolve_against_the_project_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.trimbench]\n")
    (tmp_path / "sub").mkdir()
    loaded = config.load(tmp_path / "sub")
    assert loaded.root == tmp_path and loaded.original == tmp_path / "original" / "microgpt.py"
    assert loaded.smoke_steps == 20 and loaded.input is None and loaded.compare_lines == ()


def test_skips_a_pyproject_without_the_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.trimbench]\nsmoke_steps = 7\n")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert config.load(tmp_path / "inner").smoke_steps == 7


def test_no_project(tmp_path):
    with pytest.raises(TrimbenchError, match=r"no pyproject.toml with a \[tool.trimbench\] table"):
        config.load(tmp_path)


@pytest.mark.parametrize("table, message", [
    pytest.param({"smoke_step": 5}, "unknown", id="typo"),
    pytest.param({"smoke_steps": 0}, "positive integer", id="zero-steps"),
    pytest.param({"smoke_steps": True}, "positive integer", id="bool-steps"),
    pytest.param({"timeout_full": -1}, "positive number", id="negative-timeout"),
    pytest.param({"compare_lines": "^step"}, "list of regular expressions", id="string-not-list"),
])
def test_bad_values(tmp_path, table, message):
    with pytest.raises(TrimbenchError, match=message):
        config.from_table(table, tmp_path)


def test_the_repo_configuration(repo_config):
    assert repo_config.original.name == "microgpt.py" and repo_config.variants.name == "variants"
