"""Where the GitHub token comes from; the token itself stays out of every repr and message."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    source: str  # where it came from, for messages: "GITHUB_TOKEN", "GH_TOKEN" or "gh auth token"


def find_token(api_url: str = DEFAULT_API_URL, environ: Mapping[str, str] | None = None) -> Token | None:
    """GITHUB_TOKEN, then GH_TOKEN, then `gh auth token` for the API's host when gh is installed."""
    environ = os.environ if environ is None else environ
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return Token(value, name)
    gh = shutil.which("gh", path=environ.get("PATH"))
    if gh is None:
        return None
    host = urlsplit(api_url).hostname or ""
    host = "github.com" if host == "api.github.com" else host
    try:
        result = subprocess.run([gh, "auth", "token", "--hostname", host], capture_output=True, text=True,
                                timeout=15, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return Token(value, "gh auth token") if result.returncode == 0 and value else None
