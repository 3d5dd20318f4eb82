"""A small GitHub gist client that follows GitHub's documented behaviour; `from trimbench.gist import ...`.

model: the results and the one error; rules: request bodies, update plans, refusals, verification (pure);
messages: server text made safe and GitHub's errors explained (pure); transport: one HTTP exchange under
an overall deadline; client: GistClient; token: where the token comes from.
"""

from .client import API_VERSION, MAX_ATTEMPTS, GistClient
from .messages import SECONDARY_LIMIT_WAIT, github_message, one_line, rate_limit_wait, scrub, status_error
from .model import Answer, Check, FileCheck, Gist, GistError, GistFile, Verification
from .rules import endpoint, parse_gist, plan_update, request_body
from .token import DEFAULT_API_URL, Token, find_token
from .transport import describe as reason  # its name when this package was one module

__all__ = [
    "API_VERSION", "DEFAULT_API_URL", "MAX_ATTEMPTS", "SECONDARY_LIMIT_WAIT",
    "Answer", "Check", "FileCheck", "Gist", "GistClient", "GistError", "GistFile", "Token", "Verification",
    "endpoint", "find_token", "github_message", "one_line", "parse_gist", "plan_update", "rate_limit_wait", "reason",
    "request_body", "scrub", "status_error",
]
