"""Helpers for the codemods' case tables: a refusal is a skip with no site, on a program that compiles."""

from __future__ import annotations

import textwrap

from trimbench.codemods import TransformSkip, apply, find_sites


def program(source: str) -> str:
    """A case's source, written indented inside the table, as the file it stands for."""
    return textwrap.dedent(source).lstrip("\n")


def assert_refuses(name: str, source: str, /, **options: object) -> None:
    source = program(source)
    compile(source, "<case>", "exec")  # a case that does not compile would be refused for the wrong reason
    result = apply(name, source, **options)
    assert isinstance(result, TransformSkip), getattr(result, "code", result)
    assert find_sites(name, source, **options) == ()
