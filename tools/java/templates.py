"""Log templates: the constant text a runtime line shows, with ``{}`` where values go.

The message expression is folded: string literals, concatenation, constants (``static final``
fields with constant initializers, anywhere in the repo), ``String.format``,
``MessageFormat.format``, message-bundle look-ups (``sm.getString("key", ...)``, see
``bundles.py``) and the repository's own message helpers (a method that only returns a string
expression, ``buildLogMessage(ex, request)``). SLF4J/log4j2 ``{}`` placeholders then take the
remaining arguments in order; java.util.logging uses ``{0}`` parameters. A trailing argument
left over after the placeholders is the logged exception (stack trace), not a slot.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from anomalygen.records import Slot
from anomalygen.tools.java.bundles import MessageBundles
from anomalygen.tools.java.context import RESOLVED, Context
from anomalygen.tools.java.dispatch import arguments
from anomalygen.tools.java.formats import (
    Hole,
    Part,
    apply_message_format,
    apply_placeholders,
    expand_array,
    merge,
    printf_parts,
)
from anomalygen.tools.java.literals import decode_char, decode_string, literal_text
from anomalygen.tools.java.logcalls import LogCall
from anomalygen.tools.java.printed import PrintedStarts
from anomalygen.tools.java.resolve import Resolver, plus_chain, slot_type_name
from anomalygen.tools.java.symbols import MethodDecl
from anomalygen.tools.java.typenames import simple_name

_MAX_CONSTANT_DEPTH = 8
_BUNDLE_METHODS = frozenset({"getString", "getMessage"})
_MESSAGE_SOURCES = ("StringManager", "ResourceBundle", "Bundle", "Messages", "MessageSource",
                    "MessageSourceAccessor", "Localizer")
"""Simple type names of receivers whose ``getString(key, ...)`` reads a message bundle."""
_STRING = "java.lang.String"
_BUILDERS = frozenset({"StringBuilder", "StringBuffer"})
_MAX_NESTING = 64
"""Parentheses deeper than this make an expression opaque (and keep recursion bounded)."""


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    slots: tuple[Slot, ...]
    exception: str = ""


_BRANCHING = frozenset({
    "if_statement", "for_statement", "enhanced_for_statement", "while_statement", "do_statement",
    "switch_expression", "switch_block", "try_statement", "catch_clause", "ternary_expression",
    "lambda_expression", "try_with_resources_statement",
})


def _conditional(node: Node, block: Node) -> bool:
    """Whether ``node`` sits under a branch or loop inside ``block`` (it may not run)."""
    current = node.parent
    while current is not None and current != block:
        if current.type in _BRANCHING:
            return True
        current = current.parent
    return False


class TemplateBuilder:
    def __init__(self, resolver: Resolver, bundles: MessageBundles | None = None) -> None:
        self.r = resolver
        self.bundles = bundles if bundles is not None else MessageBundles()
        self.printed = PrintedStarts(self)
        self._bound: dict[tuple[str, str], tuple[Context, list[Node], bool]] = {}
        """(helper method id, parameter name) -> the caller's context, argument(s), varargs? while a
        message helper's body is folded: ``I18n.err(I18n.ERR_230, user)`` reads the bundle key
        ``ERR_230`` through the helper's ``getString(id)``."""

    def build(self, ctx: Context, call: LogCall) -> Template:
        args = list(call.arguments) if call.arguments is not None else arguments(call.node)
        if call.message_index >= len(args):
            return Template("", ())
        message = args[call.message_index]
        rest = args[call.message_index + 1 :]
        if len(args) == 1 and self._throwable_overload(ctx, call, message):
            # Jetty's LOG.warn(e) is warn(Throwable): an empty message and the stack trace
            return Template("", (), " ".join(self.r.text(ctx, message).split()))
        if message.type == "lambda_expression":  # log4j2 Supplier<String> message
            body = message.child_by_field_name("body")
            if body is not None and body.type != "block":
                message = body
        parts = self.fold(ctx, message) or [Hole(message, ctx)]
        exception: Node | None = None
        if call.style == "printf":  # a facade of the repository's own that formats with String.format
            if all(isinstance(p, str) for p in parts):
                parts = printf_parts("".join(p for p in parts if isinstance(p, str)), expand_array(rest), ctx)
            rest = []
        elif call.style == "message_format":  # java.util.logging: log(level, msg, Throwable | ...)
            if len(rest) == 1 and self._is_throwable(ctx, rest[0], default=False):
                exception = rest[0]
                rest = []
            parts, _ = apply_message_format(parts, expand_array(rest), ctx)
        else:
            parts, used = apply_placeholders(parts, rest, ctx)
            leftover = rest[used:]
            if leftover and self._is_throwable(ctx, leftover[-1], default=True):
                exception = leftover[-1]
        if call.thrown is not None:
            exception = call.thrown
        parts = [self._inline_constant(p) if isinstance(p, Hole) else p for p in parts]
        return self._render(parts, self.r.text(ctx, exception) if exception is not None else "")

    def _inline_constant(self, hole: Hole) -> Part:
        """``LOG.info("{} = {}", PROPERTY_NAME, value)``: a constant argument prints as text."""
        if hole.inline == "none":
            return hole
        text = self._constant_text(hole.ctx, hole.node, 0)
        if text is None or (hole.inline == "strings" and self.r.type_of(hole.ctx, hole.node) != _STRING):
            return hole
        return text

    def _constant_text(self, ctx: Context, node: Node, depth: int) -> str | None:
        if depth >= _MAX_CONSTANT_DEPTH:
            return None
        kind = node.type
        if kind in ("string_literal", "binary_expression", "parenthesized_expression"):
            parts = self.fold(ctx, node, depth)
            if parts is not None and all(isinstance(p, str) for p in parts):
                return "".join(p for p in parts if isinstance(p, str))
            return None
        if kind == "character_literal":
            return decode_char(self.r.text(ctx, node))
        if kind in ("identifier", "field_access"):
            found = None
            if kind == "identifier":
                found = self.r.local_initializer(ctx, self.r.text(ctx, node))
            found = found or self.r.constant_initializer(ctx, node)
            return None if found is None else self._constant_text(found[0], found[1], depth + 1)
        return literal_text(kind, self.r.text(ctx, node))

    def _throwable_overload(self, ctx: Context, call: LogCall, message: Node) -> bool:
        """The logger is an in-repo facade with a ``level(Throwable)`` overload and the only
        argument is a Throwable: that overload prints no message of its own, only the throwable.
        (Library loggers take an ``Object`` there and print its ``toString()`` as the message.)"""
        receiver, name = call.node.child_by_field_name("object"), call.node.child_by_field_name("name")
        if receiver is None or name is None or not self._is_throwable(ctx, message, default=False):
            return False
        logger = self.r.type_of(ctx, receiver)
        if logger is None or logger not in self.r.index.types:
            return False
        level = self.r.text(ctx, name)
        for ancestor in self.r.index.ancestors(logger):
            for method_id in self.r.index.methods_named(ancestor, level):
                parameters = self.r.table.methods[method_id].info.parameters
                if len(parameters) == 1 and parameters[0].type_name.endswith(("Throwable", "Exception")):
                    return True
        return False

    def _is_throwable(self, ctx: Context, node: Node, default: bool) -> bool:
        """SLF4J treats a surplus last argument as the exception only when it is a Throwable."""
        resolved = self.r.type_of(ctx, node)
        if resolved is None:
            return default
        names = [resolved]
        if resolved in self.r.index.types:
            ancestors = self.r.index.ancestors(resolved)
            names = [*ancestors, *(self.r.index.types[a].info.superclass or "" for a in ancestors)]
        return any(n.endswith(("Exception", "Error", "Throwable")) for n in names)

    def _render(self, parts: list[Part], exception: str) -> Template:
        text: list[str] = []
        slots: list[Slot] = []
        for part in merge(parts):
            if isinstance(part, str):
                text.append(part)
            else:
                expression = " ".join(self.r.text(part.ctx, part.node).split())
                resolved = self.r.type_of(part.ctx, part.node)
                prints = self.printed.starts(resolved)
                slots.append(Slot(len(slots), expression, slot_type_name(resolved), prints))
                text.append("{}")
        return Template("".join(text), tuple(slots), " ".join(exception.split()))

    # -- folding -------------------------------------------------------------------------
    def fold(self, ctx: Context, node: Node, depth: int = 0) -> list[Part] | None:
        """Parts of a string-valued expression with constant text, or None when opaque."""
        if depth > _MAX_NESTING:
            return None
        kind = node.type
        if kind == "string_literal":
            return [decode_string(self.r.text(ctx, node))]
        if kind == "parenthesized_expression" and node.named_child_count:
            return self.fold(ctx, node.named_children[0], depth + 1)
        if kind == "binary_expression":
            return self._concatenation(ctx, node, depth)
        if kind in ("identifier", "field_access"):
            return self._constant(ctx, node, depth)
        if kind == "method_invocation":
            return (self._format_call(ctx, node, depth) or self._string_builder(ctx, node, depth)
                    or self._message_helper(ctx, node, depth))
        return None

    def _concatenation(self, ctx: Context, node: Node, depth: int) -> list[Part] | None:
        """``a + b + c`` left to right, the way Java evaluates it: numbers add up until the first
        string operand, everything after it is concatenated. Iterative: chains can be long."""
        chain = plus_chain(self.r, ctx, node)
        if chain is None:
            return None
        operands, prefixes = chain
        folded = [self.fold(ctx, operand, depth + 1) for operand in operands]
        first = next(
            (i for i, parts in enumerate(folded)
             if parts is not None or self.r.type_of(ctx, operands[i]) == _STRING),
            None,
        )
        if first is None:
            return None  # numeric addition: one opaque value
        out: list[Part] = []
        if first >= 2:
            out.append(Hole(prefixes[first - 2], ctx))  # the sum computed before the first string
        elif first == 1:
            out += self._operand(ctx, operands[0])
        for operand, parts in zip(operands[first:], folded[first:], strict=True):
            out += parts if parts is not None else self._operand(ctx, operand)
        return out

    def _operand(self, ctx: Context, node: Node, depth: int = 0) -> list[Part]:
        """A non-string operand of ``+``: literals and constants print as text, the rest is a slot."""
        text = literal_text(node.type, self.r.text(ctx, node))
        if text is not None:
            return [text]
        if node.type == "character_literal":
            return [decode_char(self.r.text(ctx, node))]
        if node.type in ("identifier", "field_access") and depth < _MAX_CONSTANT_DEPTH:
            found = self.r.constant_initializer(ctx, node)
            if found is not None:
                init_ctx, init = found
                constant = self._operand(init_ctx, init, depth + 1)
                if all(isinstance(p, str) for p in constant):
                    return constant
        return [Hole(node, ctx)]

    def _constant(self, ctx: Context, node: Node, depth: int) -> list[Part] | None:
        if depth >= _MAX_CONSTANT_DEPTH:
            return None
        if node.type == "identifier" and ctx.method is not None:
            bound = self._bound.get((ctx.method.info.id, self.r.text(ctx, node)))
            if bound is not None:
                caller, nodes, varargs = bound
                return None if varargs or not nodes else self.fold(caller, nodes[0], depth + 1)
        if node.type == "identifier":
            local = self.r.local_initializer(ctx, self.r.text(ctx, node), at=node.start_byte)
            if local is not None:  # a message built into a local first: its parts, slots included
                return self.fold(local[0], local[1], depth + 1)
            appended = self._appended_local(ctx, node, depth)
            if appended is not None:
                return appended
        found = self.r.constant_initializer(ctx, node)
        if found is None:
            return None
        init_ctx, init = found
        parts = self.fold(init_ctx, init, depth + 1)
        if parts is None or not all(isinstance(p, str) for p in parts):
            return None  # only compile-time constants fold; anything else is a runtime value
        return parts

    def _bundle_message(self, ctx: Context, obj: Node, args: list[Node], depth: int) -> list[Part] | None:
        """``sm.getString("key", a, b)``: the key's pattern in the repository's message bundles.

        The receiver must be a message source by type (Tomcat's ``StringManager``, a
        ``ResourceBundle``...); an untyped receiver is trusted only for a key of a bundle in the
        caller's own package. With values the pattern is a MessageFormat; without, its text is
        returned as written (that is what those APIs do).
        """
        key_parts = self.fold(ctx, args[0], depth + 1)
        if key_parts is None or not all(isinstance(p, str) for p in key_parts):
            return None
        receiver = self.r.type_of(ctx, obj) or self.r.as_type_name(ctx, obj)  # sm. / Localizer.
        if receiver is not None and not simple_name(receiver).endswith(_MESSAGE_SOURCES):
            return None
        key = "".join(p for p in key_parts if isinstance(p, str))
        pattern = self.bundles.lookup(key, ctx.type.scope.package, anywhere=receiver is not None)
        if pattern is None:
            return None
        values, values_ctx = self._values(ctx, args[1:])
        if not values:
            return [pattern]
        parts, _ = apply_message_format([pattern], values, values_ctx)
        return parts

    def _values(self, ctx: Context, args: list[Node]) -> tuple[list[Node], Context]:
        """The values passed on to a format: a helper's own ``Object... args`` forwarded as is
        stands for what its caller passed (in the caller's context)."""
        if len(args) == 1 and args[0].type == "identifier" and ctx.method is not None:
            bound = self._bound.get((ctx.method.info.id, self.r.text(ctx, args[0])))
            if bound is not None and bound[2]:
                return expand_array(bound[1]), bound[0]
        return expand_array(args), ctx

    def _appended_local(self, ctx: Context, node: Node, depth: int) -> list[Part] | None:
        """``String error = "An error: " + e; if (x) error += " hint"; error += " done";``: the
        initializer, then each ``+=`` before the use in source order. An unconditional append
        folds like any operand; one under an ``if``/loop/``try`` may not happen, so it is one
        slot (possibly empty). Any plain ``=`` in scope, or any change after the use, gives up."""
        name = self.r.text(ctx, node)
        scope = self.r.local_in_scope(ctx, name, node.start_byte)
        if scope is None:
            return None
        decl_ctx, start, end, value = scope
        if value is None:
            return None
        changes = self.r.assignments_in(decl_ctx, name, start, end)
        if not changes or any(a.start_byte > node.start_byte for a in changes):
            return None
        parts = self.fold(decl_ctx, value, depth + 1)
        declaration = value.parent.parent if value.parent is not None else None
        if parts is None or declaration is None or declaration.parent is None:
            return None
        for assigned in sorted(changes, key=lambda a: a.start_byte):
            change = assigned.parent
            if change is None or change.type != "assignment_expression":
                return None  # x++ / x--: not a message any more
            operator, right = change.child_by_field_name("operator"), change.child_by_field_name("right")
            if operator is None or right is None or decl_ctx.type.parsed.text(operator) != "+=":
                return None
            if _conditional(change, declaration.parent):
                # text or nothing: a slot named by the whole ``msg += ...`` (synth reads it so)
                parts.append(Hole(change, decl_ctx, inline="none"))
            else:
                parts += self.fold(decl_ctx, right, depth + 1) or self._operand(decl_ctx, right)
        return parts

    def _format_call(self, ctx: Context, node: Node, depth: int) -> list[Part] | None:
        name_node, obj = node.child_by_field_name("name"), node.child_by_field_name("object")
        if name_node is None or obj is None:
            return None
        owner = self.r.text(ctx, obj).rsplit(".", 1)[-1]
        name = self.r.text(ctx, name_node)
        args = arguments(node)
        if name in _BUNDLE_METHODS and args:
            return self._bundle_message(ctx, obj, args, depth)
        if name != "format" or owner not in ("String", "MessageFormat") or not args:
            return None
        pattern_parts = self.fold(ctx, args[0], depth)
        if pattern_parts is None or not all(isinstance(p, str) for p in pattern_parts):
            return None
        pattern = "".join(p for p in pattern_parts if isinstance(p, str))
        values, values_ctx = self._values(ctx, args[1:])
        if owner == "String":
            return printf_parts(pattern, values, values_ctx)
        parts, _ = apply_message_format([pattern], values, values_ctx)
        return parts

    def _string_builder(self, ctx: Context, node: Node, depth: int) -> list[Part] | None:
        """``new StringBuilder(a).append(b).append(' ').append(c).toString()``: the appended parts
        in order, folded like the operands of ``+`` (a ``char`` prints as text). A capacity given
        to the constructor is not text; a builder kept in a variable is not read."""
        name, current = node.child_by_field_name("name"), node.child_by_field_name("object")
        if name is None or current is None or self.r.text(ctx, name) != "toString" or arguments(node):
            return None
        appended: list[Node] = []
        while current.type == "method_invocation":
            step, args = current.child_by_field_name("name"), arguments(current)
            if step is None or self.r.text(ctx, step) != "append" or len(args) != 1:
                return None
            appended.append(args[0])
            receiver = current.child_by_field_name("object")
            if receiver is None:
                return None
            current = receiver
        created = current.child_by_field_name("type")
        if current.type != "object_creation_expression" or created is None or (
                simple_name(self.r.text(ctx, created)) not in _BUILDERS):
            return None
        start = arguments(current)
        parts: list[Part] = []
        if start and (start[0].type == "string_literal" or self.r.type_of(ctx, start[0]) == _STRING):
            parts += self.fold(ctx, start[0], depth + 1) or [Hole(start[0], ctx)]
        for arg in reversed(appended):  # walked from toString() inwards: last append first
            parts += self.fold(ctx, arg, depth + 1) or self._operand(ctx, arg)
        return parts

    def _message_helper(self, ctx: Context, node: Node, depth: int) -> list[Part] | None:
        """``LOG.warn(buildLogMessage(ex, request))`` where the repository's own method only returns
        a string expression (``return "Resolved exception ...: " + ex;``): that expression's
        parts. A parameter printed as is takes the caller's argument, so the slot is named (and
        typed) by what the call passes and a literal argument prints as text. Only a method no
        class of the repository overrides is read: an override would print something else."""
        resolution = self.r.resolve_call(ctx, node)
        if resolution.status != RESOLVED or len(resolution.targets) != 1:
            return None
        decl = self.r.table.methods.get(resolution.targets[0])
        if decl is None or simple_name(decl.info.return_type) != "String" or self._overridden(decl):
            return None
        returned = _only_return(decl.info.body) or _only_return(_guarded_block(decl.info.body))
        if returned is None:
            return None
        helper = Context(decl.decl_type, decl)
        args = arguments(node)
        keys = []
        for position, param in enumerate(decl.info.parameters):
            key = (decl.info.id, param.name)
            if key in self._bound:
                return None  # recursion through the same helper: opaque
            varargs = param.type_name.endswith("...")
            self._bound[key] = (ctx, args[position:] if varargs else args[position:position + 1], varargs)
            keys.append(key)
        try:
            parts = self.fold(helper, returned, depth + 1)
        finally:
            for key in keys:
                self._bound.pop(key, None)
        if parts is None:
            return None
        positions = {p.name: i for i, p in enumerate(decl.info.parameters)
                     if not p.type_name.endswith("...")}
        out: list[Part] = []
        for part in parts:
            if not (isinstance(part, Hole) and part.ctx.method is decl and part.node.type == "identifier"):
                out.append(part)
                continue
            index = positions.get(self.r.text(helper, part.node))
            if index is None or index >= len(args):
                out.append(part)
                continue
            out += self.fold(ctx, args[index], depth + 1) or [Hole(args[index], ctx, part.inline)]
        return out

    def _overridden(self, decl: MethodDecl) -> bool:
        info = decl.info
        if {"private", "static", "final"} & set(info.modifiers):
            return False
        shape = tuple(p.type_name for p in info.parameters)
        return any(
            tuple(p.type_name for p in self.r.table.methods[other].info.parameters) == shape
            for sub in self.r.index.descendants(info.type_name)
            for other in self.r.index.methods_named(sub, info.name))


def _guarded_block(body: Node | None) -> Node | None:
    """The ``try`` block of a body that is one ``try { ...; return e; } catch ...`` (a bundle
    helper that falls back when a key is missing): its return is the message printed."""
    if body is None or body.type != "block":
        return None
    statements = [c for c in body.named_children if c.type not in ("line_comment", "block_comment")]
    if len(statements) != 1 or statements[0].type != "try_statement":
        return None
    return statements[0].child_by_field_name("body")


def _only_return(body: Node | None) -> Node | None:
    """The expression of a body that declares locals, then returns: ``{ T x = ...; return e; }``."""
    if body is None or body.type != "block":
        return None
    statements = [c for c in body.named_children if c.type not in ("line_comment", "block_comment")]
    if not statements or statements[-1].type != "return_statement":
        return None
    if any(s.type != "local_variable_declaration" for s in statements[:-1]):
        return None
    returned = statements[-1].named_children
    return returned[0] if returned else None
