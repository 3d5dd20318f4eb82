"""README's synopses against the parser: every command has one, and it names exactly the options argparse knows."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from trimbench.cli import build_parser, commands

README = Path(__file__).resolve().parents[2] / "README.md"
EVERYWHERE = {"-h", "--help", "-v", "--verbose"}  # documented once, not in every synopsis
OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


def parser_options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings} - EVERYWHERE


def synopses(text: str, names: set[tuple]) -> dict[tuple, set[str]]:
    """The options named in each fenced synopsis: a line `trimbench WORDS ...` and the indented lines after it."""
    found: dict[tuple, set[str]] = {}
    fenced, current = False, None
    for line in text.splitlines():
        if line.startswith("```"):
            fenced, current = not fenced, None
        elif fenced and line.startswith("trimbench "):
            words = line.split()[1:]
            current = max((name for name in names if tuple(words[:len(name)]) == name), key=len, default=None)
            if current is not None:
                found.setdefault(current, set()).update(OPTION.findall(" ".join(words[len(current):])))
        elif fenced and current is not None and line.startswith(" "):
            found[current].update(OPTION.findall(line))
        else:
            current = None
    return found


PARSERS = commands(build_parser())
DOCUMENTED = synopses(README.read_text(encoding="utf-8"), set(PARSERS))


@pytest.mark.parametrize("words", sorted(PARSERS), ids=" ".join)
def test_the_synopsis_names_every_option_and_no_other(words):
    assert words in DOCUMENTED, f"README has no synopsis for `trimbench {' '.join(words)}`"
    options = parser_options(PARSERS[words])
    # An option with a short and a long form is documented by either.
    aliases = {option: {each for action in PARSERS[words]._actions if option in action.option_strings
                        for each in action.option_strings} for option in options}
    missing = {option for option in options if not aliases[option] & DOCUMENTED[words]}
    unknown = DOCUMENTED[words] - options
    assert not missing and not unknown, f"missing from README: {sorted(missing)}; not an option: {sorted(unknown)}"


def test_the_synopsis_reader_sees_options():
    text = "```\ntrimbench golden verify [--tier smoke|full]\n                [--python auto|PATH]\nls -l\n```\n"
    assert synopses(text, {("golden", "verify"), ("golden", "record")}) == {("golden", "verify"): {"--tier",
                                                                                                 "--python"}}
