"""Runs a program as __main__ and records, on a pipe only trimbench reads, what it formats and how it samples.

This file runs inside the interpreter under test (PyPy or CPython, perhaps in a sandbox), so it uses only the
standard library and Python 3.9 syntax. It runs the instrumented copy of the program (see instrument.py) under
the name of the user's file, so tracebacks show the user's own lines, and it records as text lines
`<stdout offset> <kind> <value>` (see records.py):
- every float, complex number or NumPy value passed to `__trimbench__` (what the program formats), as float.hex;
- the weights of every random.choices call (the sampling probabilities, which depend on every trained weight);
- at a clean exit, a hash of the final random.getstate() ("unused" when the program never moved the RNG).
The stdout offset says which output line a value belongs to: the probe counts the bytes the program writes.

usage: python -u probe.py SCRIPT INSTRUMENTED RECORDS_FD MEMORY_MB
"""

import builtins
import hashlib
import io
import os
import random
import sys
import traceback
import types

SYNTAX_ERROR_EXIT = 3  # this interpreter cannot parse the program; the caller may try another


class CountingStdout(io.FileIO):
    """fd 1, as `python -u` sets it up, counting the bytes written."""

    written = 0

    def write(self, data):
        count = io.FileIO.write(self, data)
        if count:
            self.written += count
        return count


def _hex_weight(weight):
    kind = type(weight)
    if issubclass(kind, float):
        return float.hex(weight)
    if issubclass(kind, int):
        return float.hex(float(weight))
    return "?" + kind.__name__  # never call the program's own code (a __float__) from here


class Recorder:
    def __init__(self, fd, stdout):
        self.fd, self.stdout = fd, stdout

    def emit(self, kind, value):
        data = ("%d %s %s\n" % (self.stdout.written, kind, value)).encode("ascii", "replace")
        while data:
            data = data[os.write(self.fd, data):]

    def value(self, value):
        """The `__trimbench__` builtin: record, then give back the very same object."""
        self.record(value, True)
        return value

    def record(self, value, top):
        kind = type(value)
        if issubclass(kind, float):  # NumPy's float64 included
            self.emit("f", float.hex(value))
        elif issubclass(kind, complex):
            self.emit("c", "%s,%s" % (float.hex(value.real), float.hex(value.imag)))
        elif kind.__module__ == "numpy":
            self.numpy(value)
        elif top and kind is tuple:  # `"%f %f" % (a, b)`
            for item in value:
                self.record(item, False)
        elif top and kind is dict:  # `"%(loss)f" % {...}`
            for item in value.values():
                self.record(item, False)

    def numpy(self, value):
        dtype, shape = getattr(value, "dtype", None), getattr(value, "shape", None)
        if dtype is None or shape is None or dtype.kind == "O":  # object arrays hold addresses, not values
            return
        if shape == ():
            if dtype.kind == "f":
                self.emit("f", float.hex(float(value)))
            elif dtype.kind == "c":
                self.record(complex(value), False)
            return
        digest = hashlib.sha256(value.tobytes()).hexdigest()
        self.emit("a", "%s %s %s" % (dtype.str, "x".join(map(str, shape)), digest))

    def weights(self, kind, weights):
        weights = list(weights)  # it may be an iterator: read it once, pass the same list on
        self.emit(kind, " ".join(map(_hex_weight, weights)))
        return weights


def patch_random(recorder):
    real = random.Random.choices

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        if weights is not None:
            weights = recorder.weights("w", weights)
        if cum_weights is not None:
            cum_weights = recorder.weights("W", cum_weights)
        return real(self, population, weights, cum_weights=cum_weights, k=k)

    random.Random.choices = choices
    random.choices = random._inst.choices  # the module-level function was bound before the patch


def die_with_parent():
    """Die when trimbench dies, even killed: a sandbox does this for the whole run, this is for the program."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL (Linux only; elsewhere nothing to do)
    except Exception:  # noqa: BLE001 - best effort, on any platform
        pass


def limit_memory(megabytes):
    try:
        import resource
    except ImportError:  # not every platform has it; the timeout still bounds the run
        return
    cap = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run(script, code):
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=script, __cached__=None, __loader__=None, __package__=None, __spec__=None,
                         __builtins__=builtins)
    sys.modules["__main__"] = main
    sys.argv = [script]
    sys.path[0] = os.path.dirname(script)  # as if run directly: python SCRIPT
    exec(code, main.__dict__)


def main():
    script, instrumented, fd, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.set_inheritable(fd, False)  # the program's own children never see the records pipe
    die_with_parent()
    if megabytes > 0:
        limit_memory(megabytes)
    old = sys.stdout
    stdout = CountingStdout(1, "wb", closefd=False)
    sys.stdout = io.TextIOWrapper(stdout, encoding=old.encoding, errors=old.errors, newline="\n",
                                  line_buffering=old.line_buffering, write_through=True)
    recorder = Recorder(fd, stdout)
    with open(instrumented, "rb") as handle:
        source = handle.read()
    try:
        code = compile(source, script, "exec", dont_inherit=True)
    except SyntaxError as exc:
        recorder.emit("x", ("line %s: %s" % (exc.lineno, exc.msg)).replace("\n", " "))
        sys.exit(SYNTAX_ERROR_EXIT)
    patch_random(recorder)
    builtins.__trimbench__ = recorder.value
    initial = random.getstate()
    try:
        run(script, code)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise
    except BaseException as exc:  # show the user's traceback, not the probe's frames
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb or exc.__traceback__)
        sys.exit(1)
    sys.stdout.flush()
    state = random.getstate()
    recorder.emit("s", "unused" if state == initial else hashlib.sha256(repr(state).encode()).hexdigest())


if __name__ == "__main__":
    main()
