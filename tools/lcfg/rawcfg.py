"""The statement-level control-flow graph of one method body, before reduction to an LCFG.

Nodes are small integers. Most are no-ops that only join or split flow; the interesting ones are
*events* (a log statement, or a call into a method that can reach one) and the three terminals.
Edges carry *facts*: branch conditions, and the assignments/iteration markers that the feasibility
check needs to interpret later conditions (``x = 5`` before ``if (x > 3)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from tree_sitter import Node

from anomalygen.records import Condition


class EdgeFlag:
    """Bit flags on edges (plain ints: an IntFlag costs a Python call per ``|`` on hot paths)."""

    NONE = 0
    CATCH = 1
    """The edge enters a catch clause."""
    THROW = 2
    """The edge leaves an explicit ``throw`` or an uncaught exception route."""
    BACK = 4
    """A loop back edge (the loop runs once more)."""


ENTRY, EXIT, THROW = 0, 1, 2
"""Fixed node ids: method entry, normal exit, exit by an uncaught exception."""


@dataclass(slots=True)
class RawNode:
    kind: str
    """entry, exit, throw, nop, log or call."""
    statement: str = ""
    """LogStatement id of a ``log`` node."""
    targets: tuple[str, ...] = ()
    """Callee method ids of a ``call`` node (only those that can reach a log)."""
    line: int = 0
    receiver: str = ""
    arguments: tuple[str, ...] = ()
    """Source text of a call's arguments (bound to the callee's parameters when inlined)."""
    implicit_throw: bool = False
    """The call sits inside a try with catch clauses: any exception from it can reach the handlers."""


@dataclass(frozen=True, slots=True)
class RawEdge:
    dst: int
    facts: tuple[Condition, ...] = ()
    exceptional: bool = False
    """Taken when the source call node completes by an exception."""
    flags: int = EdgeFlag.NONE


@dataclass(slots=True)
class RawCFG:
    file: str
    nodes: list[RawNode] = field(default_factory=list)
    succ: list[list[RawEdge]] = field(default_factory=list)
    preds: list[int] = field(default_factory=list)
    """Number of incoming edges per node: a join node without any is unreachable code."""

    def __post_init__(self) -> None:
        for kind in ("entry", "exit", "throw"):
            self.add(RawNode(kind))

    def add(self, node: RawNode) -> int:
        self.nodes.append(node)
        self.succ.append([])
        self.preds.append(0)
        return len(self.nodes) - 1

    def nop(self) -> int:
        return self.add(RawNode("nop"))

    def edge(self, src: int, dst: int, facts: tuple[Condition, ...] = (), *,
             exceptional: bool = False, flags: int = EdgeFlag.NONE) -> None:
        self.succ[src].append(RawEdge(dst, facts, exceptional, flags))
        self.preds[dst] += 1

    def link(self, src: int, facts: tuple[Condition, ...] = (), *, flags: int = EdgeFlag.NONE) -> int:
        """A fresh no-op node reached from ``src`` by an edge carrying ``facts``."""
        dst = self.nop()
        self.edge(src, dst, facts, flags=flags)
        return dst


class EventResolver(Protocol):
    """What the CFG builder asks about each invocation node (method_invocation, object creation,
    explicit constructor call). Implemented over a ``Program`` in ``build.py`` and by tests."""

    def log_statement(self, node: Node) -> str | None:
        """The LogStatement id when ``node`` is a logging call."""
        ...

    def call_targets(self, node: Node) -> tuple[str, ...]:
        """Callee method ids that can reach a log statement; empty when none can."""
        ...

    def receiver(self, node: Node) -> str:
        """The receiver's source text, used to phrase interface-dispatch conditions."""
        ...
