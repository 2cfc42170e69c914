"""Just enough generics to follow values out of collections.

Declared types are erased everywhere else; here the type arguments of generic variables give
``sessions.get(id)`` the type ``Session`` of ``Map<Long, Session> sessions`` and the lambda
parameter of ``workers.forEach(w -> w.stop())`` the type of the list's elements, so that the
calls made on them resolve into the repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from anomalygen.tools.java.context import Context
from anomalygen.tools.java.symbols import TypeDecl

if TYPE_CHECKING:
    from anomalygen.tools.java.resolve import Resolver

_LAST_ARGUMENT = frozenset(
    {
        "get", "getOrDefault", "remove", "poll", "pollFirst", "pollLast", "take", "peek",
        "peekFirst", "peekLast", "element", "first", "last", "getFirst", "getLast", "next",
        "previous", "firstElement", "lastElement", "elementAt", "getValue", "orElse",
        "orElseGet", "orElseThrow", "join", "getNow", "computeIfAbsent", "putIfAbsent",
        "removeFirst", "removeLast", "pop", "call", "floor", "ceiling", "higher", "lower",
    }
)
"""Methods that hand out an element: the last type argument (``Map``'s value, ``List``'s item)."""
_FIRST_ARGUMENT = frozenset({"getKey", "firstKey", "lastKey", "floorKey", "ceilingKey"})
_ITERATING = frozenset(
    {
        "forEach", "removeIf", "replaceAll", "computeIfPresent", "compute", "merge",
        # stream steps whose lambda sees the stream's elements
        "filter", "map", "flatMap", "mapToInt", "mapToLong", "mapToDouble", "anyMatch",
        "allMatch", "noneMatch", "peek", "forEachOrdered", "takeWhile", "dropWhile",
    }
)
"""Methods taking a lambda over the elements (or over key and value for a map)."""
_SAME_ELEMENTS = frozenset(
    {"stream", "parallelStream", "filter", "peek", "sorted", "distinct", "limit", "skip",
     "takeWhile", "dropWhile", "iterator", "listIterator", "spliterator"}
)
"""Calls between a collection and a lambda that keep the element type (``list.stream().filter``)."""


def type_arguments(r: Resolver, ctx: Context, node: Node) -> tuple[tuple[str, ...], TypeDecl] | None:
    """Type arguments of a generic variable (local, parameter, field, ``this.field``)."""
    if node.type == "field_access":
        obj, field = node.child_by_field_name("object"), node.child_by_field_name("field")
        if obj is None or field is None or obj.type != "this":
            return None
        return _field_arguments(r, ctx, r.text(ctx, field))
    if node.type != "identifier":
        return None
    name = r.text(ctx, node)
    method = ctx.method
    while method is not None:
        if name in method.type_args:
            return method.type_args[name], ctx.type
        if name in method.info.locals or any(p.name == name for p in method.info.parameters):
            return None  # declared here without type arguments
        method = r.table.methods.get(method.enclosing) if method.enclosing else None
    return _field_arguments(r, ctx, name)


def _field_arguments(r: Resolver, ctx: Context, name: str) -> tuple[tuple[str, ...], TypeDecl] | None:
    for decl in r.index.lexical_chain(ctx.type):
        for ancestor in r.index.ancestors(decl.info.name):
            owner = r.index.types.get(ancestor)
            if owner is not None and name in owner.info.fields:
                args = owner.type_args.get(name)
                return (args, owner) if args else None
    return None


def element_type(r: Resolver, ctx: Context, receiver: Node, method: str) -> str | None:
    """Type of ``receiver.method(...)`` when it hands out one of the receiver's type arguments."""
    if method not in _LAST_ARGUMENT and method not in _FIRST_ARGUMENT:
        return None
    found = type_arguments(r, ctx, receiver)
    if found is None:
        return None
    args, origin = found
    chosen = args[0] if method in _FIRST_ARGUMENT else args[-1]
    return r.index.resolve(chosen, origin)


def lambda_parameter_type(r: Resolver, ctx: Context, name: str) -> str | None:
    """Type of an untyped lambda parameter passed to ``collection.forEach(x -> ...)`` and friends."""
    method = ctx.method
    if method is None or not method.info.is_lambda:
        return None
    params = [p.name for p in method.info.parameters]
    if name not in params or any(p.name == name and p.type_name for p in method.info.parameters):
        return None
    lambda_node = method.info.node
    arguments = lambda_node.parent
    call = arguments.parent if arguments is not None else None
    if call is None or call.type != "method_invocation":
        return None
    call_name = call.child_by_field_name("name")
    receiver = call.child_by_field_name("object")
    if call_name is None or receiver is None or r.text(ctx, call_name) not in _ITERATING:
        return None
    enclosing = r.table.methods.get(method.enclosing) if method.enclosing else None
    outer = Context(ctx.type, enclosing)
    pick_first = len(params) == 2 and params.index(name) == 0  # map.forEach((k, v) -> ...)
    while receiver.type == "method_invocation":  # list.stream().filter(...).map(x -> ...)
        step = receiver.child_by_field_name("name")
        inner = receiver.child_by_field_name("object")
        step_name = r.text(ctx, step) if step is not None else ""
        if inner is None:
            return None
        if step_name in ("keySet", "values"):  # map.values().forEach(v -> ...)
            pick_first = step_name == "keySet"
        elif step_name not in _SAME_ELEMENTS:
            return None
        receiver = inner
    found = type_arguments(r, outer, receiver)
    if found is None:
        return None
    args, origin = found
    return r.index.resolve(args[0] if pick_first else args[-1], origin)
