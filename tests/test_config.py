"""[tool.trimbench]: defaults, paths relative to the project, inputs, and one clear error per mistake."""

from __future__ import annotations

import pytest

from trimbench import config
from trimbench.errors import TrimbenchError
from trimbench.tiers import Tier


def test_defaults_resolve_against_the_project_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.trimbench]\noriginal = "src/walk.py"\n')
    (tmp_path / "sub").mkdir()
    loaded = config.load(tmp_path / "sub")
    assert (loaded.root, loaded.original, loaded.variants) == (tmp_path, tmp_path / "src" / "walk.py",
                                                               tmp_path / "variants")
    assert (loaded.smoke_steps, loaded.smoke_lines, loaded.inputs, loaded.compare_lines) == (20, 25, (), ())
    assert loaded.source == tmp_path / "pyproject.toml"


def test_skips_a_pyproject_without_the_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.trimbench]\noriginal = "a.py"\nsmoke_steps = 7\n')
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert config.load(tmp_path / "inner").smoke_steps == 7


def test_found_near_the_file_when_not_around_the_working_directory(tmp_path):
    (tmp_path / "project" / "variants").mkdir(parents=True)
    (tmp_path / "project" / "pyproject.toml").write_text('[tool.trimbench]\noriginal = "a.py"\n')
    (tmp_path / "elsewhere").mkdir()
    near = [tmp_path / "project" / "variants" / "v.py"]
    assert config.load(tmp_path / "elsewhere", near=near).root == tmp_path / "project"
    with pytest.raises(TrimbenchError, match="nor above"):
        config.load(tmp_path / "elsewhere", near=[tmp_path / "elsewhere" / "v.py"])


def test_no_project(tmp_path):
    with pytest.raises(TrimbenchError, match=r"no pyproject.toml with a \[tool.trimbench\] table"):
        config.load(tmp_path)


def test_inputs_are_named_and_resolved_against_the_root(tmp_path):
    loaded = config.from_table({"original": "a.py", "inputs": [
        {"name": "input.txt", "path": "data/names.txt"},
        {"name": "w/weights.bin", "url": "https://example.org/w.bin", "sha256": "a" * 64},
    ]}, tmp_path)
    assert loaded.inputs == (config.InputSpec("input.txt", tmp_path / "data" / "names.txt"),
                             config.InputSpec("w/weights.bin", None, "https://example.org/w.bin", "a" * 64))


def test_the_old_input_keys_are_refused_with_the_new_form(tmp_path):
    with pytest.raises(TrimbenchError) as caught:
        config.from_table({"original": "a.py", "input_url": "https://x/n.txt", "input_sha256": "b" * 64}, tmp_path)
    assert f'inputs = [{{name = "input.txt", url = "https://x/n.txt", sha256 = "{"b" * 64}"}}]' in str(caught.value)


@pytest.mark.parametrize("table, message", [
    pytest.param({"original": None}, "`original` is required", id="no-original"),
    pytest.param({"smoke_step": 5}, "unknown", id="typo"),
    pytest.param({"smoke_steps": 0}, "positive integer", id="zero-steps"),
    pytest.param({"smoke_lines": True}, "positive integer", id="bool-lines"),
    pytest.param({"timeout_full": -1}, "positive number", id="negative-timeout"),
    pytest.param({"compare_lines": "^step"}, "list of regular expressions", id="string-not-list"),
    pytest.param({"step_pattern": "("}, "not a regular expression", id="bad-step-pattern"),
    pytest.param({"inputs": {"name": "x"}}, "inputs must be a list of tables", id="inputs-not-a-list"),
    pytest.param({"inputs": [{"name": "../x", "path": "x"}]}, "relative path inside the run folder",
                 id="input-outside-run-folder"),
    pytest.param({"inputs": [{"name": "/etc/x", "path": "x"}]}, "relative path", id="absolute-input-name"),
    pytest.param({"inputs": [{"name": "x"}]}, "give it a path or a url", id="input-from-nowhere"),
    pytest.param({"inputs": [{"name": "x", "path": "a"}, {"name": "x", "path": "b"}]}, "two inputs", id="twice"),
    pytest.param({"inputs": [{"name": "x", "url": "ftp://a"}]}, "http", id="ftp-url"),
    pytest.param({"inputs": [{"name": "x", "path": "a", "sha256": "xyz"}]}, "64 lower-case hex", id="bad-sha"),
    pytest.param({"inputs": [{"name": "x", "path": "a", "size": 1}]}, "unknown key", id="input-typo"),
])
def test_bad_values(tmp_path, table, message):
    with pytest.raises(TrimbenchError, match=message):
        config.from_table({"original": "a.py", **table}, tmp_path)


@pytest.mark.parametrize("tier, seconds", [
    pytest.param(Tier("full"), 3600, id="full"),
    pytest.param(Tier("smoke", 20), 300, id="smoke"),
    pytest.param(Tier("smoke", first_lines=25), 300, id="first-lines"),
    pytest.param(Tier("smoke"), 3600, id="smoke-that-runs-the-whole-program"),
    pytest.param(Tier("smoke", 200), 3000, id="ten-times-the-steps"),
    pytest.param(Tier("smoke", 5000), 3600, id="capped-at-full"),
    pytest.param(Tier("smoke", 5), 300, id="fewer-steps-never-less"),
])
def test_timeout_grows_with_the_steps(tmp_path, tier, seconds):
    assert config.from_table({"original": "a.py"}, tmp_path).timeout(tier) == seconds


def test_the_repo_configuration(repo_config):
    assert repo_config.original.name == "microgpt.py" and repo_config.variants.name == "variants"
    (microgpt_input,) = repo_config.inputs
    assert microgpt_input.name == "input.txt" and microgpt_input.url.endswith("/names.txt")
    assert microgpt_input.sha256 == "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
