"""Watching a file: checked at once, then after each save that changes its content."""

from __future__ import annotations

import threading
import time

import pytest

from trimbench.refactor import change_summary, watch
from trimbench.verdict import Outcome, Verdict

from .fakes import verdict


def test_watch_checks_at_once_then_after_each_change_of_content(tmp_path):
    path = tmp_path / "v.py"
    path.write_text("a = 1\n")
    contents, first, stop = [], threading.Event(), threading.Event()

    def check() -> Verdict:
        contents.append(path.read_text())
        return verdict(Outcome.BIT_EXACT if "a = 1" in contents[-1] else Outcome.DIVERGED)

    outcomes = []

    def on_verdict(v: Verdict) -> None:
        outcomes.append(v.outcome)
        first.set()
        if len(outcomes) == 2:
            stop.set()

    thread = threading.Thread(target=watch, args=(path, check, on_verdict, stop.is_set), kwargs={"interval": 0.02})
    thread.start()
    try:
        assert first.wait(10)
        path.write_text("a = 1\n")  # a save that changes nothing is not checked again...
        time.sleep(0.3)  # ...though the watcher polls it fifteen times meanwhile
        assert len(outcomes) == 1
        path.write_text("a = 2  # longer\n")
        assert stop.wait(10)
    finally:
        stop.set()
        thread.join(10)
    assert outcomes == [Outcome.BIT_EXACT, Outcome.DIVERGED] and contents[-1] == "a = 2  # longer\n"


def test_watch_ignores_a_touch_and_waits_for_a_missing_file(tmp_path):
    path = tmp_path / "v.py"
    polls, runs = [], []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 2:
            path.write_text("a = 1\n")  # appears after two polls
        if len(polls) == 4:
            path.write_text("a = 1\n")  # rewritten with the same bytes: new mtime, same content

    runs_done = watch(path, lambda: verdict(Outcome.BIT_EXACT), runs.append, lambda: len(polls) >= 8,
                      interval=0.01, sleep=sleep)
    assert runs_done == len(runs) == 1


@pytest.mark.parametrize("before, after, summary", [
    pytest.param(None, "a = 1\n", "first version", id="first"),
    pytest.param("a = 1\n", "a = 1\n", "no change", id="same"),
    pytest.param("a = 1\nb = 2\n", "a = 1\nb = 3\nc = 4\n", "+2 -1 lines (lines 2-3)", id="changed-and-added"),
    pytest.param("a = 1\nb = 2\nc = 3\n", "a = 1\nc = 3\n", "+0 -1 lines (line 2)", id="removed"),
])
def test_change_summary(before, after, summary):
    assert change_summary(before, after) == summary
