"""What an object of a repository class prints: the fixed start of its ``toString()``.

A log argument whose declared type is a repository class prints that object's ``toString()``.
When one template is written in several methods (``LOG.debug("Operation Context: {}", ctx)`` in
``search(SearchOperationContext)``, ``bind(BindOperationContext)``...), the printed text is the
only thing that tells the statements apart (``SearchContext for DN '...'`` vs ``BindContext ...``).

For the declared class and each of its repository subclasses (the object may be any of them) the
start is read from the ``toString()`` the class declares or inherits from a repository superclass:
its return expressions folded by the template builder (literals, constants, concatenation,
``StringBuilder`` chains, helpers), up to the first value; ``getClass().getSimpleName()`` /
``getName()`` print the runtime class; ``super.toString()`` the superclass's start. A class that
no repository class gives a ``toString()`` prints Object's ``pkg.Outer$Inner@``, a record
``Name[``. Whenever one possible class's start is unknown (a toString that begins with a value, a
superclass outside the repository, an enum, an interface that code elsewhere may implement) the
answer is empty: the matcher may then only find agreement, never a contradiction.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from anomalygen.tools.java.context import Context
from anomalygen.tools.java.dispatch import arguments
from anomalygen.tools.java.formats import Hole, Part
from anomalygen.tools.java.symbols import TypeDecl

if TYPE_CHECKING:  # templates imports this module
    from anomalygen.tools.java.templates import TemplateBuilder

_MAX_CLASSES = 32
"""A declared type with more possible runtime classes than this says too little to be worth it."""
_COPY = re.compile(r"#\d+")
"""``symbols.add_type`` marks a second copy of a class (``org.a.Foo#2``): Java prints ``Foo``."""
_NESTED_BODIES = frozenset({"lambda_expression", "class_body", "anonymous_class_body"})
_OBJECT = frozenset({"java.lang.Object", "Object"})


class PrintedStarts:
    """``starts(type)``: the texts an argument of that declared type can start with, cached."""

    def __init__(self, templates: TemplateBuilder) -> None:
        self.templates = templates
        self.r = templates.r
        self._starts: dict[str, tuple[str, ...]] = {}
        self._class_start: dict[str, str | None] = {}

    def starts(self, declared: str | None) -> tuple[str, ...]:
        if declared is None:
            return ()
        cached = self._starts.get(declared)
        if cached is None:
            cached = self._starts[declared] = self._compute(declared)
        return cached

    def _compute(self, declared: str) -> tuple[str, ...]:
        decl = self.r.index.types.get(declared)
        if decl is None or decl.info.kind in ("interface", "annotation"):
            return ()  # a JDK type, or an interface that library or caller code may implement too
        classes = [declared, *self.r.index.descendants(declared)]
        if len(classes) > _MAX_CLASSES:
            return ()
        found: list[str] = []
        for name in classes:
            candidate = self.r.index.types[name]
            if candidate.abstract or candidate.info.kind in ("interface", "annotation"):
                continue  # never the runtime class
            start = self.class_start(name)
            if start is None:
                return ()
            found.append(start)
        return tuple(sorted(set(found)))

    def class_start(self, runtime: str) -> str | None:
        """The fixed start of what an object of class ``runtime`` prints, or None when unknown."""
        if runtime not in self._class_start:
            self._class_start[runtime] = None  # a cycle through super.toString() stays unknown
            self._class_start[runtime] = self._start_from(runtime, runtime)
        return self._class_start[runtime]

    def _start_from(self, owner: str, runtime: str) -> str | None:
        """The start of ``runtime``'s text given by the first ``toString()`` found from ``owner``
        up its repository superclasses."""
        current: str | None = owner
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            decl = self.r.index.types.get(current)
            if decl is None:
                return None if current not in _OBJECT else _default_start(self.r.index.types[runtime])
            if decl.info.kind == "enum" or (decl.enclosing_method is not None and not decl.anonymous):
                return None  # an enum prints a constant's name; javac numbers local classes
            for method_id in self.r.index.methods_named(current, "toString"):
                method = self.r.table.methods[method_id]
                if not method.info.parameters and method.info.body is not None:
                    return self._method_start(Context(decl, method), method.info.body, runtime)
            if decl.info.kind == "record":
                return f"{decl.info.simple_name}["
            current = decl.info.superclass
        return _default_start(self.r.index.types[runtime]) if current is None else None

    def _method_start(self, ctx: Context, body: Node, runtime: str) -> str | None:
        """The start every return of the method shares (``"Ctx for " + a`` and ``"Ctx for " + b``
        both start ``Ctx for ``); None when one return starts with a value or they share nothing."""
        starts = set()
        for returned in _returned(body):
            parts = self.templates.fold(ctx, returned)
            start = self._leading(parts or [Hole(returned, ctx)], ctx, runtime)
            if not start:
                return None
            starts.add(start)
        return _shared_start(starts) or None if starts else None

    def _leading(self, parts: list[Part], ctx: Context, runtime: str) -> str:
        """The constant text before the first value; names of the runtime class count as text."""
        text = ""
        for part in parts:
            if isinstance(part, str):
                text += part
                continue
            known, whole = self._known_value(part.node, ctx, runtime)
            text += known
            if not whole:
                return text
        return text

    def _known_value(self, node: Node, ctx: Context, runtime: str) -> tuple[str, bool]:
        """What a value known from the class alone prints, and whether that is all of it:
        ``getClass().getSimpleName()`` / ``getName()`` (whole), ``super.toString()`` (its start)."""
        if node.type != "method_invocation" or arguments(node):
            return "", False
        name_node, receiver = node.child_by_field_name("name"), node.child_by_field_name("object")
        if name_node is None or receiver is None:
            return "", False
        name, target = self.r.text(ctx, name_node), self.r.text(ctx, receiver).replace(" ", "")
        decl = self.r.index.types[runtime]
        if target in ("getClass()", "this.getClass()"):
            if name == "getSimpleName":
                return decl.info.simple_name, True
            if name == "getName":
                return _binary_name(decl), True
        if target == "super" and name == "toString" and ctx.type.info.superclass is not None:
            return self._start_from(ctx.type.info.superclass, runtime) or "", False
        return "", False


def _returned(body: Node) -> list[Node]:
    """The expressions this body returns (not those of lambdas or classes written inside it)."""
    found: list[Node] = []
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            if node.named_children:
                found.append(node.named_children[0])
            continue
        stack.extend(c for c in node.named_children if c.type not in _NESTED_BODIES)
    return found


def _shared_start(texts: set[str]) -> str:
    """The longest start all ``texts`` share."""
    first, last = min(texts), max(texts)  # the extremes in order differ earliest
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def _binary_name(decl: TypeDecl) -> str:
    """``org.a.Outer.Inner`` -> ``org.a.Outer$Inner`` (what ``Class.getName()`` prints)."""
    name = _COPY.sub("", decl.info.name)
    package = decl.scope.package
    if package and name.startswith(package + "."):
        return f"{package}.{name[len(package) + 1:].replace('.', '$')}"
    return name.replace(".", "$")


def _default_start(decl: TypeDecl) -> str | None:
    """Object's ``toString()``: ``getClass().getName() + "@" + hash``. An anonymous class's number
    is javac's to choose: only ``pkg.Outer$`` is certain."""
    if decl.info.kind == "record":
        return f"{decl.info.simple_name}["
    if decl.info.kind == "enum":
        return None
    if decl.anonymous:
        return _binary_name(decl).rstrip("0123456789")
    return _binary_name(decl) + "@"
