"""dict-call: a dict literal whose keys are all identifier strings becomes a `dict(key=value, ...)` call.

    state_dict = {'wte': matrix(vocab_size, n_embd), 'wpe': matrix(block_size, n_embd), ...}

becomes

    state_dict = dict(wte=matrix(vocab_size, n_embd), wpe=matrix(block_size, n_embd), ...)

Both build a new dict with the same keys in the same order and evaluate the values once each, left to right,
so the rewrite is sound when `dict` is the builtin. It saves no line but shortens one (three characters a key,
less four for `dict()`): that brings microgpt's 122-character `state_dict` line within 120. The codemod skips a
module that binds the name `dict` anywhere (assignment, def, class, import, parameter, loop or comprehension
variable, walrus, `global`, or a star import that may) or spells `builtins`, `__builtins__` or a dynamic name
(`globals()`, `exec`, ...): then `dict` might not be the builtin. A literal is refused when
- a key is not a plain string literal (an f-string, bytes, a concatenation, a name), or not a name a keyword
  argument keeps: a keyword (`'class'`), not an identifier (`'a-b'`), `'__debug__'`, or one that NFKC
  normalisation changes (`dict(ﬁ=1)` makes the key `fi`);
- two keys are equal (the literal keeps the last value, `dict()` raises), or an element is `**spread`
  (`dict(**a, k=1)` raises where the literal overwrites);
- it spans several lines, sits in an annotation (`from __future__ import annotations` keeps its text), or
  Python's parser would not read each value as it was;
- its line would not get shorter, or would be over 120 characters.
Each literal is one site. A site only shortens its own line, so any subset keeps every line within 120; nested
literals are independent sites.
"""

from __future__ import annotations

import ast
import keyword
import unicodedata

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ..lines import LINE_LENGTH, physical_lines
from ._shared import DYNAMIC_NAMES, bound_names, code, names_in, skip, walk
from ._sites import Candidate, SiteChooser

# Names through which a program can replace the builtin `dict` without binding the name `dict`.
_BUILTINS = DYNAMIC_NAMES | {"builtins", "__builtins__"}
_NO_SPACE = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def keyword_keys(literal: cst.Dict) -> list[str] | None:
    """The literal's keys when every one is a distinct string a keyword argument can spell, else None."""
    keys: list[str] = []
    for element in literal.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        if element.key.lpar:
            return None
        key = ast.literal_eval(element.key.value)
        if not (isinstance(key, str) and key.isidentifier() and not keyword.iskeyword(key) and key != "__debug__"
                and unicodedata.normalize("NFKC", key) == key):
            return None
        keys.append(key)
    return keys if keys and len(set(keys)) == len(keys) else None


def as_call(literal: cst.Dict, keys: list[str]) -> cst.Call:
    """`dict(k=v, ...)` for the literal, keeping its values, commas and the spacing inside its braces."""
    last = len(keys) - 1
    args = [cst.Arg(value=element.value, keyword=cst.Name(key), equal=_NO_SPACE, comma=element.comma,
                    whitespace_after_arg=literal.rbrace.whitespace_before if i == last else cst.SimpleWhitespace(""))
            for i, (element, key) in enumerate(zip(literal.elements, keys))]
    return cst.Call(func=cst.Name("dict"), args=args, whitespace_before_args=literal.lbrace.whitespace_after,
                    lpar=literal.lpar, rpar=literal.rpar)


def same_values(literal: cst.Dict, call: cst.Call, keys: list[str]) -> bool:
    """Python's parser reads the call as `dict` with these keywords, each value the very tree it was."""
    try:
        before = ast.parse(f"(\n{code(literal)}\n)", mode="eval").body
        after = ast.parse(f"(\n{code(call)}\n)", mode="eval").body
    except SyntaxError:
        return False
    return (isinstance(before, ast.Dict) and isinstance(after, ast.Call) and not after.args
            and [k.arg for k in after.keywords] == keys
            and [ast.dump(k.value) for k in after.keywords] == [ast.dump(v) for v in before.values])


class DictCall(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Write a dict literal with identifier keys as dict(key=value, ...), when that shortens its line."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.chosen: set[int] = set()  # ids of the literals to rewrite

    def visit_Module(self, node: cst.Module) -> bool:
        unsafe = sorted(names_in(node) & _BUILTINS)
        if unsafe:
            raise skip(f"the module spells {', '.join(unsafe)}: `dict` may not be the builtin")
        bound = bound_names(node)
        if "dict" in bound or "*" in bound:
            raise skip("the module binds the name `dict`" if "dict" in bound else "a star import may bind `dict`")
        lines = physical_lines(node.code)
        annotations = {id(n) for a in walk(node) if isinstance(a, cst.Annotation) for n in walk(a)}
        found: list[Candidate[int]] = []
        for literal in walk(node):
            if isinstance(literal, cst.Dict) and id(literal) not in annotations:
                candidate = self._candidate(literal, lines)
                if candidate is not None:
                    found.append(candidate)
        self.chosen = set(self.choose(found, "no dict literal with identifier keys that dict(...) would shorten"))
        return True

    def _candidate(self, literal: cst.Dict, lines: list[str]) -> Candidate[int] | None:
        where = self.get_metadata(PositionProvider, literal)
        keys = keyword_keys(literal)
        if where.start.line != where.end.line or keys is None:
            return None
        call = as_call(literal, keys)
        old = lines[where.start.line - 1]
        bare = code(literal.with_changes(lpar=(), rpar=()))  # positions leave out the parentheses
        if old[where.start.column:where.end.column] != bare or not same_values(literal, call, keys):
            return None
        new = old[:where.start.column] + code(call.with_changes(lpar=(), rpar=())) + old[where.end.column:]
        if len(new) >= len(old) or len(new) > LINE_LENGTH:
            return None
        within = f", within {LINE_LENGTH} now" if len(old) > LINE_LENGTH else ""
        summary = (f"`{{'{keys[0]}': ...}}` as `dict({keys[0]}=...)`, line {where.start.line}: "
                   f"{len(old)} -> {len(new)} characters{within}")
        return Candidate(where.start.line, where.start.column, summary, id(literal))

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.BaseExpression:
        if id(original_node) not in self.chosen:
            return updated_node
        return as_call(updated_node, keyword_keys(updated_node))
