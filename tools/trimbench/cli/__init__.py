"""The trimbench command line: argument parsing and rendering only; the work is done by the core modules."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

import shtab

from .. import __version__, runner
from ..errors import TrimbenchError
from . import auto, check, codemod, diff, golden, init, publish, report, watch
from .configured import add_verbose

# Each subcommand module offers register(subparsers) and sets args.run(args) -> int.
COMMANDS = (init, check, golden, report, diff, publish, codemod, auto, watch)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trimbench",
        description="Shrink a program line by line, proving every time that it still does exactly the same thing.",
        epilog="Exit codes: 0 success, 1 a variant failed its check (or the command's own failure), "
        "2 usage, configuration or data error.",
    )
    parser.add_argument("--version", action="version", version=f"trimbench {__version__}")
    shtab.add_argument_to(parser, ["--print-completion"], help="print a completion script for your shell "
                          "(e.g. `trimbench --print-completion bash > ~/.local/share/bash-completion/completions/"
                          "trimbench`)")
    add_verbose(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    for each in commands(parser).values():
        add_verbose(each)
    return parser


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> dict[tuple, argparse.ArgumentParser]:
    """Every parser that runs a command, by the words that name it: ("golden", "record") as well as ("check",)."""
    nested = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not nested:
        return {words: parser}
    found = {}
    for name, each in nested[0].choices.items():
        found.update(commands(each, (*words, name)))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    handlers = _interrupt_once()
    try:
        return args.run(args)
    except TrimbenchError as exc:
        print(f"trimbench: error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        runner.LIVE.stop()  # whatever is still running dies now, before trimbench does
        print("trimbench: interrupted; every run it started was stopped", file=sys.stderr)
        return 130
    finally:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # after an interrupt, further ones stay ignored
            for number, handler in handlers.items():
                signal.signal(number, handler)


def _interrupt_once() -> dict:
    """Ctrl-C, and SIGTERM alike, stop trimbench once: every run is killed and the exit code is 130. Any
    further one is ignored, so it can neither leave a run behind nor change the exit code.
    Returns the handlers it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def interrupt(number, frame):
        for each in (signal.SIGINT, signal.SIGTERM):
            signal.signal(each, signal.SIG_IGN)
        raise KeyboardInterrupt

    return {number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM)}


def one_line(text: str) -> str:
    """An error message as one line, whatever text it quotes."""
    return " ".join(text.split())
