"""The line-savings report: one Report built from metrics and trusted verdicts (model.py), and its renderers.

build_report() measures the files and picks the winner; terminal, markdown, jsonout and chart only render what
it found, so every format tells the same story. Only the renderers import rich or matplotlib.
"""

from .chart import chart, write_chart
from .jsonout import to_json, to_json_data
from .markdown import to_markdown
from .measuring import MetricsCache, counting_fingerprint, measure_all, measure_cached
from .model import (UNCHECKED, WINNER_MARK, Report, Row, Saving, build_report, cached_verdict, pick_winner,
                    unchecked)
from .terminal import to_table

__all__ = ["MetricsCache", "Report", "Row", "Saving", "UNCHECKED", "WINNER_MARK", "build_report", "cached_verdict",
           "chart", "counting_fingerprint", "measure_all", "measure_cached", "pick_winner", "to_json",
           "to_json_data", "to_markdown", "to_table", "unchecked", "write_chart"]
