"""The line-savings report: one Report built from metrics and trusted verdicts (model.py), and its renderers.

build_report() measures the files, picks the winner and diffs it against the original; diff_files() diffs any
two files (trimbench.diffing). terminal, markdown, jsonout and chart only render what was found, so every format
tells the same story. Only the renderers import rich or matplotlib.
"""

from .chart import chart, write_chart
from .jsonout import diff_json, diff_json_data, to_json, to_json_data
from .markdown import collapsed, diff_markdown, to_markdown
from .measuring import MetricsCache, counting_fingerprint, measure_all, measure_cached
from .model import (UNCHECKED, WINNER_MARK, Report, Row, Saving, build_report, cached_verdict, diff_files,
                    pick_winner, unchecked)
from .terminal import diff_parts, diff_plain, to_table

__all__ = ["MetricsCache", "Report", "Row", "Saving", "UNCHECKED", "WINNER_MARK", "build_report", "cached_verdict",
           "chart", "collapsed", "counting_fingerprint", "diff_files", "diff_json", "diff_json_data",
           "diff_markdown", "diff_parts", "diff_plain", "measure_all", "measure_cached", "pick_winner", "to_json",
           "to_json_data", "to_markdown", "to_table", "unchecked", "write_chart"]
