"""Locals: every declaration of a variable inside a body, with the scope it is visible in."""

from __future__ import annotations

from tree_sitter import Node

from anomalygen.tools.java.parse import ParsedFile
from anomalygen.tools.java.symbols import LocalDeclaration, MethodDecl
from anomalygen.tools.java.syntax import child_of_type, qualified, type_arguments


def _text(parsed: ParsedFile, node: Node | None) -> str:
    return "" if node is None else parsed.text(node)


def declare_local(parsed: ParsedFile, node: Node, body: MethodDecl) -> None:
    """Record the local(s) a declaration-like node introduces in ``body``."""
    kind = node.type
    if kind == "local_variable_declaration":
        type_node = node.child_by_field_name("type")
        written = qualified(_text(parsed, type_node))
        type_args = type_arguments(parsed, type_node)
        scope_end = node.parent.end_byte if node.parent is not None else body.info.node.end_byte
        for declarator in node.children_by_field_name("declarator"):
            name = _text(parsed, declarator.child_by_field_name("name"))
            type_name = written
            value = declarator.child_by_field_name("value")
            if written == "var" and value is not None:
                type_name = _inferred(parsed, value) or "var"
            dims = _text(parsed, declarator.child_by_field_name("dimensions")).replace(" ", "")
            _declare(body, name, type_name + dims, declarator.start_byte, scope_end, value)
            if type_args and not dims:
                body.type_args[name] = type_args
            if value is not None:
                if name in body.local_values:
                    body.reassigned.add(name)  # declared twice (sibling blocks): ambiguous
                body.local_values[name] = value
    elif kind == "catch_formal_parameter":
        catch_type = child_of_type(node, "catch_type")
        types = catch_type.named_children if catch_type is not None else []
        written = qualified(_text(parsed, types[0])) if len(types) == 1 else "Exception"
        clause_end = node.parent.end_byte if node.parent is not None else node.end_byte
        name = _text(parsed, node.child_by_field_name("name"))
        _declare(body, name, written, node.start_byte, clause_end)
    elif kind in ("enhanced_for_statement", "resource", "instanceof_expression"):
        type_node = node.child_by_field_name("type" if kind != "instanceof_expression" else "right")
        name_node = node.child_by_field_name("name")
        if type_node is not None and name_node is not None:
            # for: the loop; resource: the try statement; pattern: flow scoping, approximated
            # by the rest of the body.
            if kind == "enhanced_for_statement":
                end = node.end_byte
            elif kind == "resource" and node.parent is not None and node.parent.parent is not None:
                end = node.parent.parent.end_byte
            else:
                end = body.info.node.end_byte
            name = _text(parsed, name_node)
            _declare(body, name, qualified(_text(parsed, type_node)), node.start_byte, end)
            type_args = type_arguments(parsed, type_node)
            if type_args:
                body.type_args[name] = type_args


def _declare(body: MethodDecl, name: str, type_name: str, start: int, end: int,
             value: Node | None = None) -> None:
    body.info.locals[name] = type_name  # the model's flat view: last declaration wins
    body.scoped_locals.setdefault(name, []).append(LocalDeclaration(start, end, type_name, value))


def _inferred(parsed: ParsedFile, value: Node) -> str | None:
    if value.type == "object_creation_expression":
        return qualified(_text(parsed, value.child_by_field_name("type")))
    if value.type == "cast_expression":
        return qualified(_text(parsed, value.child_by_field_name("type")))
    if value.type == "string_literal":
        return "String"
    return None
