"""The house rules for the variant chain in variants/*.py.

Each variant is a complete rewrite of original/microgpt.py that must stay bit-exact (checked elsewhere,
in tests/test_golden.py). This file checks the rules that need no run: the chain gets strictly shorter,
every variant keeps the compaction rules of trimbench.rules (no `;` cramming, no line over 120 characters,
no `# fmt:` pragmas, the original's full-line comments kept, a blank line before each top-level section
comment, no new one-letter names), and the chain's own: the docstring credit kept, Python 3.9 syntax.
"""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from trimbench import rules
from trimbench.lines import count

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "original" / "microgpt.py"
VARIANTS_DIR = ROOT / "variants"
VARIANTS = sorted(VARIANTS_DIR.glob("*.py"))
CHANGES = VARIANTS_DIR / "CHANGES.md"
NAME_RE = re.compile(r"^(\d\d)_[a-z0-9_]+\.py$")
ORIGINAL_SRC = ORIGINAL.read_text()


def variant_params():
    return [pytest.param(path, id=path.name) for path in VARIANTS]


# --- the chain ---


def test_chain_exists():
    assert len(VARIANTS) >= 3


@pytest.mark.parametrize("path", variant_params())
def test_variant_name(path):
    assert NAME_RE.match(path.name), path.name


def test_variant_numbers_are_consecutive():
    numbers = [int(NAME_RE.match(path.name).group(1)) for path in VARIANTS]
    assert numbers == list(range(1, len(VARIANTS) + 1))


def chain_pairs():
    chain = [ORIGINAL] + VARIANTS
    return [pytest.param(before, after, id=f"{before.name}>{after.name}") for before, after in zip(chain, chain[1:])]


@pytest.mark.parametrize(("before", "after"), chain_pairs())
def test_chain_gets_strictly_shorter(before, after):
    assert count(after.read_text()) < count(before.read_text())


def test_original_is_200_lines():
    assert count(ORIGINAL_SRC) == 200


# --- every variant obeys the rules ---


@pytest.mark.parametrize("path", variant_params())
def test_parses_as_python_3_9(path):
    ast.parse(path.read_text(), filename=str(path), feature_version=(3, 9))


@pytest.mark.skipif(shutil.which("pypy3") is None, reason="pypy3 not installed")
@pytest.mark.parametrize("path", variant_params())
def test_compiles_under_pypy(path):
    code = "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')"
    result = subprocess.run(["pypy3", "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", variant_params())
def test_keeps_the_compaction_rules(path):
    """No `;`, no line over 120, no `# fmt:`, every comment kept, a blank before each section, no new short name."""
    assert [str(violation) for violation in rules.check(ORIGINAL_SRC, path.read_text())] == []


@pytest.mark.parametrize("path", variant_params())
def test_docstring_credit_kept(path):
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring is not None
    assert "The most atomic way to train and inference a GPT in pure, dependency-free Python." in docstring
    assert "@karpathy" in docstring


def changes_entries():
    """{variant file name: its entry's text} from variants/CHANGES.md (entries open with `## NN_name.py`)."""
    parts = re.split(r"^## (\S+\.py)\n", CHANGES.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("path", variant_params())
def test_has_a_changes_entry(path):
    assert path.name in changes_entries()


@pytest.mark.parametrize("path", variant_params())
def test_changes_entry_states_the_true_line_counts(path):
    chain = [ORIGINAL] + VARIANTS
    before = chain[chain.index(path) - 1]
    counts = re.search(r"(\d+) -> (\d+) lines", changes_entries().get(path.name, ""))
    assert counts is not None, f"no 'before -> after lines' in the entry for {path.name}"
    assert (int(counts[1]), int(counts[2])) == (count(before.read_text()), count(path.read_text()))
