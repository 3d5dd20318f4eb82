"""trimbench as a pytest plugin: `pytest --trimbench` judges the original and every variant, one test item each."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import config as config_module
from . import manifest
from .config import Config
from .check import CheckOptions, run_checks
from .errors import TrimbenchError
from .project import label, variant_paths

MARKER = "trimbench"
PROJECT = pytest.StashKey[Config]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("trimbench", "trimbench: judge every variant against the original's goldens")
    group.addoption("--trimbench", action="store_true",
                    help="add one test per variant of the project's [tool.trimbench] (and one for the original "
                         "against its own goldens)")
    group.addoption("--trimbench-tier", choices=("smoke", "full"), default="smoke",
                    help="smoke (default): a few steps, or the first lines; full: the program as written")
    group.addoption("--trimbench-strict", action="store_true",
                    help="stop each run at its first differing value (a text-exact variant fails either way, "
                         "unless the project allows it)")
    group.addoption("--trimbench-python", default="auto", metavar="auto|PATH",
                    help="the interpreter: pypy3 when on PATH, else the running Python (default: auto)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: a variant judged by trimbench (`-m {MARKER}` runs only those)")
    if not config.getoption("trimbench"):
        return
    # Here rather than at collection: under xdist the controller does not collect, and a worker's error is lost.
    try:
        project = config_module.load(config.invocation_params.dir, near=[config.rootpath])
    except TrimbenchError as exc:
        raise pytest.UsageError(f"--trimbench: {exc}") from None
    if not (project.goldens / manifest.NAME).is_file():  # fail the run once, not once per variant
        raise pytest.UsageError(f"--trimbench: no goldens in {project.goldens}: record them from the original with "
                                "`trimbench golden record` (pytest never records them)")
    config.stash[PROJECT] = project


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they apply to these items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    if PROJECT in config.stash:
        folder = TrimbenchProject.from_parent(session, name=MARKER, nodeid=MARKER, project=config.stash[PROJECT])
        items.extend(session.genitems(folder))  # reported as collected, like any test file's items


class TrimbenchProject(pytest.Collector):
    """The project's original and variants, as items; not a file pytest walks, so its nodeids stay short."""

    def __init__(self, *, project, **kwargs):
        super().__init__(**kwargs)
        self.project = project

    def collect(self) -> list[pytest.Item]:
        paths = [self.project.original, *variant_paths(self.project)]
        return [VariantItem.from_parent(self, name=label(self.project, path), path=path) for path in paths]


class VariantFailed(Exception):
    """The verdict did not pass; its text is what `trimbench check` would say."""


class VariantItem(pytest.Item):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_marker(MARKER)

    def runtest(self) -> None:
        from .cli.check import explanations, record  # the renderers `trimbench check` uses

        options = self.config.getoption
        project = self.parent.project
        strict = options("trimbench_strict")
        check = CheckOptions(tier=options("trimbench_tier"), python=options("trimbench_python"), jobs=1,
                             stop_on_value=strict)
        try:
            (verdict,) = run_checks(project, [self.path], check)
        except TrimbenchError as exc:  # goldens missing or stale, an input not found: the message says what to do
            raise VariantFailed(str(exc)) from None
        allowed = project.allow_text_exact and not strict
        self.user_properties.append(("trimbench_verdict", verdict.outcome.value))
        if not verdict.passes(allowed):
            rule = "bit-exact, or text-exact (allowed)" if allowed else "bit-exact"
            raise VariantFailed("\n".join([record(verdict), *explanations([verdict]),
                                           f"passing means {rule}"]))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VariantFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, f"trimbench: {self.name}"
