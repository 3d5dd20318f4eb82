"""Small helpers the codemods share: rendering nodes, finding names and docstrings, filling words into lines,
giving up politely."""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

import libcst as cst
from libcst.codemod import SkipFile
from libcst.metadata import ComprehensionScope, Scope

from ..lines import LINE_LENGTH, longest

_EMPTY = cst.Module(body=[])

# Nodes whose evaluation runs no user code and reads no variable. Not every ConcatenatedString: `'a' f'{x}'`
# formats `x`; `literal` tells the plain ones.
LITERALS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis)

# Names whose presence means a function can see (or change) bindings behind our back.
DYNAMIC_NAMES = frozenset({"locals", "globals", "vars", "eval", "exec", "__import__"})

# Names through which a program usually sees its own line numbers or source text (frames, tracebacks, code
# objects, its own file): a codemod that adds or removes lines refuses a module that spells one.
LINE_READERS = frozenset({"inspect", "traceback", "linecache", "logging", "warnings", "pdb", "dis", "importlib",
                          "_getframe", "currentframe", "f_lineno", "tb_lineno", "lineno", "co_firstlineno",
                          "co_lines", "co_positions", "co_lnotab", "__code__", "__file__", "__loader__"})

# Names through which a program usually sees a function's name, or reaches a class's methods or attributes without
# spelling them: a codemod that turns a `def` into a lambda, or adds a class attribute, refuses a module that
# spells one (with `inspect`, `traceback`, `__code__` of LINE_READERS and the DYNAMIC_NAMES, which do too).
NAME_READERS = frozenset({"__name__", "__qualname__", "co_name", "co_qualname", "f_code", "tb_frame", "__traceback__",
                          "exc_info", "getattr", "hasattr", "__getattribute__", "__dict__", "__mro__", "dir", "help",
                          "pydoc", "pickle", "copyreg", "copy", "shelve", "multiprocessing", "settrace", "setprofile",
                          "cProfile", "profile", "monitoring"})


def code(node: cst.CSTNode) -> str:
    """The source text of one node, as it would appear in the module."""
    return _EMPTY.code_for_node(node)


def skip(reason: str) -> SkipFile:
    """The exception a codemod raises when it does not apply; transform_module turns it into TransformSkip."""
    return SkipFile(reason)


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `node`, itself included, parents before children and statements in source order.

    Reads the dataclass fields directly: libcst's own `children` runs a visitor per node, ten times slower.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        found: list[cst.CSTNode] = []
        for field in _field_names(type(current)):
            value = getattr(current, field)
            if isinstance(value, cst.CSTNode):
                found.append(value)
            elif isinstance(value, (list, tuple)):
                found.extend(v for v in value if isinstance(v, cst.CSTNode))
        stack.extend(reversed(found))


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def names_in(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled anywhere under `node` (loads, stores, keywords alike): a conservative set."""
    return {n.value for n in walk(node) if isinstance(n, cst.Name)}


def contains(node: cst.CSTNode, kinds: tuple[type, ...]) -> bool:
    return any(isinstance(n, kinds) for n in walk(node))


def literal(node: cst.CSTNode) -> bool:
    """A literal whose evaluation runs no user code and reads no variable: LITERALS, and concatenations of plain
    strings (`'a' 'b'`, not `'a' f'{x}'`)."""
    if isinstance(node, cst.ConcatenatedString):
        return literal(node.left) and literal(node.right)
    return isinstance(node, LITERALS)


def has_call(node: cst.CSTNode) -> bool:
    return contains(node, (cst.Call, cst.Await, cst.Yield))


def fresh_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base_`, `base__`, ... whichever is not already taken."""
    taken = set(taken)
    name = base
    while name in taken:
        name += "_"
    return name


def only_blank(lines: Iterable[cst.EmptyLine]) -> bool:
    """True when leading lines hold no comment (blank lines only, or nothing)."""
    return all(line.comment is None for line in lines)


def comment_text(comment: cst.Comment | None) -> str:
    """The words of a `# ...` comment, without the hash."""
    if comment is None:
        return ""
    return comment.value.lstrip("#").strip()


def joined_trailing(comments: Sequence[cst.Comment], newline: cst.Newline | None = None) -> cst.TrailingWhitespace:
    """A line's end carrying `comments` as one comment, their words joined in order with `; ` (a lone one as
    written), one space after the code; no comment when there is none."""
    if not comments:
        return cst.TrailingWhitespace(newline=newline or cst.Newline())
    text = comments[0].value if len(comments) == 1 else "# " + "; ".join(map(comment_text, comments))
    return cst.TrailingWhitespace(cst.SimpleWhitespace(" "), cst.Comment(text), newline or cst.Newline())


def def_lines(node: cst.FunctionDef) -> tuple[list[cst.SimpleStatementLine], list[cst.Comment]] | None:
    """The lines of a def's body (`def f(x): return x` gives one) and its trailing comments, the header's first;
    None when the body holds a compound statement or an own-line comment."""
    body = node.body
    if isinstance(body, cst.SimpleStatementSuite):
        comment = body.trailing_whitespace.comment
        return [cst.SimpleStatementLine(body=body.body)], [comment] if comment else []
    lines = list(body.body)
    if body.footer or not all(isinstance(s, cst.SimpleStatementLine) and only_blank(s.leading_lines) for s in lines):
        return None
    return lines, [c for c in [body.header.comment, *(s.trailing_whitespace.comment for s in lines)] if c]


def single_small(stmt: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The lone small statement of a one-statement line (`x = 1`), else None (`a = 1; b = 2`, compound...)."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


def max_line_length(module: cst.Module, floor: int = 88) -> int:
    """The longest line the file already has, but at least `floor`: generated lines stay within the file's style."""
    return min(LINE_LENGTH, max(floor, longest(module.code)))  # and never past the rule of 120


def indent_of(module: cst.Module, parent_of: Callable[[cst.CSTNode], cst.CSTNode | None], node: cst.CSTNode) -> str:
    """The indentation of the statement `node`: the module's indent once per indented block around it."""
    depth = 0
    while (node := parent_of(node)) is not None:
        depth += isinstance(node, cst.IndentedBlock)
    return module.default_indent * depth


def declared_names(node: cst.CSTNode) -> set[str]:
    """Every name a `global` or `nonlocal` statement under `node` names: a call may rebind any of them."""
    return {n.name.value for g in walk(node) if isinstance(g, (cst.Global, cst.Nonlocal)) for n in g.names}


def read_elsewhere(scope_of: Callable[[cst.CSTNode], Scope | None], scope: Scope, name: str,
                   consumed: Callable[[cst.GeneratorExp], bool] | None = None) -> bool:
    """Whether `name`, as bound in `scope`, is read by code that can run at another moment than the scope's own
    statements: a function, lambda or class body, or a generator expression, which runs whenever it is resumed
    (`g = (a for _ in xs)`, then `next(g)` anywhere), unless `consumed` says it runs to its end where it stands
    (`sum(x * a for x in xs)`, `Bindings.consumed_at_once`). Other comprehensions run in place: theirs do not count."""
    for assignment in scope.assignments[name]:
        for reference in assignment.references:
            where = scope_of(reference.node)
            while isinstance(where, ComprehensionScope) and where is not scope:
                if isinstance(where.node, cst.GeneratorExp) and not (consumed and consumed(where.node)):
                    return True
                where = where.parent
            if where is not scope:
                return True
    return False


def parenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[cst.LeftParen(), *node.lpar], rpar=[*node.rpar, cst.RightParen()])


def placed(stmt: cst.CSTNode, use: cst.CSTNode, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """`value` as it must be written in place of `use` inside `stmt`: bare when that keeps the meaning, else in
    parentheses; None when neither parses to the tree meant.

    Python's own parser is the precedence table (libcst has none: it never adds parentheses). The tree meant
    is `stmt`'s with the node `use` replaced by `value`'s tree, so `t = not a` then `return t + x` gives
    `return (not a) + x`, and `t = a * b` then `return t * c` stays bare.
    """
    hole = fresh_name("_hole", names_in(stmt) | names_in(value))
    try:
        meant = ast.parse(code(stmt.deep_replace(use, cst.Name(hole))))
        filling = ast.parse(f"(\n{code(value)}\n)", mode="eval").body
    except SyntaxError:
        return None
    want = ast.dump(_Fill(hole, filling).visit(meant))
    for candidate in (value, parenthesized(value)):
        try:
            got = ast.dump(ast.parse(code(stmt.deep_replace(use, candidate))))
        except SyntaxError:
            continue
        if got == want:
            return candidate
    return None


def placed_all(stmt: cst.CSTNode, fills: Sequence[tuple[cst.CSTNode, cst.BaseExpression]]
               ) -> list[cst.BaseExpression] | None:
    """Each value as `placed` writes it in place of its use, when all of them are placed in `stmt` at once;
    None when one cannot be placed, or when together they would not parse to the tree meant (checked)."""
    chosen = [placed(stmt, use, value) for use, value in fills]
    if None in chosen:
        return None
    taken = names_in(stmt).union(*(names_in(value) for _, value in fills))
    holes = [fresh_name(f"_hole{i}", taken) for i in range(len(fills))]
    try:
        meant = ast.parse(code(stmt.visit(_Swap({id(use): cst.Name(h) for (use, _), h in zip(fills, holes)}))))
        fillings = [ast.parse(f"(\n{code(value)}\n)", mode="eval").body for _, value in fills]
        got = ast.parse(code(stmt.visit(_Swap({id(use): c for (use, _), c in zip(fills, chosen)}))))
    except SyntaxError:
        return None
    for hole, filling in zip(holes, fillings):
        meant = _Fill(hole, filling).visit(meant)
    return chosen if ast.dump(got) == ast.dump(meant) else None


class _Swap(cst.CSTTransformer):
    """Replaces nodes by identity, all in one pass (deep_replace rebuilds the tree, so identities change)."""

    def __init__(self, by_id: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.by_id = by_id

    def on_leave(self, original_node, updated_node):
        return self.by_id.get(id(original_node), updated_node)


class _Fill(ast.NodeTransformer):
    def __init__(self, hole: str, filling: ast.expr) -> None:
        self.hole, self.filling = hole, filling

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self.filling if node.id == self.hole else node


def option(value, kind: type, what: str, optional: bool = True):
    """A codemod option, its type checked: a wrong one is the caller's TypeError, as `apply` promises."""
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{what} must be a{'n' if kind is int else ''} {kind.__name__}, not {type(value).__name__}")
    return value


# A comment that tells a tool something about its own line: moved or merged, it would cover other code.
_PRAGMA = re.compile(r"#\s*(noqa|type:|pragma|pylint:|fmt:|isort:|mypy:|pyright:|ruff:|nosec)", re.IGNORECASE)


def is_pragma(comment: cst.Comment | None) -> bool:
    return comment is not None and _PRAGMA.match(comment.value) is not None


def bound_names(module: cst.Module) -> dict[str, list[ast.AST]]:
    """Every name the module binds, in any scope, with the nodes that bind it (an import: its Import or
    ImportFrom); the key "*" when a star import may bind any name. Python's own parser decides what binds:
    targets of every kind (`for`, `with`, walrus, comprehensions, `del`), parameters, defs, classes, imports,
    `global`/`nonlocal`, `except ... as`, match captures. Raises SkipFile when CPython cannot parse the module.
    """
    return _bindings(_parsed(module))


@dataclasses.dataclass(frozen=True)
class NameScopes:
    """Where CPython's parser sees each name bound and read, and in which scope: the innermost def, lambda or class
    around it (its ast node), else the ast.Module. A def's or class's own name, its decorators, defaults,
    annotations and bases belong to the scope around it. A comprehension counts as the scope around it: exact for
    a walrus, which binds there, and conservative for the comprehension's own variables (they seem to share it)."""

    bindings: dict[str, list[tuple[ast.AST, ast.AST]]]  # as bound_names, each binding with its scope
    reads: dict[str, list[tuple[ast.Name, ast.AST]]]  # every `ast.Name` loaded, with its scope
    around: dict[int, ast.AST]  # id of a scope's node -> the scope around it (the module has none)

    def sees(self, scope: ast.AST, name: str, binding_scope: ast.AST) -> bool:
        """Whether a read of `name` in `scope` may see `binding_scope`'s binding of it: that scope is this one or
        encloses it, and no def or lambda in between binds the name itself. A class body in between hides nothing
        (its functions skip it, and it reads the names around it until it binds them)."""
        while scope is not binding_scope:
            if not isinstance(scope, ast.ClassDef) and any(s is scope for _, s in self.bindings.get(name, ())):
                return False
            if (scope := self.around.get(id(scope))) is None:
                return False
        return True


def name_scopes(module: cst.Module) -> NameScopes:
    """The module's NameScopes. Raises SkipFile when CPython cannot parse the module."""
    tree = _parsed(module)
    owners, around = _scope_owners(tree)
    reads: dict[str, list[tuple[ast.Name, ast.AST]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            reads.setdefault(node.id, []).append((node, owners[id(node)]))
    bindings = {name: [(node, owners[id(node)]) for node in nodes] for name, nodes in _bindings(tree).items()}
    return NameScopes(bindings, reads, around)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _scope_owners(tree: ast.Module) -> tuple[dict[int, ast.AST], dict[int, ast.AST]]:
    """(id of each node -> its scope, id of each scope's node -> the scope around it)."""
    owners: dict[int, ast.AST] = {}
    around: dict[int, ast.AST] = {}
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        node, owner = stack.pop()
        owners[id(node)] = owner
        if not isinstance(node, _SCOPES):
            stack.extend((child, owner) for child in ast.iter_child_nodes(node))
            continue
        around[id(node)] = owner
        outside = {id(n) for n in (*getattr(node, "decorator_list", ()), getattr(node, "returns", None),
                                   *getattr(node, "bases", ()), *getattr(node, "keywords", ())) if n is not None}
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.arguments):  # the parameters bind inside; defaults, annotations run outside
                owners[id(child)] = node
                for part in ast.iter_child_nodes(child):
                    if isinstance(part, ast.arg):
                        owners[id(part)] = node
                        stack.extend((a, owner) for a in [part.annotation] if a is not None)
                    else:
                        stack.append((part, owner))
            else:
                stack.append((child, owner if id(child) in outside else node))
    return owners, around


def _parsed(module: cst.Module) -> ast.Module:
    try:
        return ast.parse(module.code)
    except (SyntaxError, ValueError):
        raise skip("CPython cannot parse the module, so what it binds is unknown") from None


def _bindings(tree: ast.Module) -> dict[str, list[ast.AST]]:
    found: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        names: list[str | None] = []
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names = [node.id]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.MatchAs,
                               ast.MatchStar)):
            names = [node.name]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.asname or alias.name.split(".")[0] for alias in node.names]  # "*" for a star import
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names = list(node.names)
        elif isinstance(node, ast.MatchMapping):
            names = [node.rest]
        for name in names:
            if name is not None:
                found.setdefault(name, []).append(node)
    return found


def docstring(node: cst.Module | cst.FunctionDef | cst.ClassDef) -> cst.SimpleString | cst.ConcatenatedString | None:
    """The string literal that is `node`'s docstring (its first statement is a str literal, as `ast` sees it)."""
    body = node.body if isinstance(node, cst.Module) else node.body.body
    first = body[0] if body else None
    if isinstance(first, cst.SimpleStatementLine):
        first = first.body[0]
    if not isinstance(first, cst.Expr) or not isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
        return None
    parts = [first.value] if isinstance(first.value, cst.SimpleString) else list(walk(first.value))
    if any(isinstance(p, cst.FormattedString) or "b" in getattr(p, "prefix", "").lower() for p in parts):
        return None  # an f-string or bytes literal is not a docstring
    return first.value


def docstrings(module: cst.Module) -> list[cst.SimpleString | cst.ConcatenatedString]:
    """Every docstring in the module, in source order: its own, then each function's and class's."""
    owners = [module, *(n for n in walk(module) if isinstance(n, (cst.FunctionDef, cst.ClassDef)))]
    return [d for d in map(docstring, owners) if d is not None]


_WORD = re.compile(r"[A-Za-z_]\w*")


def string_words(module: cst.Module) -> list[str]:
    """The words of every string in the module that is not a docstring, in source order."""
    quiet = {id(n) for d in docstrings(module) for n in walk(d)}
    return [word for node in walk(module) if isinstance(node, (cst.SimpleString, cst.FormattedStringText))
            and id(node) not in quiet for word in _WORD.findall(node.value)]


def spelled(module: cst.Module, names: Collection[str]) -> list[str]:
    """Which of `names` the module spells, sorted: as an identifier, or as a word of a string that is not a
    docstring (`getattr(f, '__doc__')`, logging's `'%(lineno)d'`). Comments and docstrings do not count."""
    return sorted((names_in(module) | set(string_words(module))) & set(names))


def exposed(module: cst.Module, name: str, calls: bool = False) -> bool:
    """Whether the module may read what `name` is bound to other than to call it: it loads a name or attribute
    `name` that is not the callee of a call (`Value.__add__(a, b)`; with `calls`, that counts too), or spells it in
    a string, as `spelled` sees strings. Binding it (`def __add__`, `__add__ = ...`) is no read. Raises SkipFile
    when CPython cannot parse the module."""
    try:
        tree = ast.parse(module.code)
    except (SyntaxError, ValueError):
        raise skip("CPython cannot parse the module, so what it reads is unknown") from None
    callees = set() if calls else {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return name in string_words(module) or any(
        id(node) not in callees and isinstance(node.ctx, ast.Load)
        and (node.id if isinstance(node, ast.Name) else node.attr) == name
        for node in ast.walk(tree) if isinstance(node, (ast.Name, ast.Attribute)))


def fill(words: Sequence[str], width: int, head: int = 0, indent: int = 0, tail: int = 0) -> list[str] | None:
    """`words` joined by single spaces into as few lines as fit in `width` columns, then as even as that allows.

    The first line follows `head` columns of prefix (quotes, `# `), the others `indent`; the last line needs
    `tail` columns after it (closing quotes). None when some word cannot fit. No word is split or changed.
    """
    best = _greedy(words, width, head, indent, tail)
    narrower = width - 1
    while best is not None and (lines := _greedy(words, narrower, head, indent, tail)) is not None:
        if len(lines) != len(best):
            break
        best, narrower = lines, narrower - 1
    return best


def _greedy(words: Sequence[str], width: int, head: int, indent: int, tail: int) -> list[str] | None:
    lines: list[list[str]] = [[]]
    for word in words:
        room = width - (head if len(lines) == 1 else indent)
        if len(" ".join([*lines[-1], word])) <= room:
            lines[-1].append(word)
        elif lines[-1] and len(word) <= width - indent:
            lines.append([word])
        else:
            return None
    if len(" ".join(lines[-1])) + tail > width - (head if len(lines) == 1 else indent):
        if len(lines[-1]) < 2 or len(lines[-1][-1]) + tail > width - indent:
            return None
        lines.append([lines[-1].pop()])  # the closing quotes do not fit after the last word: it moves down
    return [" ".join(line) for line in lines]
