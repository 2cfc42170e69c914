"""Which methods to read a session from: the methods that print its statements and their callers.

A session's lines come from a handful of methods; the path that explains them starts in one of
them or in a caller that inlines them (tools/lcfg inlines ``max_depth`` calls deep). Candidates are
ranked by how many of the session's distinct statements they can reach within that depth, then by
how close they sit to the printing methods, so the first few are the ones worth aligning against.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection

from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg.analysis import analysis_for

MAX_CANDIDATES = 300
"""Callers examined at most (a helper called from everywhere has thousands)."""


def _reachable_logs(program: Program, method: str, depth: int) -> set[str]:
    analysis = analysis_for(program)
    seen = {method}
    frontier = [method]
    logs = set(analysis.own_logs.get(method, ()))
    for _ in range(depth):
        nxt = []
        for caller in frontier:
            for callee in analysis.callees.get(caller, ()):
                if callee not in seen and callee in analysis.reach:
                    seen.add(callee)
                    nxt.append(callee)
                    logs.update(analysis.own_logs.get(callee, ()))
        frontier = nxt
    return logs


def candidate_roots(program: Program, statements: Collection[str], *, max_depth: int = 3,
                    limit: int = 4) -> list[str]:
    """Up to ``limit`` method ids whose expanded LCFG can print most of ``statements``."""
    analysis = analysis_for(program)
    printing = {program.log_statements[s].method for s in statements
                if s in program.log_statements and program.log_statements[s].method in program.methods}
    distance: dict[str, int] = {m: 0 for m in printing}
    queue = deque(sorted(printing))
    while queue and len(distance) < MAX_CANDIDATES:
        method = queue.popleft()
        if distance[method] >= max_depth:
            continue
        for caller in sorted(analysis.callers.get(method, ())):
            if caller not in distance and caller in program.methods:
                distance[caller] = distance[method] + 1
                queue.append(caller)
    wanted = set(statements)
    scored = [(len(_reachable_logs(program, m, max_depth) & wanted), -d, m) for m, d in distance.items()]
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return [m for covered, _, m in scored[:limit] if covered]
