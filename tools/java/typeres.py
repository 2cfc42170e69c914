"""Type names -> in-repo types, and the in-repo type hierarchy.

A written name resolves the way javac looks it up: member types of the current type and its
supertypes, then of lexically enclosing types, single-type imports, the same package, on-demand
(wildcard) imports, and finally ``java.lang``. A name that is not an in-repo type comes back as
its imported fully qualified name when known, else as written: it is "external".
"""

from __future__ import annotations

from collections import deque

from anomalygen.tools.java.symbols import SymbolTable, TypeDecl
from anomalygen.tools.java.typenames import JAVA_LANG, PRIMITIVES, split_array


class TypeIndex:
    def __init__(self, table: SymbolTable) -> None:
        self.table = table
        self.types = table.types
        self._cache: dict[tuple[str, str], str | None] = {}
        self.supertypes: dict[str, list[str]] = {}
        """In-repo direct supertypes (superclass first)."""
        self.subtypes: dict[str, list[str]] = {}
        self.external_ancestor: set[str] = set()
        """Types with a supertype outside the repository (so missing members may live there)."""
        self._ancestors: dict[str, list[str]] = {}
        self._methods_by_name: dict[str, dict[str, list[str]]] = {}
        self._linked = False
        self.logger_memo: dict[str, bool] = {}
        self.printf_memo: dict[str, bool] = {}
        """In-repo logger type -> whether it formats with printf (``logcalls._formats_printf``)."""
        """In-repo type -> whether it is a logger type (``logcalls.is_logger_type``)."""

    # -- names ---------------------------------------------------------------------------
    def resolve(self, written: str, origin: TypeDecl | None) -> str | None:
        """The in-repo FQN (or external name) a written type name means inside ``origin``."""
        base, suffix = split_array(written)
        if not base or base == "var":
            return None
        if base in PRIMITIVES:
            return written
        key = (base, origin.info.name if origin is not None else "")
        if key not in self._cache:
            self._cache[key] = self._resolve_qualified(base, origin)
        resolved = self._cache[key]
        return None if resolved is None else resolved + suffix

    def _resolve_qualified(self, base: str, origin: TypeDecl | None) -> str | None:
        if base in self.types and "." in base:
            return base
        first, _, rest = base.partition(".")
        head = self._resolve_simple(first, origin)
        if not rest:
            return head
        candidate = f"{head}.{rest}"
        return candidate

    def _resolve_simple(self, name: str, origin: TypeDecl | None) -> str:
        scope_decl = origin
        while scope_decl is not None:
            if scope_decl.info.simple_name == name:
                return scope_decl.info.name
            for ancestor in self.ancestors(scope_decl.info.name):
                member = f"{ancestor}.{name}"
                if member in self.types:
                    return member
            scope_decl = self.types.get(scope_decl.outer) if scope_decl.outer else None
        if origin is None:
            return name
        scope = origin.scope
        imported = scope.imports.get(name)
        if imported is not None:
            return imported
        same_package = f"{scope.package}.{name}" if scope.package else name
        if same_package in self.types:
            return same_package
        for prefix in scope.wildcard_imports:
            candidate = f"{prefix}.{name}"
            if candidate in self.types:
                return candidate
        if name in JAVA_LANG:
            return f"java.lang.{name}"
        return name

    # -- hierarchy -----------------------------------------------------------------------
    def link(self) -> None:
        """Resolve every type's superclass/interfaces and index the hierarchy both ways."""
        for name, decl in self.types.items():
            info = decl.info
            direct: list[str] = []
            if decl.superclass_written:
                # Resolve from the enclosing scope: a class's own members are not visible
                # in its extends clause, and resolving there would loop on itself.
                outer = self.types.get(decl.outer) if decl.outer else None
                origin = outer if outer is not None else _scope_only(decl)
                resolved = self.resolve(decl.superclass_written, origin) or decl.superclass_written
                if resolved == name:
                    resolved = decl.superclass_written
                if decl.anonymous and _is_interface(self.types.get(resolved), resolved):
                    info.interfaces = (resolved,)  # anonymous class implementing an interface
                else:
                    info.superclass = resolved
            interfaces = []
            for written in decl.interfaces_written:
                outer = self.types.get(decl.outer) if decl.outer else None
                origin = outer if outer is not None else _scope_only(decl)
                interfaces.append(self.resolve(written, origin) or written)
            if interfaces:
                info.interfaces = (*info.interfaces, *interfaces)
            for sup in ([info.superclass] if info.superclass else []) + list(info.interfaces):
                if sup in self.types and sup != name:
                    direct.append(sup)
                    self.subtypes.setdefault(sup, []).append(name)
                elif sup not in ("java.lang.Object", "Object"):
                    self.external_ancestor.add(name)
            if info.kind in ("enum", "record", "annotation"):
                self.external_ancestor.add(name)
            self.supertypes[name] = direct
        self._linked = True
        self._ancestors.clear()
        self._cache.clear()
        for name in self.types:
            if any(a in self.external_ancestor for a in self.ancestors(name)):
                self.external_ancestor.add(name)

    def ancestors(self, name: str) -> list[str]:
        """The type itself and its in-repo supertypes, nearest first (breadth-first)."""
        cached = self._ancestors.get(name)
        if cached is not None:
            return cached
        order: list[str] = []
        seen = {name}
        queue = deque([name])
        while queue:
            current = queue.popleft()
            order.append(current)
            for sup in self.supertypes.get(current, ()):
                if sup not in seen:
                    seen.add(sup)
                    queue.append(sup)
        if self._linked:  # a partial hierarchy must not be cached
            self._ancestors[name] = order
        return order

    def descendants(self, name: str) -> list[str]:
        order: list[str] = []
        seen = {name}
        queue = deque(self.subtypes.get(name, ()))
        while queue:
            current = queue.popleft()
            if current in seen:
                continue
            seen.add(current)
            order.append(current)
            queue.extend(self.subtypes.get(current, ()))
        return order

    def is_subtype(self, name: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(name)

    # -- members -------------------------------------------------------------------------
    def methods_named(self, type_name: str, method_name: str) -> list[str]:
        by_name = self._methods_by_name.get(type_name)
        if by_name is None:
            by_name = {}
            decl = self.types.get(type_name)
            if decl is not None:
                for method_id in decl.info.methods:
                    method = self.table.methods[method_id].info
                    if not method.is_lambda:
                        by_name.setdefault(method.name, []).append(method_id)
            self._methods_by_name[type_name] = by_name
        return by_name.get(method_name, [])

    def find_field(self, type_name: str, field: str) -> tuple[TypeDecl, str] | None:
        """(declaring type, written field type) searching the type and its supertypes."""
        for ancestor in self.ancestors(type_name):
            decl = self.types.get(ancestor)
            if decl is not None and field in decl.info.fields:
                return decl, decl.info.fields[field]
        return None

    def lexical_chain(self, decl: TypeDecl) -> list[TypeDecl]:
        """The type and its lexically enclosing types, innermost first."""
        chain = [decl]
        while chain[-1].outer and chain[-1].outer in self.types:
            chain.append(self.types[chain[-1].outer])
        return chain


_JDK_INTERFACES = frozenset(
    {
        "Runnable", "Callable", "Comparator", "Iterator", "Iterable", "AutoCloseable", "Closeable",
        "ThreadFactory", "Supplier", "Function", "BiFunction", "Consumer", "BiConsumer",
        "Predicate", "FileFilter", "FilenameFilter", "PrivilegedAction",
        "PrivilegedExceptionAction", "InvocationHandler", "UncaughtExceptionHandler",
        "RejectedExecutionHandler", "Enumeration", "EventListener", "ActionListener",
    }
)


def _is_interface(decl: TypeDecl | None, resolved: str) -> bool:
    if decl is not None:
        return decl.info.kind == "interface"
    return resolved.rsplit(".", 1)[-1] in _JDK_INTERFACES


def _scope_only(decl: TypeDecl) -> TypeDecl:
    """A stand-in origin with the file's imports but no member types (for extends clauses)."""
    from anomalygen.tools.java.model import TypeInfo

    info = TypeInfo(name=f"<scope of {decl.info.file}>", simple_name="", kind="class",
                    file=decl.info.file)
    return TypeDecl(info=info, parsed=decl.parsed, scope=decl.scope, node=decl.node)
