"""The refactoring loop: one codemod proved (attempt), the search for a shorter proven program (search, auto),
and watching a file (watch). Pure logic: no argparse, no printing; a checker is any `(source, label) -> Verdict`.
"""

from .attempt import (Checker, LineChange, Status, Step, attempt, check_codemod_name, codemod_options, count_lines,
                      honest, read_source)
from .auto import AutoOutcome, AutoRequest
from .auto import run as run_auto
from .checker import SourceChecker
from .search import SEARCHED, Event, Kept, Memory, SearchResult, Shape, last_proven, search, shape_of
from .watch import change_summary, watch

__all__ = ["AutoOutcome", "AutoRequest", "Checker", "Event", "Kept", "LineChange", "Memory", "SEARCHED",
           "SearchResult", "Shape", "SourceChecker", "Status", "Step", "attempt", "check_codemod_name",
           "codemod_options", "count_lines", "honest", "last_proven", "read_source", "run_auto", "search",
           "shape_of", "change_summary", "watch"]
