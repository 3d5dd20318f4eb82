"""The rules a compaction keeps so that it still reads like its original, checked without running anything.

No `;` between statements, no line over 120 characters, no `# fmt:` pragma (the flags of flags.py); every
full-line comment of the original kept, in order (a comment may be wrapped over consecutive comment lines);
a blank line kept before each of the original's top-level section comments; no one-letter name the original
does not already have (a compaction shortens code, not names). The variant chain keeps them (its test), and
`auto` keeps nothing that breaks them.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

from .flags import flags_of
from .lines import physical_lines

FLAGS_REFUSED = {"semicolon": "a `;` between statements", "long-line": "a line over 120 characters",
                 "fmt-off": "a `# fmt: off` pragma", "fmt-skip": "a `# fmt: skip` pragma"}


@dataclass(frozen=True)
class Violation:
    rule: str  # "semicolon", "long-line", "fmt-off", "fmt-skip", "comment", "section", "short-name"
    detail: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.detail}" if self.line else self.detail


def full_line_comments(source: str) -> list[tuple[int, str]]:
    """(line, text) of each comment that sits on a line of its own, in order."""
    lines = physical_lines(source)
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(tok.start[0], tok.string[1:].strip()) for tok in tokens
            if tok.type == tokenize.COMMENT and lines[tok.start[0] - 1].lstrip().startswith("#")]


def comment_blocks(source: str) -> list[tuple[int, str]]:
    """(first line, text) of each run of consecutive full-line comments, joined with one space."""
    blocks: list[tuple[int, str]] = []
    last = None
    for line, text in full_line_comments(source):
        if last is not None and line == last + 1:
            blocks[-1] = (blocks[-1][0], f"{blocks[-1][1]} {text}")
        else:
            blocks.append((line, text))
        last = line
    return blocks


def missing_comments(original: str, variant: str) -> list[str]:
    """Full-line comments of the original not found, in the original's order, among the variant's comment blocks."""
    blocks, missing, at = [text for _, text in comment_blocks(variant)], [], 0
    for _, text in full_line_comments(original):
        found = next((i for i in range(at, len(blocks)) if text in blocks[i]), None)
        if found is None:
            missing.append(text)
        else:
            at = found  # two wrapped comments may share a block, so stay on it
    return missing


def _top_level_blocks(source: str) -> list[tuple[int, str]]:
    lines = physical_lines(source)
    return [(line, text) for line, text in comment_blocks(source) if not lines[line - 1].startswith((" ", "\t"))]


def section_comments(original: str) -> list[str]:
    """The original's top-level comment blocks that open a section: those with a blank line before them."""
    lines = physical_lines(original)
    return [text for line, text in _top_level_blocks(original) if line > 1 and not lines[line - 2].strip()]


def sections_without_blank_line(original: str, variant: str) -> list[str]:
    """Section comments of the original whose block in the variant has no blank line before it (or is missing)."""
    lines, blocks = physical_lines(variant), _top_level_blocks(variant)
    bad = []
    for text in section_comments(original):
        line = next((line for line, block in blocks if text in block), None)
        if line is None or line == 1 or lines[line - 2].strip():
            bad.append(text)
    return bad


def one_letter_names(source: str) -> set[str]:
    """Single-letter names the program binds: assignment targets, loop variables, arguments, defs."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return {name for name in names if len(name) == 1}


def check(original: str, variant: str) -> tuple[Violation, ...]:
    """Every rule `variant` breaks, as a rewrite of `original`; () when it keeps them all."""
    found = [Violation(flag.kind, FLAGS_REFUSED[flag.kind], line)
             for flag in flags_of(variant) if flag.kind in FLAGS_REFUSED for line in flag.lines]
    found += [Violation("comment", f"the original's comment `# {text}` is missing or out of order")
              for text in missing_comments(original, variant)]
    found += [Violation("section", f"no blank line before the section comment `# {text[:60]}`")
              for text in sections_without_blank_line(original, variant)]
    found += [Violation("short-name", f"a new one-letter name `{name}`")
              for name in sorted(one_letter_names(variant) - one_letter_names(original))]
    return tuple(found)
