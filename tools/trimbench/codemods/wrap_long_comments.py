"""wrap-long-comments: a full-line comment over 120 characters is wrapped, word for word, over comment lines.

microgpt's 123-character comment on line 92, `# Define the model architecture: ... over what comes next.`, becomes

    # Define the model architecture: a stateless function mapping
    # token sequence and parameters to logits over what comes next.

It ADDS lines: it exists so that a compaction can keep the 120-column rule. The comment breaks only where a
single space separates two words, into as few lines as fit in 120 columns, then as even as that allows.
Every line has the comment's indentation and its `#` prefix as it was (`#` and the spaces after it; the
lines added use `# ` when the `#` had none). So the comment's text is the lines' texts joined by one space,
exactly what trimbench's rules accept as a kept comment (rules.py, `comment_blocks`). Each comment is a site.

Refused (not a site): a comment on line 1 or 2 (a shebang or encoding declaration, and a line added there
would push a declaration on line 2 out of place), a tool's pragma (`# type:`, `# fmt:`, `# noqa`, ...), a
comment whose wrapped lines would begin one, and a comment with a word too long to fit. Trailing comments
(after code) over 120 characters are left alone: they are not sites. Moving one above its statement is
sound, but it turns a trailing comment into a full-line one, a change of layout the rules do not ask for.

Comments do not change what a program computes; added lines move the line numbers below them. So, like
tighten-blank-lines, it refuses a module that spells a name through which a program sees its own line
numbers or source text (LINE_READERS in _shared.py), or a dynamic name (`eval`, `globals`, ...).
"""

from __future__ import annotations

import re

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ..lines import LINE_LENGTH
from ._shared import DYNAMIC_NAMES, LINE_READERS, fill, skip, spelled, walk
from ._sites import Candidate, SiteChooser

# The start of a comment some tool reads (type checkers, formatters, linters): never wrapped, never created.
_PRAGMA = re.compile(r"(type|fmt|yapf|pylint|mypy|pyright|isort|ruff)\s*:|noqa\b|pragma\b", re.IGNORECASE)
_BREAK = re.compile(r"(?<=\S) (?=\S)")  # a single space between two words


class WrapLongComments(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Wrap full-line comments over 120 characters over consecutive comment lines, word for word."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[int, tuple[str, ...]] = {}  # id() of the comment's EmptyLine -> the comments it becomes

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, LINE_READERS | DYNAMIC_NAMES):
            raise skip(f"the module spells {', '.join(readers)}: it may see its own line numbers")
        found: list[Candidate[tuple[int, tuple[str, ...]]]] = []
        for line in walk(node):
            if not isinstance(line, cst.EmptyLine) or line.comment is None:
                continue
            start = self.get_metadata(PositionProvider, line.comment).start
            if start.column + len(line.comment.value) <= LINE_LENGTH or start.line <= 2:
                continue
            wrapped = _wrapped(line.comment.value, start.column)
            if wrapped is not None:
                summary = f"wrap the {start.column + len(line.comment.value)}-character comment on line {start.line}"
                found.append(Candidate(start.line, start.column, f"{summary} over {len(wrapped)} lines",
                                       (id(line), wrapped)))
        self.plans = dict(self.choose(found, f"no full-line comment over {LINE_LENGTH} characters that can wrap"))
        return True

    def leave_EmptyLine(self, original_node: cst.EmptyLine,
                        updated_node: cst.EmptyLine) -> cst.EmptyLine | cst.FlattenSentinel[cst.EmptyLine]:
        wrapped = self.plans.get(id(original_node))
        if wrapped is None:
            return updated_node
        return cst.FlattenSentinel([updated_node.with_changes(comment=cst.Comment(text)) for text in wrapped])


def _wrapped(comment: str, column: int) -> tuple[str, ...] | None:
    """The comment lines that `comment`, starting at `column`, becomes; None when it is refused."""
    prefix = re.match(r"#\s*", comment).group()
    text = comment[len(prefix):].rstrip()
    if _PRAGMA.match(text):
        return None
    following = prefix if len(prefix) > 1 else "# "
    lines = fill(_BREAK.split(text), LINE_LENGTH, column + len(prefix), column + len(following))
    if lines is None or len(lines) < 2 or any(_PRAGMA.match(line) for line in lines[1:]):
        return None
    return (prefix + lines[0], *(following + line for line in lines[1:]))
