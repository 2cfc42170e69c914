"""Declaration-side facts that the Program model does not carry but resolution needs.

The walker (``declarations.py``) fills a ``SymbolTable``; type resolution, log-call detection,
templates and the call graph read it. It is discarded once the ``Program`` is built, except for
the syntax trees, which the Program's ``MethodInfo.node`` keeps alive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from tree_sitter import Node

from anomalygen.tools.java.model import MethodInfo, Program, TypeInfo
from anomalygen.tools.java.parse import ParsedFile


@dataclass(slots=True)
class FileScope:
    """What a simple name can refer to in one compilation unit."""

    file: str
    package: str
    imports: dict[str, str] = field(default_factory=dict)
    """Single-type imports: simple name -> fully qualified name."""
    wildcard_imports: list[str] = field(default_factory=list)
    """``import a.b.*``: packages (or types, for their nested types)."""
    static_imports: dict[str, str] = field(default_factory=dict)
    """``import static a.B.m``: member name -> owner type."""
    static_wildcards: list[str] = field(default_factory=list)
    """``import static a.B.*``: owner types."""


@dataclass(slots=True)
class TypeDecl:
    info: TypeInfo
    parsed: ParsedFile
    scope: FileScope
    node: Node
    outer: str | None = None
    """The lexically enclosing type (nested, local and anonymous classes)."""
    enclosing_method: str | None = None
    """For local and anonymous classes: the method they are declared in (captured locals)."""
    superclass_written: str | None = None
    interfaces_written: tuple[str, ...] = ()
    constants: dict[str, Node] = field(default_factory=dict)
    """Initializer expressions of final fields, for constant folding of log templates."""
    field_invocations: list[Node] = field(default_factory=list)
    """Invocations in field initializers (no enclosing method)."""
    anonymous_count: int = 0
    anonymous: bool = False
    abstract: bool = False
    type_args: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Type arguments of generic fields (``Map<Long, Session>`` -> ``("Long", "Session")``)."""


class LocalDeclaration(NamedTuple):
    start: int
    """Start byte of the declarator (or parameter)."""
    end: int
    """End byte of the scope it is visible in."""
    type_name: str
    """The type as written."""
    value: Node | None = None
    """The initializer, for ``local_variable_declaration``s that have one."""


@dataclass(slots=True)
class MethodDecl:
    info: MethodInfo
    decl_type: TypeDecl
    invocations: list[Node] = field(default_factory=list)
    """method_invocation / object_creation_expression / explicit_constructor_invocation nodes
    whose innermost enclosing body is this one, in source order."""
    outer_method: str = ""
    """Id of the outermost non-lambda method: the anchor of stable LogStatement ids."""
    enclosing: str | None = None
    """The method a lambda (or a local/anonymous class's method) is written in."""
    local_values: dict[str, Node] = field(default_factory=dict)
    """Initializers of local variables, for ``String msg = ...; LOG.info(msg)``."""
    reassigned: set[str] = field(default_factory=set)
    """Locals assigned after their declaration: their initializer is not their value."""
    assigned_at: dict[str, list[Node]] = field(default_factory=dict)
    """The assigned identifier of every assignment / increment to each name in this body (its
    parent is the ``assignment_expression`` or ``update_expression``)."""
    type_args: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Type arguments of generic locals and parameters."""
    scoped_locals: dict[str, list[LocalDeclaration]] = field(default_factory=dict)
    """Every declaration of a local, so that ``cb`` declared in two sibling blocks with two types
    is typed by the one in scope, and ``String msg = ...`` in two sibling blocks folds in each."""


@dataclass(slots=True)
class SymbolTable:
    program: Program
    types: dict[str, TypeDecl] = field(default_factory=dict)
    methods: dict[str, MethodDecl] = field(default_factory=dict)
    by_simple_name: dict[str, list[str]] = field(default_factory=dict)
    """Simple type name -> fully qualified names of in-repo types with that name."""
    packages: set[str] = field(default_factory=set)

    def add_type(self, decl: TypeDecl) -> None:
        base, n = decl.info.name, 1
        while decl.info.name in self.types:  # the same class in two files (module variants)
            n += 1
            decl.info.name = f"{base}#{n}"
        if n > 1:
            first = self.types[base].info.file
            self.program.warnings.append(
                f"type {base} is declared in {first} and {decl.info.file}: the latter is {decl.info.name}"
            )
        self.types[decl.info.name] = decl
        self.program.types[decl.info.name] = decl.info
        self.by_simple_name.setdefault(decl.info.simple_name, []).append(decl.info.name)

    def add_method(self, decl: MethodDecl) -> None:
        info = decl.info
        base, n = info.id, 1
        while info.id in self.methods:  # same erased signature twice (or a parse artefact)
            n += 1
            info.id = f"{base}#{n}"
        self.methods[info.id] = decl
        self.program.methods[info.id] = info
        decl.decl_type.info.methods.append(info.id)
