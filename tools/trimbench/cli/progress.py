"""Progress of long runs on stderr: live bars on a terminal, one line per finished variant elsewhere."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..verdict import Verdict

STYLE = {"bit-exact": "green", "text-exact": "yellow", "diverged": "red", "crashed": "red",
         "timeout": "magenta", "invalid": "red"}


def verdict_line(verdict: Verdict) -> str:
    cached = ", cached" if verdict.cached else ""
    outcome = verdict.outcome.value
    return f"[{STYLE[outcome]}]{outcome}[/] {escape(verdict.path)} ({verdict.seconds:.1f} s{cached})"


class CheckProgress:
    """Implements check.Progress: step k/N and elapsed time for each variant being checked."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.live = self.console.is_terminal
        self.bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("steps"), TimeElapsedColumn(), console=self.console, transient=True)
        self.tasks: dict[str, int] = {}
        self.lock = threading.Lock()

    def __enter__(self) -> CheckProgress:
        if self.live:
            self.bars.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.live:
            self.bars.stop()

    def started(self, path: str, steps: int | None) -> None:
        with self.lock:
            self.tasks[path] = self.bars.add_task(escape(path), total=steps)

    def advanced(self, path: str, step: int) -> None:
        self.bars.update(self.tasks[path], completed=step)

    def finished(self, verdict: Verdict) -> None:
        with self.lock:
            task = self.tasks.pop(verdict.path, None)
        if task is not None:
            self.bars.remove_task(task)
        self.console.print(verdict_line(verdict), highlight=False)

    def note(self, message: str) -> None:
        self.console.print(f"[dim]{escape(message)}…[/]", highlight=False)


class Quiet:
    """For --json: nothing but the JSON on stdout, nothing on stderr."""

    def started(self, path, steps): ...
    def advanced(self, path, step): ...
    def finished(self, verdict): ...
    def note(self, message): ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None
