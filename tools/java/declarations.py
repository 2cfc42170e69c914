"""One pass over a parsed file: types, fields, methods, lambdas, locals and invocation sites.

Declarations are visited in source order, so "last declaration wins" for locals and anonymous
classes are numbered the way javac numbers them (``Outer$1``, ``Outer$2`` per enclosing class).
Declarations that overlap a syntax error are dropped; everything else in the file is kept.
"""

from __future__ import annotations

from tree_sitter import Node, Query, QueryCursor

from anomalygen.tools.java.localvars import declare_local
from anomalygen.tools.java.model import MethodInfo, Parameter, TypeInfo
from anomalygen.tools.java.parse import JAVA, ParsedFile
from anomalygen.tools.java.symbols import FileScope, MethodDecl, SymbolTable, TypeDecl
from anomalygen.tools.java.syntax import (
    child_of_type,
    qualified,
    read_modifiers,
    read_parameters,
    read_scope,
    type_arguments,
)
from anomalygen.tools.java.typenames import erase

_TYPE_KINDS = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "record",
    "annotation_type_declaration": "annotation",
}
_DECLARATIONS = Query(
    JAVA,
    """
    [(class_declaration) (interface_declaration) (enum_declaration) (record_declaration)
     (annotation_type_declaration)] @type
    (object_creation_expression (class_body) @anonymous)
    (enum_constant) @enum_constant
    (enum_constant body: (class_body) @enum_body)
    [(method_declaration) (constructor_declaration) (compact_constructor_declaration)] @method
    (static_initializer) @clinit
    (class_body (block) @init)
    (enum_body_declarations (block) @init)
    (lambda_expression) @lambda
    [(field_declaration) (constant_declaration)] @field
    [(local_variable_declaration) (catch_formal_parameter) (enhanced_for_statement) (resource)
     (instanceof_expression name: (_))] @local
    [(method_invocation) (object_creation_expression) (explicit_constructor_invocation)] @call
    (assignment_expression left: (identifier) @assigned)
    (update_expression (identifier) @assigned)
    """,
)
_CAPTURE_ORDER = (
    "type", "enum_constant", "anonymous", "enum_body", "method", "clinit", "init", "lambda",
    "field", "call", "local", "assigned",
)
_ORDER = {name: i for i, name in enumerate(_CAPTURE_ORDER)}
"""Tie-break for captures sharing a range: containers open before what they contain."""


class _Open:
    """A declaration whose byte range is still open during the sweep."""

    __slots__ = ("body", "dead", "end", "owner")

    def __init__(self, end: int, owner: TypeDecl | None, body: MethodDecl | None, dead: bool) -> None:
        self.end = end
        self.owner = owner
        self.body = body
        self.dead = dead


def collect_declarations(parsed: ParsedFile, table: SymbolTable) -> FileScope:
    scope = read_scope(parsed)
    if scope.package:
        table.packages.add(scope.package)
    _Walker(parsed, scope, table).run()
    return scope


class _Walker:
    """Sweeps the declaration captures in source order with a stack of open ranges.

    tree-sitter's query engine finds the interesting nodes in C; the stack tells each one its
    innermost enclosing type and body. Syntax nodes are never visited one by one in Python,
    which keeps a repository of a million nodes to well under a second.
    """

    __slots__ = ("open", "parsed", "scope", "table")

    def __init__(self, parsed: ParsedFile, scope: FileScope, table: SymbolTable) -> None:
        self.parsed = parsed
        self.scope = scope
        self.table = table
        self.open: list[_Open] = []

    def run(self) -> None:
        captures = QueryCursor(_DECLARATIONS).captures(self.parsed.tree.root_node)
        ordered = sorted(
            (node.start_byte, -node.end_byte, _ORDER[name], name, node)
            for name, nodes in captures.items()
            for node in nodes
        )
        for start, _, _, name, node in ordered:
            while self.open and self.open[-1].end <= start:
                self.open.pop()
            top = self.open[-1] if self.open else None
            if top is not None and top.dead:
                continue  # inside a declaration dropped for a syntax error
            owner = top.owner if top is not None else None
            body = top.body if top is not None else None
            if name == "type":
                self._type(node, _TYPE_KINDS[node.type], owner, body)
            elif owner is None:
                continue  # stray code outside any type (broken file): nothing to attach it to
            elif name == "call":
                self._record_invocation(node, owner, body)
            elif name == "local":
                if body is not None:
                    declare_local(self.parsed, node, body)
            elif name == "assigned":
                if body is not None:
                    body.reassigned.add(self._text(node))
                    body.assigned_at.setdefault(self._text(node), []).append(node)
            elif name == "method":
                self._method(node, owner)
            elif name == "clinit":
                self._initializer(node, owner, "<clinit>")
            elif name == "init":
                self._initializer(node, owner, "<init>")
            elif name == "lambda":
                self._lambda(node, owner, body)
            elif name == "field":
                self._field(node, owner)
            elif name == "anonymous":
                self._anonymous(node, owner, body)
            elif name == "enum_constant":
                self._enum_constant(node, owner)
            elif name == "enum_body":
                self._enum_body(node, owner)

    def _enter(self, node: Node, owner: TypeDecl | None, body: MethodDecl | None, dead: bool = False) -> None:
        self.open.append(_Open(node.end_byte, owner, body, dead))

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
        decl = self._new_type(node, name, simple, kind, owner, body)
        decl.abstract = "abstract" in read_modifiers(self.parsed, node)
        superclass = node.child_by_field_name("superclass")
        if superclass is not None and superclass.named_child_count:
            decl.superclass_written = qualified(self._text(superclass.named_children[0]))
        interfaces = node.child_by_field_name("interfaces") or child_of_type(
            node, "extends_interfaces"
        )
        if interfaces is not None:
            type_list = child_of_type(interfaces, "type_list")
            if type_list is not None:
                decl.interfaces_written = tuple(
                    qualified(self._text(t)) for t in type_list.named_children
                )
        if node.type == "record_declaration":
            for param in read_parameters(self.parsed, node.child_by_field_name("parameters")):
                decl.info.fields[param.name] = param.type_name
        self._enter(node, decl, None)

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

    def _anonymous(self, class_body: Node, owner: TypeDecl, body: MethodDecl | None) -> None:
        creation = class_body.parent
        if creation is None:
            return
        owner.anonymous_count += 1
        name = f"{owner.info.name}${owner.anonymous_count}"
        decl = self._new_type(creation, name, name.rsplit(".", 1)[-1], "class", owner, body)
        decl.anonymous = True
        decl.superclass_written = qualified(self._text(creation.child_by_field_name("type")))
        self._enter(class_body, decl, None)

    def _enum_constant(self, node: Node, owner: TypeDecl) -> None:
        owner.info.fields[self._text(node.child_by_field_name("name"))] = owner.info.simple_name

    def _enum_body(self, class_body: Node, owner: TypeDecl) -> None:
        """A constant with a body is an anonymous subclass of the enum (javac numbers it so)."""
        owner.anonymous_count += 1
        name = f"{owner.info.name}${owner.anonymous_count}"
        decl = self._new_type(class_body, name, name.rsplit(".", 1)[-1], "class", owner, None)
        decl.anonymous = True
        decl.superclass_written = owner.info.simple_name
        self._enter(class_body, decl, None)

    def _field(self, node: Node, owner: TypeDecl) -> None:
        type_node = node.child_by_field_name("type")
        type_name = qualified(self._text(type_node))
        type_args = type_arguments(self.parsed, type_node)
        modifiers = read_modifiers(self.parsed, node)
        constant = "final" in modifiers or node.type == "constant_declaration" or (
            owner.info.kind == "interface"
        )
        for declarator in node.children_by_field_name("declarator"):
            name = self._text(declarator.child_by_field_name("name"))
            dims = self._text(declarator.child_by_field_name("dimensions")).replace(" ", "")
            owner.info.fields[name] = type_name + dims
            if type_args and not dims:
                owner.type_args[name] = type_args
            value = declarator.child_by_field_name("value")
            if value is not None and constant:
                owner.constants[name] = value

    # -- bodies --------------------------------------------------------------------------
    def _method(self, node: Node, owner: TypeDecl) -> None:
        if self.parsed.has_error_in(node):
            self._enter(node, owner, None, dead=True)  # reported as a ParseError; drop it whole
            return
        name = self._text(node.child_by_field_name("name"))
        params = read_parameters(self.parsed, node.child_by_field_name("parameters"))
        if node.type == "compact_constructor_declaration":
            params = tuple(Parameter(n, t) for n, t in owner.info.fields.items())
        if node.type == "method_declaration":
            return_type = qualified(self._text(node.child_by_field_name("type")))
        else:
            return_type = "void"
        method_id = f"{owner.info.name}.{name}({','.join(erase(p.type_name) for p in params)})"
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
            modifiers=read_modifiers(self.parsed, node),
            locals={p.name: p.type_name for p in params},
        )
        decl = self._add_body(info, owner, node)
        parameters = node.child_by_field_name("parameters")
        for child in parameters.named_children if parameters is not None else []:
            if child.type == "formal_parameter":
                type_args = type_arguments(self.parsed, child.child_by_field_name("type"))
                if type_args:
                    decl.type_args[self._text(child.child_by_field_name("name"))] = type_args

    def _initializer(self, node: Node, owner: TypeDecl, name: str) -> None:
        if self.parsed.has_error_in(node):
            self._enter(node, owner, None, dead=True)
            return
        body_node = node if node.type == "block" else child_of_type(node, "block")
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
        self._add_body(info, owner, node)

    def _add_body(self, info: MethodInfo, owner: TypeDecl, node: Node) -> MethodDecl:
        decl = MethodDecl(info=info, decl_type=owner, enclosing=owner.enclosing_method)
        self.table.add_method(decl)
        decl.outer_method = info.id
        self._enter(node, owner, decl)
        return decl

    def _lambda(self, node: Node, owner: TypeDecl, body: MethodDecl | None) -> None:
        line, col = node.start_point.row + 1, node.start_point.column + 1
        enclosing = body.info.id if body is not None else f"{owner.info.name}.<init>()"
        params_node = node.child_by_field_name("parameters")
        if params_node is not None and params_node.type == "identifier":
            params: tuple[Parameter, ...] = (Parameter(self._text(params_node), ""),)
        elif params_node is not None and params_node.type == "inferred_parameters":
            params = tuple(Parameter(self._text(p), "") for p in params_node.named_children)
        else:
            params = read_parameters(self.parsed, params_node)
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
        self._enter(node, owner, decl)
