"""Small readers of tree-sitter-java nodes shared by the declaration walker."""

from __future__ import annotations

from tree_sitter import Node

from anomalygen.tools.java.model import Parameter
from anomalygen.tools.java.parse import ParsedFile
from anomalygen.tools.java.symbols import FileScope
from anomalygen.tools.java.typenames import erase


def _text(parsed: ParsedFile, node: Node | None) -> str:
    return "" if node is None else parsed.text(node)


def read_scope(parsed: ParsedFile) -> FileScope:
    """Package and imports of a compilation unit."""
    scope = FileScope(parsed.file, "")
    for child in parsed.tree.root_node.named_children:
        if child.type == "package_declaration":
            name = first_named(child, ("scoped_identifier", "identifier"))
            if name is not None:
                scope.package = parsed.text(name)
        elif child.type == "import_declaration":
            kinds = {c.type for c in child.children}
            name_node = first_named(child, ("scoped_identifier", "identifier"))
            if name_node is None:
                continue
            imported = parsed.text(name_node).replace(" ", "")
            if "static" in kinds:
                if "asterisk" in kinds:
                    scope.static_wildcards.append(imported)
                elif "." in imported:
                    owner, member = imported.rsplit(".", 1)
                    scope.static_imports[member] = owner
            elif "asterisk" in kinds:
                scope.wildcard_imports.append(imported)
            else:
                scope.imports[imported.rsplit(".", 1)[-1]] = imported
    return scope


def qualified(written: str) -> str:
    return erase(written, qualified=True)


def type_arguments(parsed: ParsedFile, type_node: Node | None) -> tuple[str, ...]:
    """``Map<String, ? extends Foo>`` -> ``("String", "Foo")``; () for a non-generic type."""
    if type_node is None or type_node.type != "generic_type":
        return ()
    arguments = child_of_type(type_node, "type_arguments")
    if arguments is None:
        return ()
    found: list[str] = []
    for argument in arguments.named_children:
        if argument.type == "wildcard":
            bounds = [c for c in argument.named_children if c.type not in ("annotation", "marker_annotation")]
            found.append(qualified(_text(parsed, bounds[-1])) if bounds else "Object")
        else:
            found.append(qualified(_text(parsed, argument)))
    return tuple(found)


def read_parameters(parsed: ParsedFile, node: Node | None) -> tuple[Parameter, ...]:
    """Parameters with their types as written (package kept; ``Parameter.simple`` for ids)."""
    if node is None:
        return ()
    params: list[Parameter] = []
    for child in node.named_children:
        if child.type == "formal_parameter":
            written = qualified(_text(parsed, child.child_by_field_name("type")))
            dims = _text(parsed, child.child_by_field_name("dimensions")).replace(" ", "")
            params.append(Parameter(_text(parsed, child.child_by_field_name("name")), written + dims))
        elif child.type == "spread_parameter":
            type_node = next(
                (c for c in child.named_children if c.type not in ("modifiers", "variable_declarator")),
                None,
            )
            declarator = child_of_type(child, "variable_declarator")
            name = _text(parsed, declarator.child_by_field_name("name")) if declarator else ""
            params.append(Parameter(name, qualified(_text(parsed, type_node)) + "..."))
    return tuple(params)


def read_modifiers(parsed: ParsedFile, node: Node) -> tuple[str, ...]:
    modifiers = child_of_type(node, "modifiers")
    if modifiers is None:
        return ()
    return tuple(
        _text(parsed, c) for c in modifiers.children if c.type not in ("annotation", "marker_annotation")
    )


def child_of_type(node: Node, kind: str) -> Node | None:
    for child in node.children:
        if child.type == kind:
            return child
    return None


def first_named(node: Node, kinds: tuple[str, ...]) -> Node | None:
    for child in node.named_children:
        if child.type in kinds:
            return child
    return None
