"""Explain a real log session against the source: which statements printed it, which of its
transitions no source path allows, the nearest valid path and the branch conditions where they part.

Public API::

    select_session(lines, session_id) -> list[MatchedLine]     # the lines that name the id
    session_ids(lines, top=20) -> list[tuple[str, int]]         # ids a log's lines name, most lines first
    explain_lines(program, lines, min_level=None) -> Explanation
"""

from __future__ import annotations

from anomalygen.tools.explain.explain import Explanation, GroupExplanation, explain_lines
from anomalygen.tools.explain.flow import Alternative, FlowGraph, flow_graph
from anomalygen.tools.explain.select import select_session, session_ids

__all__ = [
    "Alternative",
    "Explanation",
    "FlowGraph",
    "GroupExplanation",
    "explain_lines",
    "flow_graph",
    "select_session",
    "session_ids",
]
