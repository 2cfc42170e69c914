"""Resolving one invocation: receiver type, name and arity, up the hierarchy and down to overrides.

A call on an interface, an abstract class or an abstract method also targets the in-repo
implementations (that is what composing LCFGs across a call needs). Calls that end outside the
repository (JDK, libraries, members inherited from a library superclass) are ``external``;
calls whose receiver or callee cannot be found are ``unresolved``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from anomalygen.tools.java.context import (
    EXTERNAL,
    IMPLICIT,
    RESOLVED,
    UNRESOLVED,
    Context,
    Resolution,
)
from anomalygen.tools.java.typenames import PRIMITIVES, element_type, simple_name

if TYPE_CHECKING:
    from anomalygen.tools.java.model import MethodInfo
    from anomalygen.tools.java.resolve import Resolver

_OBJECT_METHODS = frozenset(
    {"toString", "equals", "hashCode", "getClass", "wait", "notify", "notifyAll", "clone", "finalize"}
)
_BOXES = {
    "int": "Integer", "long": "Long", "short": "Short", "byte": "Byte", "char": "Character",
    "boolean": "Boolean", "double": "Double", "float": "Float",
}
_WIDENS = {
    "byte": {"short", "int", "long", "float", "double"}, "short": {"int", "long", "float", "double"},
    "char": {"int", "long", "float", "double"}, "int": {"long", "float", "double"},
    "long": {"float", "double"}, "float": {"double"},
}


def arguments(node: Node) -> list[Node]:
    args = node.child_by_field_name("arguments")
    if args is None:
        return []
    return [a for a in args.named_children if a.type not in ("line_comment", "block_comment")]


def resolve_invocation(r: Resolver, ctx: Context, node: Node) -> Resolution:
    args = arguments(node)
    found = _resolve(r, ctx, node, args)
    return Resolution(found.targets, found.status, found.return_type, len(args))


def _resolve(r: Resolver, ctx: Context, node: Node, args: list[Node]) -> Resolution:
    if node.type == "object_creation_expression":
        type_node = node.child_by_field_name("type")
        created = r.index.resolve(r.text(ctx, type_node), ctx.type) if type_node else None
        return _constructors(r, ctx, created, args)
    if node.type == "explicit_constructor_invocation":
        ctor = node.child_by_field_name("constructor")
        own = ctx.type.info.name
        target = own if ctor is not None and ctor.type == "this" else ctx.type.info.superclass
        if target is None:  # super() of a class without extends: java.lang.Object's constructor
            return Resolution((), EXTERNAL, "java.lang.Object")
        return _constructors(r, ctx, target, args)
    name = r.text(ctx, node.child_by_field_name("name") or node)
    obj = node.child_by_field_name("object")
    if obj is None:
        return _unqualified(r, ctx, name, args)
    # Iface.super.m() has two more children (super and a dot) than obj.m()
    if node.child_count > 4 and any(c.type == "super" for c in node.children[1:]):
        owner = r.as_type_name(ctx, obj)
        return _on_type(r, ctx, owner, name, args) if owner else Resolution((), UNRESOLVED)
    if obj.type == "this":
        return _on_type(r, ctx, ctx.type.info.name, name, args)
    if obj.type == "super":
        sup = ctx.type.info.superclass
        if sup is None:
            return Resolution((), EXTERNAL, r.return_type_of((), name))
        return _on_type(r, ctx, sup, name, args, virtual=False)
    receiver = r.type_of(ctx, obj)
    if receiver is None:
        if obj.type == "identifier" and _is_declared_variable(ctx, r.text(ctx, obj)):
            return Resolution((), UNRESOLVED, r.return_type_of((), name))
        static = r.as_type_name(ctx, obj)
        if static is not None:
            return _on_type(r, ctx, static, name, args)
        if obj.type == "identifier" and ctx.type.info.name in r.index.external_ancestor:
            return Resolution((), EXTERNAL, r.return_type_of((), name))  # inherited library field
        if _rooted_outside(r, ctx, obj):
            return Resolution((), EXTERNAL, r.return_type_of((), name))
        return Resolution((), UNRESOLVED, r.return_type_of((), name))
    return _on_type(r, ctx, receiver, name, args)


def _rooted_outside(r: Resolver, ctx: Context, obj: Node) -> bool:
    """True when a receiver of unknown type hangs off a library value or type.

    ``System.out.println``, ``Arrays.asList(x).stream()``, ``map.get(k).size()``: somewhere down
    the receiver chain is a known type or call outside the repository, and what it returns is
    a library object whose members we do not have.
    """
    node: Node | None = obj
    first = True
    while node is not None:
        if not first:
            known = r.type_of(ctx, node)
            if known is not None:
                return known not in r.index.types
        first = False
        kind = node.type
        if kind == "identifier":
            if _is_declared_variable(ctx, r.text(ctx, node)):
                return False
            static = r.as_type_name(ctx, node)
            return static is not None and static not in r.index.types
        if kind == "method_invocation":
            if r.resolve_call(ctx, node).status == EXTERNAL:
                return True
            node = node.child_by_field_name("object")
        elif kind == "field_access":
            static = r.as_type_name(ctx, node)
            if static is not None:
                return static not in r.index.types
            node = node.child_by_field_name("object")
        elif kind == "array_access":
            node = node.child_by_field_name("array")
        elif kind == "parenthesized_expression":
            node = node.named_children[0] if node.named_child_count else None
        else:
            return False
    return False


def _is_declared_variable(ctx: Context, name: str) -> bool:
    """A local or parameter, typed or not (lambda parameters often have no written type)."""
    method = ctx.method
    if method is None:
        return False
    return name in method.info.locals or any(p.name == name for p in method.info.parameters)


def _on_type(
    r: Resolver, ctx: Context, type_name: str, name: str, args: list[Node], virtual: bool = True
) -> Resolution:
    if type_name in PRIMITIVES or element_type(type_name) is not None:
        return Resolution((), EXTERNAL, r.return_type_of((), name))
    if type_name not in r.index.types:
        return Resolution((), EXTERNAL, r.return_type_of((), name))
    targets = lookup(r, ctx, type_name, name, args, virtual=virtual)
    if targets:
        return Resolution(targets, RESOLVED, r.return_type_of(targets, name))
    if name in _OBJECT_METHODS or type_name in r.index.external_ancestor:
        return Resolution((), EXTERNAL, r.return_type_of((), name))
    return Resolution((), UNRESOLVED, r.return_type_of((), name))


def _unqualified(r: Resolver, ctx: Context, name: str, args: list[Node]) -> Resolution:
    chain = r.index.lexical_chain(ctx.type)
    for decl in chain:
        targets = lookup(r, ctx, decl.info.name, name, args)
        if targets:
            return Resolution(targets, RESOLVED, r.return_type_of(targets, name))
    scope = ctx.type.scope
    owners = [scope.static_imports[name]] if name in scope.static_imports else []
    owners += scope.static_wildcards
    for owner in owners:
        if owner in r.index.types:
            targets = lookup(r, ctx, owner, name, args)
            if targets:
                return Resolution(targets, RESOLVED, r.return_type_of(targets, name))
    external_owner = any(o not in r.index.types for o in owners)
    inherits_library = any(d.info.name in r.index.external_ancestor for d in chain)
    if external_owner or inherits_library or name in _OBJECT_METHODS:
        return Resolution((), EXTERNAL, r.return_type_of((), name))
    return Resolution((), UNRESOLVED, r.return_type_of((), name))


def _constructors(r: Resolver, ctx: Context, type_name: str | None, args: list[Node]) -> Resolution:
    if type_name is None:
        return Resolution((), UNRESOLVED)
    if type_name not in r.index.types:
        return Resolution((), EXTERNAL, type_name)
    decl = r.index.types[type_name]
    declared = r.index.methods_named(type_name, decl.info.simple_name)
    if not declared:
        initializers = tuple(r.index.methods_named(type_name, "<init>"))
        return Resolution(initializers, RESOLVED if initializers else IMPLICIT, type_name)
    methods = [r.table.methods[m].info for m in declared]
    matching = [m for m in methods if _arity_ok(m, len(args))]
    if not matching:
        return Resolution((), UNRESOLVED, type_name)
    return Resolution(tuple(m.id for m in _narrow(r, ctx, matching, args)), RESOLVED, type_name)


def lookup(
    r: Resolver, ctx: Context, type_name: str, name: str, args: list[Node], virtual: bool = True
) -> tuple[str, ...]:
    """Most-derived declarations of ``name`` matching the arguments, plus overrides when dispatching."""
    chosen: list[MethodInfo] = []
    for ancestor in r.index.ancestors(type_name):
        methods = [r.table.methods[m].info for m in r.index.methods_named(ancestor, name)]
        matching = [m for m in methods if _arity_ok(m, len(args))]
        if matching:
            chosen = _narrow(r, ctx, matching, args)
            break
    if not chosen:
        return ()
    targets = [m.id for m in chosen]
    decl = r.index.types[type_name]
    abstract_receiver = decl.info.kind == "interface" or decl.abstract
    if virtual and (abstract_receiver or any(m.body is None for m in chosen)):
        shapes = {tuple(p.type_name for p in m.parameters) for m in chosen}
        for sub in r.index.descendants(type_name):
            for method_id in r.index.methods_named(sub, name):
                override = r.table.methods[method_id].info
                if tuple(p.type_name for p in override.parameters) in shapes:
                    targets.append(method_id)
    return tuple(dict.fromkeys(targets))


def _arity_ok(method: MethodInfo, arity: int) -> bool:
    params = method.parameters
    if params and params[-1].type_name.endswith("..."):
        return arity >= len(params) - 1
    return arity == len(params)


def _narrow(r: Resolver, ctx: Context, methods: list[MethodInfo], args: list[Node]) -> list[MethodInfo]:
    """Among same-arity overloads keep those whose parameter types fit the known argument types."""
    if len(methods) < 2 or not args:
        return methods
    arg_types = [r.type_of(ctx, a) for a in args]
    scored: list[tuple[int, MethodInfo]] = []
    for method in methods:
        score = 0
        fits = True
        for param, arg in zip(method.parameters, arg_types, strict=False):
            if arg is None:
                continue
            verdict = _fit(r, method, param.type_name, arg)
            if verdict < 0:
                fits = False
                break
            score += verdict
        if fits:
            scored.append((score, method))
    if not scored:
        return methods
    best = max(s for s, _ in scored)
    return [m for s, m in scored if s == best]


def _fit(r: Resolver, method: MethodInfo, param: str, arg: str) -> int:
    """2 exact, 1 compatible, -1 incompatible."""
    param_simple = simple_name(param).removesuffix("...")
    arg_simple = simple_name(arg)
    if param_simple == arg_simple:
        return 2
    if param_simple in ("Object", "T", "E", "K", "V") or len(param_simple) == 1:
        return 1
    if _BOXES.get(arg_simple) == param_simple or _BOXES.get(param_simple) == arg_simple:
        return 1
    if param_simple in _WIDENS.get(arg_simple, set()):
        return 1
    declaring = r.table.methods[method.id].decl_type
    resolved_param = r.index.resolve(param.removesuffix("..."), declaring)
    if resolved_param is not None and arg in r.index.types and r.index.is_subtype(arg, resolved_param):
        return 1
    if arg not in r.index.types and arg_simple not in _BOXES and arg_simple not in _BOXES.values():
        return 0  # a library type: it may well implement the parameter's interface
    return -1
