"""trimbench: shrink a program line by line, proving every time that it still does exactly the same thing."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trimbench")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
