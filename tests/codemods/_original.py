"""The real program the codemods are meant for, and a line count that ignores nothing."""

from __future__ import annotations

import ast
from pathlib import Path

ORIGINAL = Path(__file__).resolve().parents[2] / "original" / "microgpt.py"


def original_source() -> str:
    return ORIGINAL.read_text(encoding="utf-8")


def line_count(source: str) -> int:
    return len(source.splitlines())


def assert_parses(source: str) -> None:
    ast.parse(source)  # the CPython parser, not libcst's: what the interpreter will see
