"""Static types of expressions and targets of invocations, as far as source alone tells.

Both questions feed each other (``a.b().c()`` needs the return type of ``b``), so one
``Resolver`` answers both and memoizes call resolutions by node key.
"""

from __future__ import annotations

from tree_sitter import Node

from anomalygen.tools.java.context import EXTERNAL, Context, Resolution
from anomalygen.tools.java.dispatch import resolve_invocation
from anomalygen.tools.java.generics import element_type as collection_element
from anomalygen.tools.java.generics import lambda_parameter_type
from anomalygen.tools.java.symbols import LocalDeclaration, MethodDecl, SymbolTable
from anomalygen.tools.java.typenames import PRIMITIVES, element_type, simple_name
from anomalygen.tools.java.typeres import TypeIndex

_OBJECT_METHODS = frozenset(
    {"toString", "equals", "hashCode", "getClass", "wait", "notify", "notifyAll", "clone", "finalize"}
)
_ENUM_METHODS = frozenset({"values", "valueOf", "name", "ordinal", "compareTo", "getDeclaringClass"})
KNOWN_RETURNS: dict[str, str] = {
    "toString": "java.lang.String", "getMessage": "java.lang.String",
    "getLocalizedMessage": "java.lang.String", "getName": "java.lang.String",
    "getSimpleName": "java.lang.String", "getCanonicalName": "java.lang.String",
    "toHexString": "java.lang.String", "toBinaryString": "java.lang.String",
    "valueOf": "java.lang.String", "format": "java.lang.String", "join": "java.lang.String",
    "trim": "java.lang.String", "substring": "java.lang.String", "toLowerCase": "java.lang.String",
    "toUpperCase": "java.lang.String", "replace": "java.lang.String", "getHostName": "java.lang.String",
    "getHostString": "java.lang.String", "getHostAddress": "java.lang.String",
    "getAbsolutePath": "java.lang.String", "getPath": "java.lang.String",
    "size": "int", "length": "int", "getPort": "int", "intValue": "int", "ordinal": "int",
    "currentTimeMillis": "long", "nanoTime": "long", "longValue": "long",
    "isEmpty": "boolean", "contains": "boolean", "containsKey": "boolean", "equals": "boolean",
    "getLogger": "Logger", "getLog": "Log", "getFormatterLogger": "Logger",
    "getRootLogger": "Logger", "getClass": "java.lang.Class", "getCause": "java.lang.Throwable",
    "currentThread": "java.lang.Thread", "getRemoteSocketAddress": "java.net.SocketAddress",
    "getLocalSocketAddress": "java.net.SocketAddress", "getInetAddress": "java.net.InetAddress",
}
"""Return types of common library methods (by name), for receivers outside the repository."""

class Resolver:
    def __init__(self, table: SymbolTable, index: TypeIndex) -> None:
        self.table = table
        self.index = index
        self._calls: dict[tuple[str, int, int], Resolution] = {}

    def text(self, ctx: Context, node: Node) -> str:
        return ctx.type.parsed.text(node)

    # -- variables -----------------------------------------------------------------------
    def variable_type(self, ctx: Context, name: str, at: int | None = None) -> str | None:
        """Resolved declared type of a local, parameter, field or statically imported field
        (``at``: byte offset of the use, to pick the declaration in scope there)."""
        if at is not None and ctx.method is not None:
            scoped = self._scoped_local(ctx, name, at)
            if scoped is not None:
                return self.index.resolve(scoped, ctx.type)
        if ctx.method is not None and name in ctx.method.info.locals:
            return self.index.resolve(ctx.method.info.locals[name], ctx.type)
        if ctx.method is not None and ctx.method.info.is_lambda:
            inferred = lambda_parameter_type(self, ctx, name)
            if inferred is not None:
                return inferred
        for decl in self.index.lexical_chain(ctx.type):
            found = self.index.find_field(decl.info.name, name)
            if found is not None:
                return self.index.resolve(found[1], found[0])
        owner = ctx.type.scope.static_imports.get(name)
        owners = [owner] if owner else list(ctx.type.scope.static_wildcards)
        for candidate in owners:
            found = self.index.find_field(candidate, name) if candidate in self.index.types else None
            if found is not None:
                return self.index.resolve(found[1], found[0])
        return None

    def local_initializer(self, ctx: Context, name: str,
                          at: int | None = None) -> tuple[Context, Node] | None:
        """The initializer of a local that is never assigned again (own body or enclosing ones).

        With ``at`` (the byte where the name is used) the declaration in scope there decides, so a
        name declared in two sibling blocks is still resolved; it must not be assigned within
        that declaration's scope. Without it, a name declared twice is ambiguous.
        """
        if at is not None:
            scope = self.local_in_scope(ctx, name, at)
            if scope is not None:
                found_ctx, start, end, value = scope
                assert found_ctx.method is not None
                if value is None or self.assignments_in(found_ctx, name, start, end):
                    return None
                return found_ctx, value
        method = ctx.method
        while method is not None:
            if name in method.local_values:
                if name in method.reassigned:
                    return None
                return Context(method.decl_type, method), method.local_values[name]
            if name in method.reassigned:
                return None
            method = self.table.methods.get(method.enclosing) if method.enclosing else None
        return None

    def local_in_scope(self, ctx: Context, name: str,
                       at: int) -> tuple[Context, int, int, Node | None] | None:
        """The declaration of local ``name`` in scope at byte ``at`` (own body or enclosing ones):
        its context, scope start and end, and initializer (None without one)."""
        found = self._declaration_in_scope(ctx, name, at)
        if found is None:
            return None
        method, declaration = found
        return Context(method.decl_type, method), declaration.start, declaration.end, declaration.value

    def _declaration_in_scope(self, ctx: Context, name: str,
                              at: int) -> tuple[MethodDecl, LocalDeclaration] | None:
        """The innermost declaration of ``name`` open at byte ``at``, and the body declaring it."""
        method = ctx.method
        while method is not None:
            in_scope = [d for d in method.scoped_locals.get(name, ()) if d.start <= at < d.end]
            if in_scope:
                return method, max(in_scope, key=lambda d: d.start)  # declared last among those open
            method = self.table.methods.get(method.enclosing) if method.enclosing else None
        return None

    def assignments_in(self, ctx: Context, name: str, start: int, end: int) -> list[Node]:
        """Assigned identifiers of ``name`` between bytes ``start`` and ``end`` of ``ctx``'s body."""
        assert ctx.method is not None
        return [a for a in ctx.method.assigned_at.get(name, ()) if start < a.start_byte < end]

    def constant_initializer(self, ctx: Context, node: Node) -> tuple[Context, Node] | None:
        """Initializer of the final field an identifier / ``Type.NAME`` refers to, with its context."""
        if node.type == "identifier":
            name = self.text(ctx, node)
            if ctx.method is not None and name in ctx.method.info.locals:
                return None
            owners = [d.info.name for d in self.index.lexical_chain(ctx.type)]
            scope = ctx.type.scope
            owners += [scope.static_imports[name]] if name in scope.static_imports else []
            owners += scope.static_wildcards
        elif node.type == "field_access":
            obj, field = node.child_by_field_name("object"), node.child_by_field_name("field")
            if obj is None or field is None:
                return None
            name = self.text(ctx, field)
            owner = ctx.type.info.name if obj.type == "this" else self.as_type_name(ctx, obj)
            owners = [owner] if owner else []
        else:
            return None
        for owner in owners:
            if owner not in self.index.types:
                continue
            found = self.index.find_field(owner, name)
            if found is not None:
                init = found[0].constants.get(name)
                return (Context(found[0]), init) if init is not None else None
        return None

    def _scoped_local(self, ctx: Context, name: str, at: int) -> str | None:
        found = self._declaration_in_scope(ctx, name, at)
        return None if found is None else found[1].type_name

    def field_type(self, type_name: str, field: str) -> str | None:
        found = self.index.find_field(type_name, field)
        return None if found is None else self.index.resolve(found[1], found[0])

    def as_type_name(self, ctx: Context, node: Node) -> str | None:
        """When ``node`` (identifier / field_access / scoped name) names a type, that type."""
        if node.type not in ("identifier", "field_access", "scoped_identifier", "type_identifier",
                             "scoped_type_identifier"):
            return None
        written = self.text(ctx, node).replace(" ", "")
        last = written.rsplit(".", 1)[-1]
        if not last[:1].isupper():
            return None
        resolved = self.index.resolve(written, ctx.type)
        if resolved is None:
            return None
        if resolved in self.index.types or "." in resolved or last == written:
            return resolved
        return None

    # -- expressions ---------------------------------------------------------------------
    def type_of(self, ctx: Context, node: Node) -> str | None:
        """Resolved static type of an expression (in-repo FQN, external name, primitive) or None."""
        kind = node.type
        if kind == "identifier":
            return self.variable_type(ctx, self.text(ctx, node), node.start_byte)
        if kind in ("string_literal", "text_block"):
            return "java.lang.String"
        if kind == "character_literal":
            return "char"
        if kind in ("decimal_integer_literal", "hex_integer_literal", "octal_integer_literal",
                    "binary_integer_literal"):
            return "long" if self.text(ctx, node)[-1:] in "lL" else "int"
        if kind in ("decimal_floating_point_literal", "hex_floating_point_literal"):
            return "float" if self.text(ctx, node)[-1:] in "fF" else "double"
        if kind in ("true", "false"):
            return "boolean"
        if kind == "this":
            return ctx.type.info.name
        if kind == "parenthesized_expression" and node.named_child_count:
            return self.type_of(ctx, node.named_children[0])
        if kind == "cast_expression":
            return self.index.resolve(self.text(ctx, node.child_by_field_name("type") or node), ctx.type)
        if kind == "object_creation_expression":
            type_node = node.child_by_field_name("type")
            return self.index.resolve(self.text(ctx, type_node), ctx.type) if type_node else None
        if kind == "method_invocation":
            return self.resolve_call(ctx, node).return_type
        if kind == "field_access":
            return self._field_access_type(ctx, node)
        if kind == "array_access":
            array = node.child_by_field_name("array")
            array_type = self.type_of(ctx, array) if array is not None else None
            return element_type(array_type) if array_type else None
        if kind == "ternary_expression":
            branch = node.child_by_field_name("consequence")
            return self.type_of(ctx, branch) if branch is not None else None
        if kind == "binary_expression":
            return self._binary_type(ctx, node)
        if kind == "assignment_expression":
            left = node.child_by_field_name("left")
            return self.type_of(ctx, left) if left is not None else None
        if kind == "class_literal":
            return "java.lang.Class"
        if kind == "instanceof_expression":
            return "boolean"
        if kind == "array_creation_expression":
            type_node = node.child_by_field_name("type")
            base = self.index.resolve(self.text(ctx, type_node), ctx.type) if type_node else None
            return base + "[]" if base else None
        return None

    def _field_access_type(self, ctx: Context, node: Node) -> str | None:
        obj = node.child_by_field_name("object")
        field = self.text(ctx, node.child_by_field_name("field") or node)
        if obj is None:
            return None
        if field == "this":  # Outer.this
            return self.as_type_name(ctx, obj)
        if obj.type == "this":
            return self.variable_type(Context(ctx.type), field)
        if obj.type == "super":
            sup = ctx.type.info.superclass
            return self.field_type(sup, field) if sup in self.index.types else None
        owner = self.type_of(ctx, obj) or self.as_type_name(ctx, obj)
        if owner is None:
            return None
        if field == "length" and element_type(owner) is not None:
            return "int"
        if owner in self.index.types:
            return self.field_type(owner, field)
        return None

    def _binary_type(self, ctx: Context, node: Node) -> str | None:
        operator = node.child_by_field_name("operator")
        op = self.text(ctx, operator) if operator is not None else ""
        if op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||", "instanceof"):
            return "boolean"
        chain = plus_chain(self, ctx, node)
        if chain is not None:  # iterative: a + b + ... can be thousands of operands long
            types = [self.type_of(ctx, operand) for operand in chain[0]]
            return "java.lang.String" if "java.lang.String" in types else types[0]
        left = node.child_by_field_name("left")
        return self.type_of(ctx, left) if left is not None else None

    # -- invocations ---------------------------------------------------------------------
    def resolve_call(self, ctx: Context, node: Node) -> Resolution:
        key = (ctx.type.info.file, node.start_byte, node.end_byte)  # chains share starts
        cached = self._calls.get(key)
        if cached is None:
            cached = resolve_invocation(self, ctx, node)
            if cached.status == EXTERNAL and node.type == "method_invocation":
                receiver, name = node.child_by_field_name("object"), node.child_by_field_name("name")
                if receiver is not None and name is not None:
                    element = collection_element(self, ctx, receiver, self.text(ctx, name))
                    if element is not None:  # map.get(k) of a Map<K, V>: V
                        cached = Resolution(cached.targets, cached.status, element, cached.arity)
            self._calls[key] = cached
        return cached

    def return_type_of(self, targets: tuple[str, ...], name: str) -> str | None:
        for target in targets:
            decl = self.table.methods.get(target)
            if decl is not None and decl.info.return_type:
                if decl.info.return_type in PRIMITIVES:
                    return decl.info.return_type
                return self.index.resolve(decl.info.return_type, decl.decl_type)
        return KNOWN_RETURNS.get(name)


def plus_chain(r: Resolver, ctx: Context, node: Node) -> tuple[list[Node], list[Node]] | None:
    """Operands of a left-nested ``a + b + c`` chain in source order, and the ``+`` nodes
    covering its prefixes (``a + b``, ``a + b + c``); None when ``node`` is no ``+``."""
    links: list[Node] = []
    current = node
    while current.type == "binary_expression":
        operator = current.child_by_field_name("operator")
        left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
        if operator is None or left is None or right is None or r.text(ctx, operator) != "+":
            break
        links.append(current)
        current = left
    if not links:
        return None
    prefixes = links[::-1]
    operands = [current]
    for link in prefixes:
        right = link.child_by_field_name("right")
        assert right is not None
        operands.append(right)
    return operands, prefixes


def slot_type_name(resolved: str | None) -> str | None:
    """The simple name shown in a Slot (``java.lang.String`` -> ``String``)."""
    return None if resolved is None else simple_name(resolved)
