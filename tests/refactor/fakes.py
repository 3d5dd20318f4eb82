"""Fake checkers for the refactoring loop's tests: verdicts without runs, and a record of what was asked."""

from __future__ import annotations

from trimbench.verdict import Outcome, Verdict


def verdict(outcome: Outcome, label: str = "v") -> Verdict:
    return Verdict(path=label, outcome=outcome, tier="smoke", steps=2, interpreter="fake", seconds=0.0)


class FakeChecker:
    """Bit-exact unless the source contains one of `bad`; remembers what it was asked. The first call judges the
    start: `start` is its outcome."""

    def __init__(self, *bad: str, start: Outcome = Outcome.BIT_EXACT):
        self.bad, self.start, self.calls = bad, start, []

    def __call__(self, source: str, label: str) -> Verdict:
        self.calls.append((source, label))
        if len(self.calls) == 1:
            return verdict(self.start, label)
        return verdict(Outcome.DIVERGED if any(b in source for b in self.bad) else Outcome.BIT_EXACT, label)
