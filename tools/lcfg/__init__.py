"""LCFGs, entry points, path enumeration and z3 feasibility (issue 2, "LCFG and paths").

Public API::

    build_lcfg(program, method_id) -> LCFG
    discover_entries(program) -> list[str]
    enumerate_paths(program, entries=None, *, limit=None, max_depth=3, per_entry=50) -> list[Path]
    check_feasibility(conditions) -> Feasibility

``PathEnumerator`` is the same enumeration with its statistics (coverage, dropped UNSAT paths).
"""

from __future__ import annotations

from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg.analysis import analysis_for
from anomalygen.tools.lcfg.entries import discover_entries, ranked_entries, resolve_entry
from anomalygen.tools.lcfg.feasibility import check_feasibility
from anomalygen.tools.lcfg.graph import LCFG, LEdge, LNode
from anomalygen.tools.lcfg.paths import EnumerationStats, PathEnumerator, enumerate_paths


def build_lcfg(program: Program, method_id: str) -> LCFG:
    """The (memoized) LCFG of one method; ``KeyError`` for an unknown method id."""
    return analysis_for(program).lcfg(method_id)


__all__ = [
    "LCFG",
    "EnumerationStats",
    "LEdge",
    "LNode",
    "PathEnumerator",
    "build_lcfg",
    "check_feasibility",
    "discover_entries",
    "enumerate_paths",
    "ranked_entries",
    "resolve_entry",
]
