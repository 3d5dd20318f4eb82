"""What the gist client hands back: its one error, a gist as GitHub describes it, and a verification."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


class GistError(Exception):
    """Publishing failed; the message says why in one line. `status` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GistFile:
    name: str
    size: int | None  # bytes, as GitHub counts them
    raw_url: str | None  # serves the whole file (up to 10 MB), even when `content` was cut
    truncated: bool  # `content` is only the first megabyte: never take it for the file
    content: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Gist:
    id: str
    html_url: str
    public: bool
    files: tuple[GistFile, ...] = ()
    revision: str | None = None  # the commit of this version, from the gist's history

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(file.name for file in self.files)

    def file(self, name: str) -> GistFile | None:
        return next((file for file in self.files if file.name == name), None)


class Check(enum.Enum):
    VERIFIED = "verified"  # GitHub serves exactly the bytes that were sent
    DIFFERS = "differs"  # it serves something else, or the file is missing
    NOT_VERIFIED = "not verified"  # it could not be read back whole; `why` says what stopped it


@dataclass(frozen=True)
class FileCheck:
    name: str
    check: Check
    why: str


@dataclass(frozen=True)
class Verification:
    """Whether the gist holds what was sent; `why` is one line for the user."""

    check: Check
    why: str
    files: tuple[FileCheck, ...] = ()

    @property
    def verified(self) -> bool:
        return self.check is Check.VERIFIED


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, read within the deadline and up to a size cap."""

    status: int
    reason: str
    headers: Mapping[str, str]  # names in lower case
    body: bytes = field(repr=False)
    complete: bool = True  # False: the body went on past the cap and was cut there
