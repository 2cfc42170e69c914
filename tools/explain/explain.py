"""``explain_lines``: a real session's lines -> statements, impossible transitions, nearest path.

The lines are grouped by the execution they come from (the thread when the log names one, else
the logger), since one session interleaves several threads and components and a transition
between two of them says nothing about the source. Within a group, a transition ``a -> b`` is
``direct`` when some source path prints ``b`` right after ``a`` (statements below the log's level
being silent), ``restart`` when ``a`` can end an execution and ``b`` can begin one (two runs back to
back), and ``none`` when no source path allows it. Each group is then aligned with the paths of its
candidate methods (``align``) and the nearest one is shown, with the branch where it and the log part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anomalygen.records import Level
from anomalygen.tools.explain.align import Alignment, align
from anomalygen.tools.explain.flow import EXIT, THROW, Alternative, FlowGraph, condition_text, flow_graph
from anomalygen.tools.explain.roots import candidate_roots
from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg.feasibility import check_feasibility
from anomalygen.tools.logs.match import MatchedLine

MAX_EVENTS = 40
"""Events of a group aligned at most (the rest are reported, not aligned)."""
MAX_ALIGNED_ROOTS = 2
"""Best-ranked candidate methods the group is aligned with (each costs a search)."""


@dataclass(slots=True)
class Transition:
    index: int
    """Position of ``after`` in the group's matched events."""
    before: str
    after: str
    status: str
    """``direct``, ``restart`` or ``none``."""
    allowed: list[Alternative] = field(default_factory=list)
    """For ``none``: what the source can print right after ``before`` instead."""


@dataclass(slots=True)
class Parting:
    """Where the nearest path and the session first disagree."""

    event: int | None
    """Index in the group's events of the first event that differs (None: the session ended)."""
    last_common: str
    """The last statement both printed (empty: they differ from the start)."""
    path_next: str
    session_next: str
    taken: list[str]
    """Branch conditions of the path's way to ``path_next``."""
    alternatives: list[Alternative]
    session_next_possible: bool


@dataclass(slots=True)
class GroupExplanation:
    key: str
    lines: list[int]
    """Log line numbers of the group's matched lines, in order."""
    events: list[str]
    transitions: list[Transition]
    roots: list[str]
    distance: int | None = None
    path: dict[str, Any] | None = None
    ops: list[dict[str, Any]] = field(default_factory=list)
    parting: Parting | None = None
    truncated: bool = False


@dataclass(slots=True)
class Explanation:
    lines: int
    matched: int
    unmatched: list[dict[str, Any]]
    grouped_by: str
    min_level: str | None
    groups: list[GroupExplanation]
    depth: int = 3
    """How many calls deep callees were inlined: a transition through deeper calls is not seen."""

    @property
    def impossible(self) -> list[Transition]:
        return [t for g in self.groups for t in g.transitions if t.status == "none"]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self) | {"impossible": len(self.impossible)}


def _min_level(lines: Sequence[MatchedLine]) -> Level | None:
    levels = []
    for line in lines:
        try:
            levels.append(Level.parse(line.entry.level)) if line.entry.level else None
        except ValueError:
            continue
    return min(levels, key=lambda lvl: lvl.severity) if levels else None


def _grouping(lines: Sequence[MatchedLine]) -> tuple[str, list[tuple[str, list[MatchedLine]]]]:
    by = "thread" if any(line.entry.thread for line in lines) else "logger"
    groups: dict[str, list[MatchedLine]] = {}
    for line in lines:
        key = (line.entry.thread if by == "thread" else line.entry.logger or line.entry.source_class) or "-"
        groups.setdefault(key, []).append(line)
    return by, list(groups.items())


class _Graphs:
    """Flow graphs built once per root for the whole explanation."""

    def __init__(self, program: Program, silent: frozenset[str], max_depth: int) -> None:
        self.program, self.silent, self.max_depth = program, silent, max_depth
        self.built: dict[str, FlowGraph] = {}

    def roots_for(self, statements: Sequence[str]) -> list[str]:
        return candidate_roots(self.program, set(statements), max_depth=self.max_depth, limit=2)

    def of(self, roots: Sequence[str]) -> list[FlowGraph]:
        for root in roots:
            if root not in self.built:
                self.built[root] = flow_graph(self.program, root, self.silent, self.max_depth)
        return [self.built[r] for r in roots]


def _transitions(events: Sequence[str], graphs: _Graphs, group_roots: Sequence[str]) -> list[Transition]:
    """Each consecutive pair judged against the group's roots and the roots that best reach the pair
    itself (a pair can sit deeper in the call tree than the group's best roots inline)."""
    ends = {EXIT, THROW}
    out: list[Transition] = []
    verdicts: dict[tuple[str, str], tuple[str, list[Alternative]]] = {}
    for index in range(1, len(events)):
        before, after = events[index - 1], events[index]
        if (before, after) not in verdicts:
            roots = list(group_roots)
            roots += [r for r in graphs.roots_for((before, after)) if r not in roots]
            flows = graphs.of(roots)
            followers = set().union(*(g.followers(before) for g in flows))
            if after in followers:
                status = "direct"
            elif followers & ends and any(after in g.first() for g in flows):
                status = "restart"
            else:
                status = "none"
            allowed: list[Alternative] = []
            if status == "none":
                for graph in flows:
                    for node in graph.nodes_of(before)[:1]:
                        allowed.extend(a for a in graph.alternatives(node) if a not in allowed)
            verdicts[(before, after)] = (status, allowed[:8])
        status, allowed = verdicts[(before, after)]
        out.append(Transition(index, before, after, status, allowed))
    return out


def _parting(alignment: Alignment, events: Sequence[str]) -> Parting | None:
    op = alignment.parting()
    if op is None:
        return None
    graph = alignment.graph
    last = graph.printed(op.before) if op.before != graph.entry else ""
    path_next = graph.printed(op.hop.target) if op.hop is not None else ""
    if op.kind == "log-only":  # the session prints something here; the path goes on elsewhere
        later = next((o for o in alignment.ops[alignment.ops.index(op):] if o.hop is not None), None)
        path_next = graph.printed(later.hop.target) if later is not None and later.hop is not None else EXIT
    taken: list[str] = []
    hop = op.hop
    if hop is None:
        following = [h for h in graph.hops.get(op.before, ()) if graph.printed(h.target) == path_next]
        hop = following[0] if following else None
    if hop is not None:
        from anomalygen.tools.explain.flow import branch_conditions

        taken = [condition_text(c) for c in branch_conditions(graph.x, hop.steps)]
    session_next = events[op.position] if op.position < len(events) else "(end of session)"
    alternatives = graph.alternatives(op.before)
    position = op.position if op.position < len(events) else None
    return Parting(position, last, path_next, session_next, taken, alternatives,
                   any(a.statement == session_next for a in alternatives))


def _best(graphs: Sequence[FlowGraph], events: Sequence[str]) -> Alignment | None:
    best: Alignment | None = None
    for graph in graphs:
        found = align(graph, events)
        if found is not None and (best is None or (found.cost, -found.matches) < (best.cost, -best.matches)):
            best = found
    return best


def explain_lines(program: Program, lines: Sequence[MatchedLine], *, min_level: Level | None = None,
                  max_groups: int = 4, max_roots: int = 4, max_depth: int = 3) -> Explanation:
    """Explain one real session (its lines, already matched to ``program``'s statements)."""
    level = min_level or _min_level(lines)
    silent = frozenset(s.id for s in program.log_statements.values()
                       if level is not None and s.level.severity < level.severity)
    matched = [line for line in lines if line.statement is not None]
    unmatched = [{"line_no": line.entry.line_no, "text": line.entry.text[:200]}
                 for line in lines if line.statement is None]
    by, groups = _grouping(matched)
    groups.sort(key=lambda item: -len(item[1]))
    graphs = _Graphs(program, silent, max_depth)
    explained: list[GroupExplanation] = []
    for key, group in groups[:max_groups]:
        events = [line.statement.id for line in group if line.statement is not None]
        roots = candidate_roots(program, set(events), max_depth=max_depth, limit=max_roots)
        flows = graphs.of(roots)
        result = GroupExplanation(key, [line.entry.line_no for line in group], events,
                                  _transitions(events, graphs, roots), roots,
                                  truncated=len(events) > MAX_EVENTS)
        best = _best(flows[:MAX_ALIGNED_ROOTS], events[:MAX_EVENTS])
        if best is not None:
            path = best.path()
            result.distance = best.cost
            result.path = path.to_dict() | {"feasibility": check_feasibility(path.conditions).value}
            result.ops = [{"op": op.kind, "event": op.event,
                           "statement": best.graph.printed(op.node) if op.kind != "log-only" else None}
                          for op in best.ops if op.kind != "end"]
            result.parting = _parting(best, events)
        explained.append(result)
    return Explanation(len(lines), len(matched), unmatched[:20], by, level.value if level else None,
                       explained, max_depth)
