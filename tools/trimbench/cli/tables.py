"""Tables that fit: the whole width of their content when printed to a file or a pipe, and one record per line
on a terminal too narrow for them; a path is never cut."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


def show(console: Console, table: Table, records: Sequence[Text | str]) -> None:
    """Print `table`, or `records` (the same rows, one line each) when a terminal cannot hold the table."""
    needed = Measurement.get(console, console.options.update_width(10_000), table)
    if not console.is_terminal:
        wide = Console(file=console.file, width=max(needed.maximum, 40), highlight=False, no_color=console.no_color,
                       force_terminal=False)
        wide.print(table)
        return
    if needed.maximum > console.width:  # it would have to squeeze a column, and a cut path lies
        for record in records:
            console.print(record if isinstance(record, Text) else Text(record), soft_wrap=True)
        return
    console.print(table)
