"""The nearest valid path: edit distance between a session's statements and a flow graph's paths.

A shortest-path search (Dijkstra) over (graph node, events consumed) states: following a hop to
the statement the session shows next is free; a statement the path prints but the session lacks
(``path-only``), a session event the path does not print (``log-only``) and one printed in place of
the other (``substituted``) cost 1 each. Loops in the graph are taken as often as the session needs,
so a long-running thread's repeated lines cost nothing. The answer is the cheapest complete path
from the root's entry to one of its ends, with the alignment that explains its cost.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from anomalygen.records import Path
from anomalygen.tools.explain.flow import FlowGraph, Hop
from anomalygen.tools.lcfg.paths import Step, materialize

MAX_STATES = 300_000
"""States explored per graph before giving up (a session far too long for one path)."""

State = tuple[int, int]


@dataclass(frozen=True, slots=True)
class AlignOp:
    """One step of the alignment."""

    kind: str
    """``match``, ``substituted``, ``path-only``, ``log-only`` or ``end``."""
    event: int | None
    """Index of the session event involved (None for path-only and end)."""
    node: int
    """Graph node the alignment is at after this step."""
    hop: Hop | None
    """The hop the path took (None for log-only)."""
    before: int
    """Graph node the alignment was at before this step."""
    position: int
    """Session events consumed before this step (the next one the session shows is this index)."""


@dataclass(slots=True)
class Alignment:
    graph: FlowGraph
    cost: int
    ops: list[AlignOp]

    @property
    def matches(self) -> int:
        return sum(op.kind == "match" for op in self.ops)

    def steps(self) -> list[Step]:
        return [step for op in self.ops if op.hop is not None for step in op.hop.steps]

    def path(self) -> Path:
        """The aligned path as a tools/lcfg ``Path`` (statements, conditions, methods)."""
        return materialize(self.graph.x, self.steps())

    def parting(self) -> AlignOp | None:
        """The first step where the path and the session disagree, None when they agree throughout."""
        return next((op for op in self.ops if op.kind not in ("match", "end")), None)


_MATCH, _SUBSTITUTED, _PATH_ONLY, _LOG_ONLY, _END = "match", "substituted", "path-only", "log-only", "end"


def align(graph: FlowGraph, events: Sequence[str], max_states: int = MAX_STATES) -> Alignment | None:
    """The cheapest alignment of ``events`` (statement ids) with a complete path of ``graph``;
    None when the graph has no complete path or the search exceeds ``max_states``."""
    n = len(events)
    # Ties in edit distance go to the alignment that matches more events (a missing line explains
    # more than an extra one): every edit costs n + 1, plus 1 when it leaves an event unmatched.
    edit, unmatched = n + 1, n + 2
    start: State = (graph.entry, 0)
    dist: dict[State, int] = {start: 0}
    # state -> (previous state, op kind, hop): ops are only built for the winning chain
    parent: dict[State, tuple[State, str, Hop | None]] = {}
    queue: list[tuple[int, State]] = [(0, start)]
    labels, ends, hops = graph.labels, graph.ends, graph.hops
    goal: State | None = None
    while queue:
        cost, state = heapq.heappop(queue)
        if cost > dist[state]:
            continue
        node, i = state
        at_end = node in ends
        if at_end and i == n:
            goal = state
            break
        if len(dist) > max_states:
            return None
        moves: list[tuple[State, int, str, Hop | None]] = []
        if i < n:
            moves.append(((node, i + 1), cost + unmatched, _LOG_ONLY, None))
        if not at_end:
            expected = events[i] if i < n else None
            for hop in hops.get(node, ()):
                target = hop.target
                if target in ends:
                    moves.append(((target, i), cost, _END, hop))
                elif labels[target] == expected:
                    moves.append(((target, i + 1), cost, _MATCH, hop))
                else:
                    moves.append(((target, i), cost + edit, _PATH_ONLY, hop))
                    if expected is not None:
                        moves.append(((target, i + 1), cost + unmatched, _SUBSTITUTED, hop))
        for nxt, new_cost, kind, taken in moves:
            if new_cost < dist.get(nxt, new_cost + 1):
                dist[nxt] = new_cost
                parent[nxt] = (state, kind, taken)
                heapq.heappush(queue, (new_cost, nxt))
    if goal is None:
        return None
    ops: list[AlignOp] = []
    cur = goal
    while cur != start:
        prev, kind, via = parent[cur]
        event = prev[1] if kind in (_MATCH, _SUBSTITUTED, _LOG_ONLY) else None
        ops.append(AlignOp(kind, event, cur[0], via, prev[0], prev[1]))
        cur = prev
    ops.reverse()
    return Alignment(graph, sum(op.kind not in (_MATCH, _END) for op in ops), ops)
