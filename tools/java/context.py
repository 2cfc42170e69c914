"""Where an expression sits, and what resolving an invocation found."""

from __future__ import annotations

from dataclasses import dataclass

from anomalygen.tools.java.symbols import MethodDecl, TypeDecl

RESOLVED, EXTERNAL, UNRESOLVED, IMPLICIT = "resolved", "external", "unresolved", "implicit"


@dataclass(frozen=True, slots=True)
class Context:
    """Where an expression is: its enclosing body (None in a field initializer) and type."""

    type: TypeDecl
    method: MethodDecl | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    targets: tuple[str, ...]
    status: str
    return_type: str | None = None
    arity: int = 0
