"""Writing several imports as one `import a, b, c` line: shared by one-line-imports and hoist-imports.

`import a, b` is, by the language reference, `import a` then `import b`, so joining plain `import` statements
in their order changes nothing but the layout. What needs care is the line: its trailing comments are joined
into one, and the line must stay within LINE_LENGTH.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import libcst as cst

from ..lines import LINE_LENGTH
from ._shared import code, comment_text, is_pragma, single_small, walk

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")


def plain_import(stmt: cst.CSTNode) -> cst.Import | None:
    """The `import ...` of a line that holds only that (and no pragma comment, which would cover other imports)."""
    small = single_small(stmt)
    if isinstance(small, cst.Import) and not is_pragma(stmt.trailing_whitespace.comment):
        return small
    return None


def comment_spacing(module: cst.Module) -> str:
    """The spacing the file most often puts before a trailing comment: aligned columns mean nothing once joined."""
    spacings = Counter(n.whitespace.value for n in walk(module)
                       if isinstance(n, cst.TrailingWhitespace) and n.comment is not None and n.whitespace.value)
    return spacings.most_common(1)[0][0] if spacings else "  "


def joined_comment(texts: Iterable[str], room: int) -> str | None:
    """The words of several comments as one comment's, in order, joined with `; `; "" when there are none.

    When that is longer than `room` characters, each list of one module's names is written short
    (`math.log, math.exp` -> `math.log/exp`, as the hand-made chain did): no word is lost. None when even
    that does not fit.
    """
    texts = [text for text in texts if text]
    plain = "; ".join(texts)
    if not texts or len(plain) <= room:
        return plain
    short = "; ".join(_short(part) for text in texts for part in text.split("; "))
    return short if len(short) <= room else None


def _short(part: str) -> str:
    names = [name.strip() for name in part.split(",")]
    heads = {name.rsplit(".", 1)[0] for name in names}
    if len(names) < 2 or len(heads) != 1 or not all(_DOTTED.fullmatch(name) for name in names):
        return part
    return heads.pop() + "." + "/".join(name.rsplit(".", 1)[1] for name in names)


def alias_code(alias: cst.ImportAlias) -> str:
    asname = f" as {code(alias.asname.name)}" if alias.asname is not None else ""
    return code(alias.name) + asname


def joined_imports(lines: Sequence[cst.SimpleStatementLine], column: int, spacing: str,
                   config: cst.PartialParserConfig) -> cst.SimpleStatementLine | None:
    """One `import` line importing what `lines` (each a plain import) import, in order, their trailing comments
    joined after `spacing`; it keeps the first line's leading lines. None when it would be over LINE_LENGTH
    characters at `column`."""
    text = "import " + ", ".join(alias_code(a) for line in lines for a in single_small(line).names)
    room = LINE_LENGTH - column - len(text) - len(spacing) - len("# ")
    comment = joined_comment([comment_text(line.trailing_whitespace.comment) for line in lines], room)
    if comment is None or column + len(text) > LINE_LENGTH:
        return None
    trailing = cst.TrailingWhitespace()
    if comment:
        trailing = cst.TrailingWhitespace(cst.SimpleWhitespace(spacing), cst.Comment(f"# {comment}"))
    joined = cst.parse_statement(text + "\n", config=config)
    return joined.with_changes(leading_lines=lines[0].leading_lines, trailing_whitespace=trailing)
