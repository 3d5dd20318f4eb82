"""The one exception trimbench raises on purpose: bad input that the user can fix."""


class TrimbenchError(Exception):
    """A usage, configuration or data error; the CLI prints it as one line and exits 2."""

    exit_code = 2
