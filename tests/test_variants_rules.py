"""The house rules for the variant chain in variants/*.py.

Each variant is a complete rewrite of original/microgpt.py that must stay bit-exact (checked elsewhere,
in tests/test_golden.py). This file checks the rules that need no run: the chain gets strictly shorter,
and every variant reads like the original (no `;` cramming, no line over 120 characters, no `# fmt:`
pragmas, the original's 15 full-line comments kept, a blank line before each of the original's top-level
section comments, the docstring credit kept, Python 3.9 syntax).
"""

import ast
import io
import re
import shutil
import subprocess
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = ROOT / "original" / "microgpt.py"
VARIANTS_DIR = ROOT / "variants"
VARIANTS = sorted(VARIANTS_DIR.glob("*.py"))
CHANGES = VARIANTS_DIR / "CHANGES.md"
MAX_LINE = 120
NAME_RE = re.compile(r"^(\d\d)_[a-z0-9_]+\.py$")


def physical_lines(src):
    return len(src.splitlines())


def semicolon_lines(src):
    """Line numbers of `;` used as a statement separator (a `;` inside a string or comment is not a token)."""
    tokens = tokenize.generate_tokens(io.StringIO(src).readline)
    return [tok.start[0] for tok in tokens if tok.type == tokenize.OP and tok.string == ";"]


def long_lines(src, limit=MAX_LINE):
    return [i for i, line in enumerate(src.splitlines(), 1) if len(line) > limit]


def fmt_pragma_lines(src):
    tokens = tokenize.generate_tokens(io.StringIO(src).readline)
    return [tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT and re.match(r"#\s*fmt\s*:", tok.string)]


def full_line_comments(src):
    """The text of each comment that sits on a line of its own, in order."""
    lines = src.splitlines()
    tokens = tokenize.generate_tokens(io.StringIO(src).readline)
    return [
        (tok.start[0], tok.string[1:].strip())
        for tok in tokens
        if tok.type == tokenize.COMMENT and lines[tok.start[0] - 1].lstrip().startswith("#")
    ]


def comment_blocks(src):
    """Runs of consecutive full-line comments, joined with one space, so a comment wrapped over lines still reads whole."""
    blocks, last_line = [], None
    for line, text in full_line_comments(src):
        if last_line is not None and line == last_line + 1:
            blocks[-1] += " " + text
        else:
            blocks.append(text)
        last_line = line
    return blocks


def missing_comments(original_src, variant_src):
    """Full-line comments of the original not found, in the original's order, among the variant's full-line comments."""
    blocks, missing, at = comment_blocks(variant_src), [], 0
    for _, text in full_line_comments(original_src):
        found = next((i for i in range(at, len(blocks)) if text in blocks[i]), None)
        if found is None:
            missing.append(text)
        else:
            at = found  # two wrapped comments may share a block, so stay on it
    return missing


def top_level_comment_blocks(src):
    """(first line, text) of each run of consecutive full-line comments that starts in column 0."""
    lines, blocks, last_line = src.splitlines(), [], None
    for line, text in full_line_comments(src):
        if last_line is not None and line == last_line + 1:
            blocks[-1] = (blocks[-1][0], blocks[-1][1] + " " + text)
        else:
            blocks.append((line, text))
        last_line = line
    return [(line, text) for line, text in blocks if not lines[line - 1].startswith((" ", "\t"))]


def section_comments(original_src):
    """The original's top-level full-line comments that open a section: those with a blank line before them."""
    lines = original_src.splitlines()
    return [text for line, text in top_level_comment_blocks(original_src) if line > 1 and not lines[line - 2].strip()]


def sections_without_blank_line(original_src, variant_src):
    """Section comments of the original whose block in the variant is not preceded by a blank line (or is missing)."""
    lines, blocks = variant_src.splitlines(), top_level_comment_blocks(variant_src)
    bad = []
    for text in section_comments(original_src):
        line = next((line for line, block in blocks if text in block), None)
        if line is None or line == 1 or lines[line - 2].strip():
            bad.append(text)
    return bad


def one_letter_names(src):
    """Single-letter names the program binds (assignment targets, loop variables, arguments, defs)."""
    names = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return {name for name in names if len(name) == 1}


ORIGINAL_SRC = ORIGINAL.read_text()


def variant_params():
    return [pytest.param(path, id=path.name) for path in VARIANTS]


# --- the checkers themselves: they must catch what they claim to catch ---


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("a = 1; b = 2\n", [1], id="separator"),
        pytest.param("x = 1\nif x: y = 2; z = 3\n", [2], id="separator-in-compound"),
        pytest.param("s = 'a; b'\n", [], id="in-string"),
        pytest.param("x = 1  # a; b\n", [], id="in-comment"),
        pytest.param('s = f"{1};"\n', [], id="in-fstring"),
    ],
)
def test_semicolon_detector(src, expected):
    assert semicolon_lines(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param("x = 1  # fmt: skip\n", [1], id="skip"),
        pytest.param("# fmt: off\nx = 1\n# fmt: on\n", [1, 3], id="off-on"),
        pytest.param("s = '# fmt: off'\n", [], id="in-string"),
        pytest.param("# format the output\n", [], id="other-comment"),
    ],
)
def test_fmt_pragma_detector(src, expected):
    assert fmt_pragma_lines(src) == expected


@pytest.mark.parametrize(
    ("variant_src", "expected"),
    [
        pytest.param("# one\nx = 1\n# two three\n", [], id="kept"),
        pytest.param("# one\nx = 1\n# two\n# three\n", [], id="wrapped"),
        pytest.param("x = 1 # one\n# two three\n", ["one"], id="moved-inline"),
        pytest.param("# two three\nx = 1\n# one\n", ["two three"], id="reordered"),
        pytest.param("# one\n# two\n", ["two three"], id="shortened"),
    ],
)
def test_missing_comments_detector(variant_src, expected):
    assert missing_comments("# one\n# two three\n", variant_src) == expected


@pytest.mark.parametrize(
    ("variant_src", "expected"),
    [
        pytest.param("x = 1\n\n# one\ny = 2\n\n# two three\n", [], id="kept"),
        pytest.param("x = 1\n\n# one\ny = 2\n\n# two\n# three\n", [], id="wrapped"),
        pytest.param("x = 1\n# one\ny = 2\n\n# two three\n", ["one"], id="blank-dropped"),
        pytest.param("x = 1\n\n# one\ny = 2\n\ndef f():\n    # two three\n", ["two three"], id="indented"),
        pytest.param("x = 1\n\n# one\ny = 2\n", ["two three"], id="missing"),
    ],
)
def test_sections_without_blank_line_detector(variant_src, expected):
    assert sections_without_blank_line("x = 1\n\n# one\ny = 2\n\n# two three\nz = 3\n# not a section\n", variant_src) == expected


def test_original_sections():
    assert [text.split(",")[0].split(":")[0] for text in section_comments(ORIGINAL_SRC)] == [
        "Let there be an input dataset `docs`",
        "Let there be a Tokenizer to translate strings to discrete symbols and back",
        "Let there be Autograd",
        "Initialize the parameters",
        "Define the model architecture",
        "Let there be Adam",
        "Repeat in sequence",
        "Inference",
    ]


def test_original_has_the_comments_the_rules_protect():
    texts = [text for _, text in full_line_comments(ORIGINAL_SRC)]
    assert len(texts) == 15
    assert "1) Multi-head attention block" in texts
    assert "2) MLP block" in texts


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
    assert physical_lines(after.read_text()) < physical_lines(before.read_text())


def test_original_is_200_lines():
    assert physical_lines(ORIGINAL_SRC) == 200


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
def test_no_semicolons_between_statements(path):
    assert semicolon_lines(path.read_text()) == []


@pytest.mark.parametrize("path", variant_params())
def test_no_line_over_120_characters(path):
    assert long_lines(path.read_text()) == []


@pytest.mark.parametrize("path", variant_params())
def test_no_fmt_pragmas(path):
    assert fmt_pragma_lines(path.read_text()) == []


@pytest.mark.parametrize("path", variant_params())
def test_full_line_comments_of_the_original_kept(path):
    assert missing_comments(ORIGINAL_SRC, path.read_text()) == []


@pytest.mark.parametrize("path", variant_params())
def test_blank_line_before_every_section(path):
    assert sections_without_blank_line(ORIGINAL_SRC, path.read_text()) == []


@pytest.mark.parametrize("path", variant_params())
def test_docstring_credit_kept(path):
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring is not None
    assert "The most atomic way to train and inference a GPT in pure, dependency-free Python." in docstring
    assert "@karpathy" in docstring


@pytest.mark.parametrize("path", variant_params())
def test_no_new_one_letter_names(path):
    assert one_letter_names(path.read_text()) <= one_letter_names(ORIGINAL_SRC)


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
    assert (int(counts[1]), int(counts[2])) == (physical_lines(before.read_text()), physical_lines(path.read_text()))
