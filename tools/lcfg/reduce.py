"""Collapse a statement-level CFG to an LCFG: keep the events and the terminals, and replace every
event-free stretch between two of them by one edge that carries the facts met on the way.

Between two events there can be exponentially many event-free paths, so each source keeps the
shortest path to every reachable target (found breadth-first, which guarantees every target is
kept) plus at most ``MAX_VARIANTS - 1`` other condition lists found by a depth-first search with a
fixed step budget. The extra variants give the feasibility check a second chance when the first
list turns out contradictory.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from anomalygen.records import Condition
from anomalygen.tools.lcfg.graph import LCFG, LEdge, LNode
from anomalygen.tools.lcfg.rawcfg import ENTRY, EdgeFlag, RawCFG, RawEdge

MAX_VARIANTS = 2
VARIANT_STEPS = 64
KEPT = frozenset({"entry", "exit", "throw", "log", "call"})

Reached = tuple[int, tuple[Condition, ...], int]


def reduce_cfg(raw: RawCFG, method: str) -> LCFG:
    lcfg = LCFG(method, raw.file)
    index: dict[int, int] = {}
    for rid, node in enumerate(raw.nodes):
        if node.kind in KEPT:
            index[rid] = len(lcfg.nodes)
            lcfg.nodes.append(LNode(node.kind, node.statement, node.targets, node.line, node.receiver,
                                    node.implicit_throw, node.arguments))
            lcfg.out.append([])
    for rid, lid in index.items():
        if raw.nodes[rid].kind in ("exit", "throw"):
            continue
        if rid != ENTRY and not raw.preds[rid]:
            continue  # an event in unreachable code
        seen: set[tuple[int, tuple[Condition, ...], bool, int]] = set()
        for first in raw.succ[rid]:
            for dst, facts, flags in _closure(raw, first):
                key = (index[dst], facts, first.exceptional, flags)
                if key in seen:
                    continue
                seen.add(key)
                lcfg.out[lid].append(len(lcfg.edges))
                lcfg.edges.append(LEdge(lid, index[dst], facts, first.exceptional, flags))
    return lcfg


def _kept(raw: RawCFG, node: int) -> bool:
    return raw.nodes[node].kind in KEPT and node != ENTRY


def _closure(raw: RawCFG, first: RawEdge) -> Iterator[Reached]:
    """Every kept node reachable from ``first`` through no-op nodes, with the facts on the way."""
    if _kept(raw, first.dst):
        yield first.dst, first.facts, first.flags
        return
    parent: dict[int, tuple[int, RawEdge] | None] = {first.dst: None}
    queue = deque([first.dst])
    found: list[tuple[int, int, RawEdge]] = []
    while queue:
        node = queue.popleft()
        for edge in raw.succ[node]:
            if _kept(raw, edge.dst):
                found.append((edge.dst, node, edge))
            elif edge.dst not in parent:
                parent[edge.dst] = (node, edge)
                queue.append(edge.dst)
    counts: dict[int, int] = {}
    emitted: set[tuple[int, tuple[Condition, ...]]] = set()
    for dst, via, last in found:
        if counts.get(dst, 0):
            continue
        chain = [last]
        cur = via
        while (step := parent[cur]) is not None:
            cur, edge = step
            chain.append(edge)
        chain.append(first)
        chain.reverse()
        facts = tuple(f for e in chain for f in e.facts)
        flags = EdgeFlag.NONE
        for e in chain:
            flags |= e.flags
        counts[dst] = 1
        emitted.add((dst, facts))
        yield dst, facts, flags
    if MAX_VARIANTS > 1:
        yield from _variants(raw, first, counts, emitted)


def _variants(raw: RawCFG, first: RawEdge, counts: dict[int, int],
              emitted: set[tuple[int, tuple[Condition, ...]]]) -> Iterator[Reached]:
    budget = VARIANT_STEPS
    stack: list[tuple[int, tuple[Condition, ...], int, frozenset[int]]] = [
        (first.dst, first.facts, first.flags, frozenset({first.dst}))]
    while stack and budget > 0:
        node, facts, flags, on_path = stack.pop()
        for edge in raw.succ[node]:
            budget -= 1
            step_facts, step_flags = facts + edge.facts, flags | edge.flags
            if _kept(raw, edge.dst):
                key = (edge.dst, step_facts)
                if key not in emitted and counts.get(edge.dst, 0) < MAX_VARIANTS:
                    emitted.add(key)
                    counts[edge.dst] = counts.get(edge.dst, 0) + 1
                    yield edge.dst, step_facts, step_flags
            elif edge.dst not in on_path:
                stack.append((edge.dst, step_facts, step_flags, on_path | {edge.dst}))
