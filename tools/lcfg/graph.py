"""The Log-oriented Control Flow Graph of one method.

Nodes 0, 1 and 2 are the method's entry, normal exit and exit by an uncaught exception; every other
node is a log statement or a call into methods that can reach one. An edge stands for all the
event-free statement paths between two nodes that share one list of facts (conditions and
assignments, in order); ``exceptional`` edges leave a call node when the call throws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anomalygen.records import Condition
from anomalygen.tools.lcfg.rawcfg import EXIT, THROW, EdgeFlag

ENTRY_NODE, EXIT_NODE, THROW_NODE = 0, EXIT, THROW


@dataclass(slots=True)
class LNode:
    kind: str
    """entry, exit, throw, log or call."""
    statement: str = ""
    targets: tuple[str, ...] = ()
    line: int = 0
    receiver: str = ""
    implicit_throw: bool = False
    arguments: tuple[str, ...] = ()
    """A call inside a try with handlers: its exceptional edges apply even when the callee returns."""


@dataclass(frozen=True, slots=True)
class LEdge:
    src: int
    dst: int
    facts: tuple[Condition, ...] = ()
    exceptional: bool = False
    flags: int = EdgeFlag.NONE

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """The branch conditions only (no bookkeeping facts)."""
        return tuple(f for f in self.facts if f.kind not in ("assign", "havoc", "iterate"))


@dataclass(slots=True)
class LCFG:
    method: str
    file: str
    nodes: list[LNode] = field(default_factory=list)
    edges: list[LEdge] = field(default_factory=list)
    out: list[list[int]] = field(default_factory=list)
    """Indexes into ``edges`` of each node's outgoing edges."""

    @property
    def statements(self) -> list[str]:
        return [n.statement for n in self.nodes if n.kind == "log"]

    @property
    def calls(self) -> list[LNode]:
        return [n for n in self.nodes if n.kind == "call"]

    @property
    def can_throw(self) -> bool:
        """Some path of this body itself leaves the method by an exception (a ``throw`` it is not
        caught). A callee's exception shows only once that callee is inlined."""
        return any(e.dst == THROW_NODE and not e.exceptional for e in self.edges)

    @property
    def can_return(self) -> bool:
        return any(e.dst == EXIT_NODE for e in self.edges)

    def successors(self, node: int) -> list[LEdge]:
        return [self.edges[i] for i in self.out[node]]
