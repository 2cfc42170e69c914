"""Compare a log line's class/logger field with the type that declares a log statement."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from anomalygen.tools.logs.copies import copy_free

_ANONYMOUS = re.compile(r"\$\d+")


def class_path(type_name: str) -> str:
    """``org.a.Outer.Inner`` -> ``Outer$Inner`` (the binary name past the package, as logs print it).

    Package segments are lower case by Java convention; the first capitalised segment starts the class.
    A second copy of a class in another source tree (``org.a.Foo#2``) prints as ``Foo`` too.
    """
    segments = copy_free(type_name).split(".")
    for i, segment in enumerate(segments):
        if segment[:1].isupper():
            return "$".join(segments[i:])
    return segments[-1]


def hint_class(hint: str) -> str:
    """A location class or logger category reduced to ``Outer$Inner`` (anonymous ``$1`` dropped)."""
    return class_path(_ANONYMOUS.sub("", hint.replace("/", ".")))


def ancestor_classes(types: Iterable[tuple[str, str | None]]) -> dict[str, frozenset[str]]:
    """Class path -> the class paths of its superclasses in the repository, from (type,
    superclass) pairs of fully qualified names. A logger made with ``getClass()`` prints the
    runtime class, so a line of ``DataSourceTransactionManager`` may come from a statement of
    its superclass ``AbstractPlatformTransactionManager``."""
    parent: dict[str, str | None] = {}
    for name, superclass in types:
        parent.setdefault(name, superclass)
    found: dict[str, set[str]] = {}
    for name in parent:
        chain: list[str] = []
        current = parent[name]
        while current is not None and current in parent and current not in chain and current != name:
            chain.append(current)
            current = parent[current]
        if chain:
            found.setdefault(class_path(name), set()).update(class_path(a) for a in chain)
    return {name: frozenset(ancestors) for name, ancestors in found.items()}


def inherited_score(hint: str | None, type_name: str, ancestors: Mapping[str, frozenset[str]]) -> int:
    """1 when the statement's type is a superclass of the class the line names, else 0."""
    if not hint or not ancestors:
        return 0
    return int(class_path(type_name) in ancestors.get(hint_class(hint), ()))


def method_score(runtime: str | None, method_id: str) -> int:
    """1 when the line's method (``getTransaction``, ``<init>``, ``lambda$run$0``) is the method
    that declares the statement (a ``tools.java`` method id), else 0."""
    if not runtime or not method_id:
        return 0
    return int(_runtime_name(runtime) == _declared_name(method_id))


@lru_cache(maxsize=65_536)
def _declared_name(method_id: str) -> str:
    """``org.a.B.C.run(int)`` -> ``run``; a constructor ``org.a.B.B(int)`` -> ``<init>``; a lambda
    (``org.a.B.run()$lambda@3:9``) -> the method it is written in."""
    head = copy_free(method_id.split("$lambda@", 1)[0].split("(", 1)[0])
    owner, _, name = head.rpartition(".")
    return "<init>" if name == owner.rpartition(".")[2].rpartition("$")[2] else name


def _runtime_name(method: str) -> str:
    """``lambda$run$0`` -> ``run`` (javac names a lambda's body after the method it is written in)."""
    if method.startswith("lambda$"):
        return method.split("$")[1] or method
    return method


def outer_class(type_name: str) -> str:
    """``org.a.Outer.Inner`` -> ``Outer``."""
    return class_path(type_name).split("$", 1)[0]


@lru_cache(maxsize=4096)
def outer_class_of_hint(hint: str) -> str:
    """``QuorumCnxManager$SendWorker`` or ``org.a.Outer`` -> the outermost class name."""
    return hint_class(hint).split("$", 1)[0]


@lru_cache(maxsize=65_536)
def class_score(hint: str | None, type_name: str) -> int:
    """2: same class, 1: same outermost class (a nested class using its outer logger), 0: neither."""
    if not hint:
        return 0
    wanted = hint_class(hint)
    actual = class_path(type_name)
    if wanted == actual:
        return 2
    if wanted.split("$", 1)[0] == actual.split("$", 1)[0]:
        return 1
    return 0
