"""Runs a script as __main__ and records its bit digest, without touching the script's code.

Printing 4 decimals hides real differences, so trimbench also compares the floats themselves:
every weight passed to random.choices (the sampling probabilities, which depend on every trained
parameter) as float.hex, then the final random.getstate(). This file is copied next to the script
and run by the interpreter under test, so it uses only the standard library and Python 3.9 syntax.

usage: python -u probe.py SCRIPT REPORT.json MEMORY_MB
"""

import hashlib
import json
import os
import random
import runpy
import sys
import traceback

SYNTAX_ERROR_EXIT = 3  # this interpreter cannot parse the script; the caller may try another


def limit_memory(megabytes):
    try:
        import resource
    except ImportError:  # not every platform has it; the timeout still bounds the run
        return
    cap = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def write_report(path, report):
    # Atomically: the runner may kill this process at any moment, and must never read half a report.
    with open(path + ".tmp", "w") as handle:
        json.dump(report, handle)
    os.replace(path + ".tmp", path)


def main():
    script, report_path, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if megabytes > 0:
        limit_memory(megabytes)
    with open(script, "rb") as handle:
        source = handle.read()
    try:
        compile(source, script, "exec")
    except SyntaxError as exc:
        write_report(report_path, {"syntax_error": "line %s: %s" % (exc.lineno, exc.msg)})
        sys.exit(SYNTAX_ERROR_EXIT)

    digest = hashlib.sha256()
    counts = {"choices": 0, "weights": 0}
    real_choices = random.choices

    def record(values):
        values = list(values)  # it may be an iterator: read it once, pass the same list on
        digest.update("".join(float.hex(float(w)) + "\n" for w in values).encode())
        counts["weights"] += len(values)
        return values

    def choices(population, weights=None, *, cum_weights=None, k=1):
        if weights is not None:
            weights = record(weights)
        if cum_weights is not None:
            cum_weights = record(cum_weights)
        counts["choices"] += 1
        return real_choices(population, weights, cum_weights=cum_weights, k=k)

    random.choices = choices
    sys.argv = [script]
    sys.path[0] = os.path.dirname(os.path.abspath(script))  # as if run directly: python SCRIPT
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise
    except BaseException as exc:  # show the user's traceback, not the probe's and runpy's frames
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb or exc.__traceback__)
        sys.exit(1)
    digest.update(repr(random.getstate()).encode())
    sys.stdout.flush()
    write_report(report_path, dict(counts, digest=digest.hexdigest()))


if __name__ == "__main__":
    main()
