"""The in-memory model of a parsed Java program, shared by tools/java (which builds it) and
tools/lcfg, tools/logs, tools/synth (which read it).

Method ids look like ``org.apache.zookeeper.server.ZooKeeperServer.processPacket(ServerCnxn,ByteBuffer)``
(fully qualified type, name, erased simple parameter types); a lambda body is its own method with id
``<enclosing method id>$lambda@<line>:<column>``. A node key ``(file, start_byte)`` identifies a
syntax node across modules without holding on to it.

Syntax nodes are kept (``MethodInfo.node``) because the LCFG builder walks method bodies; a
tree-sitter ``Node`` keeps its tree alive, so a ``Program`` owns every parsed tree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tree_sitter import Node

from anomalygen.records import LogStatement

NodeKey = tuple[str, int]
"""(repo-relative file path, start byte) of a syntax node."""


def node_key(file: str, node: Node) -> NodeKey:
    return (file, node.start_byte)


_INVOCATION_TYPES = frozenset(
    {"method_invocation", "object_creation_expression", "explicit_constructor_invocation"}
)


def call_key(file: str, node: Node) -> NodeKey:
    """The key of an invocation in ``Program.calls`` / ``Program.log_at``.

    In a chain ``a.b().c()`` both invocations start at ``a``: the outermost one owns
    ``node_key(file, node)``; an invocation inside the receiver of another one at the same
    position is keyed by the end of its name (just before its ``(``), where no node starts.
    """
    ancestor = node.parent
    while ancestor is not None and ancestor.start_byte == node.start_byte:
        if ancestor.type in _INVOCATION_TYPES:
            inner = node.child_by_field_name("name") or node.child_by_field_name("type")
            return (file, inner.end_byte if inner is not None else node.end_byte)
        ancestor = ancestor.parent
    return (file, node.start_byte)


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    type_name: str


@dataclass(slots=True)
class MethodInfo:
    """A method, constructor, static/instance initializer or lambda body."""

    id: str
    type_name: str
    """Fully qualified name of the declaring type."""
    name: str
    parameters: tuple[Parameter, ...]
    return_type: str
    file: str
    start_line: int
    end_line: int
    node: Node
    """The declaration node (method_declaration, constructor_declaration, lambda_expression...)."""
    body: Node | None
    """The body block (or lambda expression body); None for abstract/interface methods."""
    modifiers: tuple[str, ...] = ()
    is_lambda: bool = False
    locals: dict[str, str] = field(default_factory=dict)
    """Declared types of local variables and parameters, by name (last declaration wins).
    A lambda's (or a local/anonymous class method's) map includes the enclosing method's."""
    enclosing: str | None = None
    """For lambdas and methods of local/anonymous classes: id of the method they are written in."""

    @property
    def signature(self) -> str:
        params = ", ".join(f"{p.type_name} {p.name}" for p in self.parameters)
        return f"{self.return_type} {self.name}({params})"

    @property
    def arity(self) -> int:
        return len(self.parameters)


@dataclass(slots=True)
class TypeInfo:
    name: str
    """Fully qualified name (nested types use ``Outer.Inner``)."""
    simple_name: str
    kind: str
    """class, interface, enum, record or annotation."""
    file: str
    superclass: str | None = None
    interfaces: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    """Declared field types by field name."""
    methods: list[str] = field(default_factory=list)
    """Ids of the methods declared in this type."""
    logger_fields: tuple[str, ...] = ()
    """Names of fields whose declared type is a logger."""


@dataclass(frozen=True, slots=True)
class CallSite:
    """A method invocation or object creation inside a method body."""

    caller: str
    key: NodeKey
    name: str
    arity: int
    line: int
    receiver: str | None = None
    """The receiver's source text (``this``, ``zks``, ``Foo``), None for unqualified calls."""
    targets: tuple[str, ...] = ()
    """Resolved callee method ids; empty when the call could not be resolved."""
    status: str = ""
    """``resolved``; ``external`` (JDK/library callee); ``implicit`` (an in-repo type's default
    constructor: nothing to run); ``unresolved``. Empty means: resolved iff ``targets``."""


@dataclass(frozen=True, slots=True)
class ParseError:
    """A file, or a span of a file, that could not be parsed or read."""

    file: str
    message: str
    start_line: int = 0
    end_line: int = 0


@dataclass(slots=True)
class Program:
    """Everything tools/java extracted from one repository."""

    root: str
    """Absolute path of the repository root; every ``file`` below is relative to it."""
    files: list[str] = field(default_factory=list)
    types: dict[str, TypeInfo] = field(default_factory=dict)
    methods: dict[str, MethodInfo] = field(default_factory=dict)
    log_statements: dict[str, LogStatement] = field(default_factory=dict)
    log_at: dict[NodeKey, str] = field(default_factory=dict)
    """``call_key`` of a logging call's ``method_invocation`` -> LogStatement id."""
    calls: dict[NodeKey, CallSite] = field(default_factory=dict)
    """``call_key`` of every other invocation -> its call site (resolved or not). For the
    outermost invocation at a position this is ``node_key``; use ``call_at`` to be exact."""
    parse_errors: list[ParseError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) for files not parsed: too big, vendored, generated, symlink outside root."""
    source_lines: int = 0
    bundle_files: int = 0
    """Default-locale ``.properties`` message bundles read for templates (``bundles.py``)."""
    logger_types: list[str] = field(default_factory=list)
    """In-repo types that are loggers by themselves (a wrapper of a library logger or the
    repository's own facade), not counting their subtypes; empty for plain SLF4J/log4j users."""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    """Whole-repository findings worth telling the user (e.g. no log statement found)."""

    def call_at(self, file: str, node: Node) -> CallSite | None:
        """The call site of an invocation node (exact, also inside ``a.b().c()`` chains)."""
        return self.calls.get(call_key(file, node))

    def log_statement_at(self, file: str, node: Node) -> str | None:
        """Id of the LogStatement an invocation node is, or None."""
        return self.log_at.get(call_key(file, node))

    def callees(self, method_id: str) -> set[str]:
        return {t for c in self.calls.values() if c.caller == method_id for t in c.targets}

    def callee_index(self) -> defaultdict[str, set[str]]:
        """Caller method id -> callee ids, for many look-ups (``callees`` scans every call)."""
        index: defaultdict[str, set[str]] = defaultdict(set)
        for call in self.calls.values():
            index[call.caller].update(call.targets)
        return index

    @property
    def unresolved_calls(self) -> list[CallSite]:
        """Calls into the repository (or of unknown receivers) whose callee was not found."""
        return [
            c for c in self.calls.values()
            if c.status == "unresolved" or (not c.status and not c.targets)
        ]

    @property
    def external_calls(self) -> list[CallSite]:
        """Calls into the JDK or libraries: nothing in the repository to follow."""
        return [c for c in self.calls.values() if c.status == "external"]
