"""One pass over a parsed file: types, fields, methods, lambdas, locals and invocation sites.

The walk is iterative (deep string concatenations would overflow Python's recursion limit) and
visits siblings in source order, so "last declaration wins" for locals and anonymous classes
are numbered the way javac numbers them (``Outer$1``, ``Outer$2`` per enclosing class).
Declarations that overlap a syntax error are dropped; everything else in the file is kept.
"""

from __future__ import annotations

from anomalygen.tools.java.model import MethodInfo, Parameter, TypeInfo
from anomalygen.tools.java.parse import ParsedFile
from anomalygen.tools.java.symbols import FileScope, MethodDecl, SymbolTable, TypeDecl
from anomalygen.tools.java.typenames import erase
from tree_sitter import Node

_TYPE_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "record",
    "annotation_type_declaration": "annotation",
}
_METHODS = {"method_declaration", "constructor_declaration", "compact_constructor_declaration"}
_MEMBER_CONTAINERS = {
    "class_body", "interface_body", "enum_body", "enum_body_declarations", "annotation_type_body",
}
_INVOCATIONS = {"method_invocation", "object_creation_expression", "explicit_constructor_invocation"}
_LEAVES_TO_SKIP = {
    "line_comment", "block_comment", "string_literal", "identifier", "type_identifier",
    "decimal_integer_literal", "character_literal", "modifiers", "annotation",
    "marker_annotation", "type_arguments", "type_parameters", "dimensions",
}

Frame = tuple[Node, TypeDecl | None, MethodDecl | None, bool]
"""(node, enclosing type, enclosing body, is a member of a class body)."""


def read_scope(parsed: ParsedFile) -> FileScope:
    """Package and imports of a compilation unit."""
    scope = FileScope(parsed.file, "")
    for child in parsed.tree.root_node.named_children:
        if child.type == "package_declaration":
            name = _first_named(child, ("scoped_identifier", "identifier"))
            if name is not None:
                scope.package = parsed.text(name)
        elif child.type == "import_declaration":
            kinds = {c.type for c in child.children}
            name_node = _first_named(child, ("scoped_identifier", "identifier"))
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


def collect_declarations(parsed: ParsedFile, table: SymbolTable) -> FileScope:
    scope = read_scope(parsed)
    if scope.package:
        table.packages.add(scope.package)
    _Walker(parsed, scope, table).run()
    return scope


class _Walker:
    __slots__ = ("parsed", "scope", "stack", "table")

    def __init__(self, parsed: ParsedFile, scope: FileScope, table: SymbolTable) -> None:
        self.parsed = parsed
        self.scope = scope
        self.table = table
        self.stack: list[Frame] = []

    def run(self) -> None:
        self._push_children(self.parsed.tree.root_node, None, None)
        while self.stack:
            node, owner, body, member = self.stack.pop()
            kind = node.type
            if kind in _TYPE_KINDS:
                self._type(node, kind, owner, body)
            elif kind in _METHODS and owner is not None:
                self._method(node, owner)
            elif kind == "static_initializer" and owner is not None:
                self._initializer(node, owner, "<clinit>")
            elif kind == "block" and member and owner is not None:
                self._initializer(node, owner, "<init>")
            elif kind in _MEMBER_CONTAINERS:
                self._push_children(node, owner, None, member=True)
            elif kind in ("field_declaration", "constant_declaration") and owner is not None:
                self._field(node, owner)
            elif kind == "lambda_expression" and owner is not None:
                self._lambda(node, owner, body)
            elif kind == "enum_constant" and owner is not None:
                self._enum_constant(node, owner)
            else:
                if kind in _INVOCATIONS and owner is not None:
                    self._record_invocation(node, owner, body)
                    if kind == "object_creation_expression" and owner is not None:
                        anonymous = _child_of_type(node, "class_body")
                        if anonymous is not None:
                            self._anonymous(node, anonymous, owner, body)
                            continue
                elif body is not None:
                    self._maybe_local(node, kind, body)
                if kind not in _LEAVES_TO_SKIP:
                    self._push_children(node, owner, body)

    # -- helpers -------------------------------------------------------------------------
    def _push_children(
        self, node: Node, owner: TypeDecl | None, body: MethodDecl | None, member: bool = False
    ) -> None:
        children = node.named_children
        for child in reversed(children):
            self.stack.append((child, owner, body, member))

    def _text(self, node: Node | None) -> str:
        return "" if node is None else self.parsed.text(node)

    def _record_invocation(self, node: Node, owner: TypeDecl, body: MethodDecl | None) -> None:
        if body is not None:
            body.invocations.append(node)
        else:
            owner.field_invocations.append(node)

    # -- types ---------------------------------------------------------------------------
    def _type(self, node: Node, kind: str, owner: TypeDecl | None, body: MethodDecl | None) -> None:
        simple = self._text(node.child_by_field_name("name"))
        if owner is not None:
            name = f"{owner.info.name}.{simple}"
        else:
            name = f"{self.scope.package}.{simple}" if self.scope.package else simple
        decl = self._new_type(node, name, simple, _TYPE_KINDS[kind], owner, body)
        superclass = node.child_by_field_name("superclass")
        if superclass is not None and superclass.named_child_count:
            decl.superclass_written = erase(self._text(superclass.named_children[0]))
        interfaces = node.child_by_field_name("interfaces") or _child_of_type(
            node, "extends_interfaces"
        )
        if interfaces is not None:
            type_list = _child_of_type(interfaces, "type_list")
            if type_list is not None:
                decl.interfaces_written = tuple(
                    erase(self._text(t)) for t in type_list.named_children
                )
        if kind == "record_declaration":
            for param in _parameters(self, node.child_by_field_name("parameters")):
                decl.info.fields[param.name] = param.type_name
        class_body = node.child_by_field_name("body")
        if class_body is not None:
            self.stack.append((class_body, decl, None, False))

    def _new_type(
        self,
        node: Node,
        name: str,
        simple: str,
        kind: str,
        owner: TypeDecl | None,
        body: MethodDecl | None,
    ) -> TypeDecl:
        info = TypeInfo(name=name, simple_name=simple, kind=kind, file=self.parsed.file)
        decl = TypeDecl(
            info=info,
            parsed=self.parsed,
            scope=self.scope,
            node=node,
            outer=owner.info.name if owner is not None else None,
            enclosing_method=body.info.id if body is not None else None,
        )
        self.table.add_type(decl)
        return decl

    def _anonymous(
        self, creation: Node, class_body: Node, owner: TypeDecl, body: MethodDecl | None
    ) -> None:
        owner.anonymous_count += 1
        name = f"{owner.info.name}${owner.anonymous_count}"
        decl = self._new_type(creation, name, name.rsplit(".", 1)[-1], "class", owner, body)
        decl.anonymous = True
        decl.superclass_written = erase(self._text(creation.child_by_field_name("type")))
        self.stack.append((class_body, decl, None, False))
        arguments = creation.child_by_field_name("arguments")
        if arguments is not None:
            self.stack.append((arguments, owner, body, False))

    def _enum_constant(self, node: Node, owner: TypeDecl) -> None:
        arguments = node.child_by_field_name("arguments")
        class_body = node.child_by_field_name("body")
        if class_body is not None:
            owner.anonymous_count += 1
            name = f"{owner.info.name}${owner.anonymous_count}"
            decl = self._new_type(node, name, name.rsplit(".", 1)[-1], "class", owner, None)
            decl.anonymous = True
            decl.superclass_written = owner.info.simple_name
            self.stack.append((class_body, decl, None, False))
        if arguments is not None:
            self.stack.append((arguments, owner, None, False))
        owner.info.fields[self._text(node.child_by_field_name("name"))] = owner.info.simple_name

    def _field(self, node: Node, owner: TypeDecl) -> None:
        type_name = erase(self._text(node.child_by_field_name("type")))
        modifiers = _modifiers(self, node)
        constant = "final" in modifiers or node.type == "constant_declaration" or (
            owner.info.kind == "interface"
        )
        for declarator in node.children_by_field_name("declarator"):
            name = self._text(declarator.child_by_field_name("name"))
            dims = self._text(declarator.child_by_field_name("dimensions")).replace(" ", "")
            owner.info.fields[name] = type_name + dims
            value = declarator.child_by_field_name("value")
            if value is not None:
                if constant:
                    owner.constants[name] = value
                self.stack.append((value, owner, None, False))

    # -- bodies --------------------------------------------------------------------------
    def _method(self, node: Node, owner: TypeDecl) -> None:
        if self.parsed.has_error_in(node):
            return  # the span is reported as a ParseError; keep the file's good methods
        name = self._text(node.child_by_field_name("name"))
        params = _parameters(self, node.child_by_field_name("parameters"))
        if node.type == "compact_constructor_declaration":
            params = tuple(Parameter(n, t) for n, t in owner.info.fields.items())
        if node.type == "method_declaration":
            return_type = erase(self._text(node.child_by_field_name("type")))
        else:
            return_type = "void"
        method_id = f"{owner.info.name}.{name}({','.join(p.type_name for p in params)})"
        body_node = node.child_by_field_name("body")
        info = MethodInfo(
            id=method_id,
            type_name=owner.info.name,
            name=name,
            parameters=params,
            return_type=return_type,
            file=self.parsed.file,
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            node=node,
            body=body_node,
            modifiers=_modifiers(self, node),
            locals={p.name: p.type_name for p in params},
        )
        self._add_body(info, owner, body_node)

    def _initializer(self, node: Node, owner: TypeDecl, name: str) -> None:
        if self.parsed.has_error_in(node):
            return
        body_node = node if node.type == "block" else _child_of_type(node, "block")
        info = MethodInfo(
            id=f"{owner.info.name}.{name}()",
            type_name=owner.info.name,
            name=name,
            parameters=(),
            return_type="void",
            file=self.parsed.file,
            start_line=node.start_point.row + 1,
            end_line=node.end_point.row + 1,
            node=node,
            body=body_node,
            modifiers=("static",) if name == "<clinit>" else (),
        )
        self._add_body(info, owner, body_node)

    def _add_body(self, info: MethodInfo, owner: TypeDecl, body_node: Node | None) -> None:
        decl = MethodDecl(info=info, decl_type=owner, enclosing=owner.enclosing_method)
        self.table.add_method(decl)
        decl.outer_method = info.id
        if body_node is not None:
            self.stack.append((body_node, owner, decl, False))

    def _lambda(self, node: Node, owner: TypeDecl, body: MethodDecl | None) -> None:
        line, col = node.start_point.row + 1, node.start_point.column + 1
        enclosing = body.info.id if body is not None else f"{owner.info.name}.<init>()"
        params_node = node.child_by_field_name("parameters")
        if params_node is not None and params_node.type == "identifier":
            params: tuple[Parameter, ...] = (Parameter(self._text(params_node), ""),)
        elif params_node is not None and params_node.type == "inferred_parameters":
            params = tuple(Parameter(self._text(p), "") for p in params_node.named_children)
        else:
            params = _parameters(self, params_node)
        body_node = node.child_by_field_name("body")
        info = MethodInfo(
            id=f"{enclosing}$lambda@{line}:{col}",
            type_name=owner.info.name,
            name="lambda",
            parameters=params,
            return_type="",
            file=self.parsed.file,
            start_line=line,
            end_line=node.end_point.row + 1,
            node=node,
            body=body_node,
            is_lambda=True,
            locals={p.name: p.type_name for p in params if p.type_name},
        )
        decl = MethodDecl(
            info=info,
            decl_type=owner,
            enclosing=body.info.id if body is not None else None,
            outer_method=body.outer_method if body is not None else enclosing,
        )
        self.table.add_method(decl)
        if body_node is not None:
            self.stack.append((body_node, owner, decl, False))

    def _maybe_local(self, node: Node, kind: str, body: MethodDecl) -> None:
        local_types = body.info.locals
        if kind == "local_variable_declaration":
            written = erase(self._text(node.child_by_field_name("type")))
            for declarator in node.children_by_field_name("declarator"):
                name = self._text(declarator.child_by_field_name("name"))
                type_name = written
                value = declarator.child_by_field_name("value")
                if written == "var" and value is not None:
                    type_name = self._inferred(value) or "var"
                dims = self._text(declarator.child_by_field_name("dimensions")).replace(" ", "")
                local_types[name] = type_name + dims
        elif kind == "catch_formal_parameter":
            catch_type = _child_of_type(node, "catch_type")
            types = catch_type.named_children if catch_type is not None else []
            written = erase(self._text(types[0])) if len(types) == 1 else "Exception"
            local_types[self._text(node.child_by_field_name("name"))] = written
        elif kind in ("enhanced_for_statement", "resource", "instanceof_expression"):
            type_node = node.child_by_field_name("type" if kind != "instanceof_expression" else "right")
            name_node = node.child_by_field_name("name")
            if type_node is not None and name_node is not None:
                local_types[self._text(name_node)] = erase(self._text(type_node))

    def _inferred(self, value: Node) -> str | None:
        if value.type == "object_creation_expression":
            return erase(self._text(value.child_by_field_name("type")))
        if value.type == "cast_expression":
            return erase(self._text(value.child_by_field_name("type")))
        if value.type == "string_literal":
            return "String"
        return None


def _parameters(walker: _Walker, node: Node | None) -> tuple[Parameter, ...]:
    if node is None:
        return ()
    params: list[Parameter] = []
    for child in node.named_children:
        if child.type == "formal_parameter":
            written = erase(walker._text(child.child_by_field_name("type")))
            dims = walker._text(child.child_by_field_name("dimensions")).replace(" ", "")
            params.append(Parameter(walker._text(child.child_by_field_name("name")), written + dims))
        elif child.type == "spread_parameter":
            type_node = next(
                (c for c in child.named_children if c.type not in ("modifiers", "variable_declarator")),
                None,
            )
            declarator = _child_of_type(child, "variable_declarator")
            name = walker._text(declarator.child_by_field_name("name")) if declarator else ""
            params.append(Parameter(name, erase(walker._text(type_node)) + "..."))
    return tuple(params)


def _modifiers(walker: _Walker, node: Node) -> tuple[str, ...]:
    modifiers = _child_of_type(node, "modifiers")
    if modifiers is None:
        return ()
    return tuple(
        walker._text(c) for c in modifiers.children if c.type not in ("annotation", "marker_annotation")
    )


def _child_of_type(node: Node, kind: str) -> Node | None:
    for child in node.children:
        if child.type == kind:
            return child
    return None


def _first_named(node: Node, kinds: tuple[str, ...]) -> Node | None:
    for child in node.named_children:
        if child.type in kinds:
            return child
    return None
