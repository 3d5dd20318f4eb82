"""`trimbench init SCRIPT`: a [tool.trimbench] table, a first variant and the goldens for a new script."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import config as config_module
from .. import init
from .check import add_run_options
from .golden import record_goldens

EPILOG = """\
init plans everything before it writes anything: it refuses a pyproject.toml that already has a
[tool.trimbench] table, or a first variant that exists. It finds the steps variable (a module-level
`NAME = <int>` that a range() counts with; one whose name says step, iter or epoch wins), so the smoke
tier can run a few steps; without one, the smoke tier judges the first lines. Files the script opens by
a literal name beside it become its inputs, pinned by sha256. The goldens are recorded (the script is
run twice at once: an unseeded script is refused, and then nothing is written); then pyproject.toml
gets the table (other tables and comments kept) and variants/ a first copy of the script.

Exit codes: 0 the project is ready, 2 refused (the reason in one line) or the script is not seeded."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("init", help="make a trimbench project for a script: config, goldens, a variant",
                                   description="Make the working directory a trimbench project for SCRIPT.",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("script", type=Path, metavar="SCRIPT", help="the program variants must reproduce")
    parser.add_argument("--steps-variable", metavar="NAME",
                        help="the module-level step count the smoke tier rewrites (default: found in SCRIPT)")
    add_run_options(parser, with_input=False)  # its inputs are the files it opens, found beside it
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    plan = init.plan(Path.cwd(), args.script, args.steps_variable)
    config = config_module.from_table(plan.table, plan.root, source=plan.pyproject)
    if plan.steps_variable:
        print(f"steps: `{plan.steps_variable} = {plan.steps}`; the smoke tier runs {config.smoke_steps} of them")
    else:
        print(f"steps: no module-level step count that a range() uses; the smoke tier will judge the first "
              f"{config.smoke_lines} lines of the full run (or name one with --steps-variable)")
    for name in plan.inputs:
        print(f"input: {name}, pinned by its sha256")
    record_goldens(config, args)
    created = not plan.pyproject.exists()
    init.write(plan)
    print(f"{plan.pyproject.name}: {'created with' if created else 'added'} [tool.trimbench] "
          f"(original = \"{plan.table['original']}\")")
    print(f"{plan.variant.relative_to(plan.root).as_posix()}: a first copy of the script, to shrink")
    print("next:\n  trimbench check         # judge every variant, smoke tier\n"
          "  pytest --trimbench      # the same, one test per variant")
    return 0
