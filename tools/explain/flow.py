"""One method's expanded LCFG seen as a real log sees it: only the statements it can print.

``flow_graph(program, root, silent)`` inlines ``root``'s callees (tools/lcfg ``expand``) and
collapses every stretch of the graph that prints nothing into one *hop*: from the entry or a
printing statement to the next printing statement or to the end of the root method. Statements in
``silent`` (below the level the log was written at) print nothing, so they are walked through like
any other node: a DEBUG statement between two INFO lines of an INFO log is no missing line.
Each hop keeps the expanded steps it stands for, so a path through hops becomes a tools/lcfg
``Path`` with its conditions (``materialize``), and the branch conditions of one hop say why the
source goes there rather than elsewhere.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from anomalygen.records import Condition
from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg.analysis import analysis_for
from anomalygen.tools.lcfg.expand import Expanded, expand
from anomalygen.tools.lcfg.paths import Step

EXIT, THROW = "(return)", "(exception)"
"""Pseudo statements for the two ends of the root method."""


@dataclass(frozen=True, slots=True)
class Hop:
    """From one printing node to the next printing node (or an end) through silent nodes only."""

    target: int
    """Expanded node id of the next printing statement, or of the root's exit/throw node."""
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """What the source can print next at some point, and when."""

    statement: str
    """A statement id, or ``EXIT`` / ``THROW`` when the method can end there."""
    conditions: tuple[str, ...]
    """The branch conditions on the way there, as written in the source (``!`` when false)."""


def condition_text(condition: Condition) -> str:
    prefix = "" if condition.holds else "!"
    return f"{prefix}({condition.expression})"


def branch_conditions(x: Expanded, steps: Iterable[Step]) -> list[Condition]:
    """The branch and dispatch conditions of ``steps`` in order (no assignment bookkeeping)."""
    found: list[Condition] = []
    for _, (_, activation, edge_index, extra) in steps:
        found.extend(c for c in extra if c.kind == "dispatch")
        if edge_index >= 0:
            found.extend(x.activations[activation].lcfg.edges[edge_index].conditions)
    return found


@dataclass(slots=True)
class FlowGraph:
    root: str
    x: Expanded
    silent: frozenset[str]
    hops: dict[int, list[Hop]] = field(default_factory=dict)
    """From the entry and from every printing node: the hops out of it."""
    labels: dict[int, str] = field(default_factory=dict)
    """What each hop node prints (``printed``), precomputed: the alignment asks millions of times."""
    ends: frozenset[int] = frozenset()

    @property
    def entry(self) -> int:
        return self.x.entry

    def is_end(self, node: int) -> bool:
        return node in self.ends

    def printed(self, node: int) -> str:
        """The statement a node prints in this log, ``EXIT``/``THROW`` at the ends, else ''."""
        known = self.labels.get(node)
        if known is not None:
            return known
        exit_node, throw_node = self.x.terminals
        if node == exit_node:
            return EXIT
        if node == throw_node:
            return THROW
        statement = self.x.statement(node)
        return "" if statement in self.silent else statement

    def nodes_of(self, statement: str) -> list[int]:
        return [n for n in self.hops if n != self.entry and self.printed(n) == statement]

    def statements(self) -> set[str]:
        """The statements this graph can print (ends left out)."""
        return {self.printed(n) for n in self.hops if n != self.entry and not self.is_end(n)}

    def alternatives(self, node: int) -> list[Alternative]:
        """What can be printed right after ``node`` (the entry: first), each with its conditions."""
        seen: dict[str, Alternative] = {}
        for hop in self.hops.get(node, ()):
            statement = self.printed(hop.target)
            if statement not in seen:
                conditions = tuple(condition_text(c) for c in branch_conditions(self.x, hop.steps))
                seen[statement] = Alternative(statement, conditions)
        return list(seen.values())

    def followers(self, statement: str) -> set[str]:
        """Statements (and ends) that can come right after ``statement`` in this graph."""
        return {self.printed(h.target) for n in self.nodes_of(statement) for h in self.hops[n]}

    def first(self) -> set[str]:
        return {self.printed(h.target) for h in self.hops.get(self.entry, ())}


def _hops_from(x: Expanded, start: int, printing: list[bool], ends: set[int]) -> list[Hop]:
    """Breadth-first through silent nodes: the shortest way to each next printing node or end.
    ``start`` itself counts as a target (a loop that prints the same statement again)."""
    parent: dict[int, Step] = {}
    seen: set[int] = set()
    queue = deque([start])
    found: list[Hop] = []
    while queue:
        node = queue.popleft()
        for edge in x.succ[node]:
            target = edge[0]
            if target in seen:
                continue
            seen.add(target)
            parent[target] = (node, edge)
            if printing[target] or target in ends or target == start:
                if target == start and not printing[target]:
                    continue  # back at a silent start (the entry): no statement printed on the way
                steps: list[Step] = []
                cur = target
                while True:
                    step = parent[cur]
                    steps.append(step)
                    cur = step[0]
                    if cur == start:
                        break
                steps.reverse()
                found.append(Hop(target, tuple(steps)))
                continue
            queue.append(target)
    return found


def flow_graph(program: Program, root: str, silent: Iterable[str] = (), max_depth: int = 3) -> FlowGraph:
    """``root``'s expanded LCFG collapsed to what a log at the given level shows (see module doc)."""
    x = expand(analysis_for(program), root, max_depth)
    quiet = frozenset(silent)
    printing = [bool(s) and s not in quiet for s in (x.statement(n) for n in range(len(x.succ)))]
    ends = set(x.terminals)
    graph = FlowGraph(root, x, quiet, ends=frozenset(ends))
    graph.hops[x.entry] = _hops_from(x, x.entry, printing, ends)
    for node, prints in enumerate(printing):
        if prints:
            graph.hops[node] = _hops_from(x, node, printing, ends)
    for end in ends:
        graph.hops.setdefault(end, [])
    graph.labels = {node: graph.printed(node) for node in graph.hops}
    return graph
