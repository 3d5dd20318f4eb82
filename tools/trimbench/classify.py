"""A run's raw facts turned into a verdict that says what it compared and what it found. Pure."""

from __future__ import annotations

import signal

from . import records
from .compare import Comparison, Expected
from .golden import Golden
from .output import body, describe_terminator, shorten, terminator, text
from .runner import RunResult
from .verdict import END_OF_OUTPUT, Divergence, Outcome, Verdict


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def compared(comparison: Comparison, expected: Expected) -> str:
    """What a verdict rests on: '1,025 lines, 1,000 formatted floats, 307 sampling calls and the final RNG state'."""
    lines = _plural(comparison.matched_lines, "line")
    parts = [f"the first {lines}" if expected.prefix else lines]
    counts = comparison.counts
    if counts.floats:
        parts.append(_plural(counts.floats, "formatted float"))
    if counts.arrays:
        parts.append(_plural(counts.arrays, "formatted array"))
    if counts.sampling_calls:
        parts.append(_plural(counts.sampling_calls, "sampling call"))
    if counts.state:
        parts.append("the final RNG state")
    if not counts.any_float:
        parts.append("no floats observed")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def classify(result: RunResult, golden: Golden, expected: Expected, *, timeout: float, stop_on_value: bool,
             **base) -> Verdict:
    """`base` holds the verdict's own fields: path, tier, steps, interpreter, lines_filter, first_lines, basis."""
    comparison = result.comparison

    def make(outcome: Outcome, detail: str, divergence: Divergence | None = None, what: str | None = None) -> Verdict:
        if base.get("lines_filter"):
            detail += f" (compared only the lines matching {' or '.join(base['lines_filter'])})"
        return Verdict(outcome=outcome, seconds=result.seconds, first_divergence=divergence, detail=detail,
                       compared=what if what is not None else f"{_plural(comparison.matched_lines, 'line')} "
                                                              "matched before it", stderr_tail=result.stderr_tail,
                       **base)

    def golden_line(index: int) -> int:
        numbers = expected.numbers
        return numbers[index] if index < len(numbers) else (numbers[-1] + 1 if numbers else 1)

    matched = comparison.matched_lines
    progress = f"after {_plural(matched, 'matching line')}"
    if matched:
        step = golden.step_of(expected.numbers[matched - 1])
        progress += f" (step {step})" if step is not None else ""
    if result.timed_out:
        return make(Outcome.TIMEOUT, f"no result within {timeout:g} s, {progress}")
    if comparison.overflow is not None:
        return make(Outcome.DIVERGED, f"its output could not be compared: {comparison.overflow}, {progress}")
    mismatch = comparison.text
    if mismatch is not None and mismatch.actual is not None:
        line = golden_line(mismatch.index)
        return make(Outcome.DIVERGED, *_text_difference(expected, mismatch.index, mismatch.actual, line, golden))
    value = comparison.value
    if value is not None and stop_on_value and result.returncode is None:
        divergence = _value_divergence(value, golden, expected, comparison)
        return make(Outcome.DIVERGED, f"{divergence.what} differs {_at(divergence, golden)}; the text matched up to "
                                      "there, and the run was stopped (only bit-exact can pass)", divergence)
    if result.returncode not in (0, None):
        code = result.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        last = result.stderr_tail.strip().splitlines()[-1:] or ["no error output"]
        return make(Outcome.CRASHED, f"{how} {progress}: {last[0]}")
    if mismatch is not None:  # the output ended before a line the golden has
        line = golden_line(mismatch.index)
        if comparison.kept_lines == 0 and base.get("lines_filter"):
            return make(Outcome.DIVERGED, "no output line matched the filter",
                        Divergence(line, text(expected.lines[0]) if expected.lines else END_OF_OUTPUT, END_OF_OUTPUT))
        shown, _ = shorten(text(expected.lines[mismatch.index]), "")
        return make(Outcome.DIVERGED, f"output ends early, at line {line}",
                    Divergence(line, shown, END_OF_OUTPUT, golden.step_of(line)))
    what = compared(comparison, expected)
    if value is not None:
        divergence = _value_divergence(value, golden, expected, comparison)
        return make(Outcome.TEXT_EXACT, f"same text, but {divergence.what} differs {_at(divergence, golden)}",
                    divergence, what)
    if not comparison.counts.any_float:
        return make(Outcome.TEXT_EXACT, "same text; no floats observed, so no value could be compared", what=what)
    return make(Outcome.BIT_EXACT, "same text and the same values as the original, to the last bit", what=what)


def _at(divergence: Divergence, golden: Golden) -> str:
    if divergence.line > len(golden.lines):
        return "after the last line"
    return f"at line {divergence.line}" + (f" (step {divergence.step})" if divergence.step is not None else "")


def _text_difference(expected: Expected, index: int, actual: bytes, line: int, golden: Golden):
    step = golden.step_of(line)
    if index >= len(expected.lines):
        shown = shorten("", text(actual))[1]
        return (f"output goes on past the golden's last line (line {line})",
                Divergence(line, END_OF_OUTPUT, shown, step))
    wanted = expected.lines[index]
    shown_expected, shown_actual = shorten(text(wanted), text(actual))
    divergence = Divergence(line, shown_expected, shown_actual, step)
    if body(wanted) == body(actual) and terminator(wanted) != terminator(actual):
        if not terminator(actual):
            return f"line {line} lacks its final newline", divergence
        return (f"line {line}: {describe_terminator(terminator(actual))} where the golden has "
                f"{describe_terminator(terminator(wanted))}"), divergence
    return f"line {line} differs", divergence


def _value_divergence(value, golden: Golden, expected: Expected, comparison: Comparison) -> Divergence:
    what, wanted, got = records.difference(value.expected, value.actual)
    if value.expected is not None:
        line = value.expected.where  # after the output (the final RNG state): len(golden.lines) + 1
    else:  # a value the golden does not have: it came with the last line that matched, or after it
        line = expected.numbers[max(0, comparison.matched_lines - 1)] if expected.numbers else 1
    return Divergence(line, wanted, got, golden.step_of(line), kind="value", what=what)
