"""The project configuration as every command loads it: found from the working directory, else from the files
named on the command line, and named on stderr with -v."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import config as config_module
from ..config import Config


def add_verbose(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS lets `trimbench -v check` and `trimbench check -v` both count without one erasing the other.
    parser.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="say which pyproject.toml configured the run")


def configuration(args: argparse.Namespace, near: Sequence[Path | str | None] = ()) -> Config:
    config = config_module.load(near=[Path(each) for each in near if each])
    if getattr(args, "verbose", 0):
        print(f"trimbench: configuration from {config.source}", file=sys.stderr)
    return config
