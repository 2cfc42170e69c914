"""Path enumeration over expanded entry graphs, coverage first.

Phase 1 (coverage): for every entry in rank order, walk the expanded graph breadth-first; for each
edge whose LCFG edge or log statement is not covered yet, build the path
``shortest prefix from the entry + that edge + shortest suffix to an exit`` and keep it when it is
not UNSAT. So every reachable statement and LCFG edge appears in some path before any duplicate.
Phase 2 (variety): round-robin over the entries, a depth-first walk that visits each node at most
twice (loops taken 0, 1 or 2 times) adds further distinct paths until ``per_entry``/``limit``.
Both phases have explicit budgets, so a huge method or call tree cannot blow up the run. With the
automatic limit the statement pass always completes (see ``PathEnumerator``).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from anomalygen.records import Condition, Feasibility, Path
from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg.analysis import Analysis, analysis_for
from anomalygen.tools.lcfg.entries import discover_entries, fallback_entries
from anomalygen.tools.lcfg.expand import DEFAULT_NODE_BUDGET, Expanded, XEdge, expand
from anomalygen.tools.lcfg.feasibility import check_feasibility
from anomalygen.tools.lcfg.rawcfg import EdgeFlag

DFS_STEPS = 20_000
"""Depth-first steps per entry in phase 2."""
MIN_FAILURES = 20
"""Rejected candidates (UNSAT) tolerated per entry: at least this many, or twice ``per_entry``."""
MAX_VISITS = 2
RESCUE_CANDIDATES = 24
"""Alternative paths tried per statement whose shortest path was UNSAT (see ``_rescue``)."""
_TOKENS = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")

Step = tuple[int, XEdge]
"""(source node, edge) of an expanded path."""


@dataclass(slots=True)
class EnumerationStats:
    entries: int = 0
    paths: int = 0
    dropped_unsat: int = 0
    reachable_statements: set[str] = field(default_factory=set)
    covered_statements: set[str] = field(default_factory=set)
    reachable_edges: int = 0
    covered_edges: int = 0
    cut_calls: int = 0
    fallback_entries: int = 0
    """Entries added for log statements that the discovered entries could not reach."""
    lcfgs_built: int = 0
    seconds: float = 0.0
    feasibility: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"entries": self.entries, "paths": self.paths, "dropped_unsat": self.dropped_unsat,
                "statements_reachable": len(self.reachable_statements),
                "statements_covered": len(self.covered_statements),
                "edges_reachable": self.reachable_edges, "edges_covered": self.covered_edges,
                "cut_calls": self.cut_calls, "fallback_entries": self.fallback_entries,
                "lcfgs_built": self.lcfgs_built,
                "feasibility": dict(self.feasibility), "seconds": round(self.seconds, 3)}


def _edge_key(x: Expanded, edge: XEdge) -> tuple[str, int, int] | None:
    _, activation, edge_index, _ = edge
    if edge_index < 0:
        return None
    act = x.activations[activation]
    lcfg_edge = act.lcfg.edges[edge_index]
    return (act.method, lcfg_edge.src, lcfg_edge.dst)


def _relevant(conditions: list[Condition]) -> tuple[Condition, ...]:
    """Drop bookkeeping facts that no later branch condition of the same scope could read."""
    later: dict[str, set[str]] = {}
    branches: set[str] = set()
    kept: list[Condition] = []
    for c in reversed(conditions):
        names = later.setdefault(c.scope, set())
        if c.kind == "bind":
            target_scope, _, source_scope = c.scope.partition("<")
            target, _, value = c.expression.partition(" = ")
            if target.strip() not in later.setdefault(target_scope, set()):
                continue
            later.setdefault(source_scope, set()).update(_TOKENS.findall(value))
        elif c.kind == "assign":
            target, _, value = c.expression.partition(" = ")
            if target.strip() not in names:
                continue
            names.update(_TOKENS.findall(value))
        elif c.kind == "havoc":
            if c.expression.strip() not in names:
                continue
        elif c.kind == "iterate":
            if c.scope not in branches:
                continue
        else:
            branches.add(c.scope)
            names.update(_TOKENS.findall(c.expression))
        kept.append(c)
    kept.reverse()
    return tuple(kept)


def _scope(entries: dict[int, int], activation: int) -> str:
    count = entries.get(activation, 1)
    return str(activation) if count <= 1 else f"{activation}.{count}"


def materialize(x: Expanded, steps: Sequence[Step]) -> Path:
    statements: list[str] = []
    conditions: list[Condition] = []
    methods: list[str] = [x.entry_method]
    flags = EdgeFlag.NONE
    last = x.entry
    # A callee activation entered again (its caller is in a loop) is a new call with new locals:
    # number the entries so its conditions do not constrain the previous call's.
    entries = {0: 1}
    for _, (dst, activation, edge_index, extra) in steps:
        scope = _scope(entries, activation)
        callee_scope = scope
        if edge_index < 0:
            callee = x.node_activation[dst]
            entries[callee] = entries.get(callee, 0) + 1
            callee_scope = _scope(entries, callee)
        for c in extra:  # dispatch (caller's scope) and bind (callee's parameter < caller's argument)
            own = f"{callee_scope}<{scope}" if c.kind == "bind" else scope
            conditions.append(Condition(c.expression, c.holds, c.file, c.line, c.kind, own))
        if edge_index >= 0:
            edge = x.activations[activation].lcfg.edges[edge_index]
            flags |= edge.flags
            conditions.extend(Condition(c.expression, c.holds, c.file, c.line, c.kind, scope)
                              for c in edge.facts)
        statement = x.statement(dst)
        if statement:
            statements.append(statement)
        method = x.method_of(dst)
        if method not in methods:
            methods.append(method)
        last = dst
    kept = _relevant(conditions)
    digest = hashlib.sha1(x.entry_method.encode())
    digest.update("\x1f".join(statements).encode())
    for c in kept:
        digest.update(f"\x1e{c.expression}\x1d{c.holds}\x1d{c.kind}\x1d{c.scope}".encode())
    return Path(id=digest.hexdigest()[:16], entry=x.entry_method, statements=tuple(statements),
                conditions=kept, through_catch=bool(flags & EdgeFlag.CATCH),
                through_throw=bool(flags & EdgeFlag.THROW) or last == x.terminals[1],
                methods=tuple(methods))


def _bfs(x: Expanded) -> tuple[list[int], dict[int, Step]]:
    order, parent = [x.entry], {}
    seen = {x.entry}
    queue = deque([x.entry])
    while queue:
        node = queue.popleft()
        for edge in x.succ[node]:
            if edge[0] not in seen:
                seen.add(edge[0])
                parent[edge[0]] = (node, edge)
                order.append(edge[0])
                queue.append(edge[0])
    return order, parent


def _to_exit(x: Expanded, terminals: Sequence[int] | None = None) -> dict[int, Step]:
    """For each node that can reach a terminal (of ``terminals``, default both the normal exit and
    the uncaught-exception one): the first step of a shortest way there."""
    preds: dict[int, list[Step]] = {}
    for node, edges in enumerate(x.succ):
        for edge in edges:
            preds.setdefault(edge[0], []).append((node, edge))
    nxt: dict[int, Step] = {}
    ends = x.terminals if terminals is None else terminals
    done = set(ends)
    queue = deque(ends)
    while queue:
        node = queue.popleft()
        for src, edge in preds.get(node, ()):
            if src not in done:
                done.add(src)
                nxt[src] = (src, edge)
                queue.append(src)
    return nxt


AUTO_LIMIT = 1000
"""Paths kept with ``limit=None`` (auto), unless reaching every reachable statement needs more."""


class PathEnumerator:
    """``limit`` caps the paths kept. ``None`` (auto) keeps ``AUTO_LIMIT``, except that the
    statement pass always finishes: on a large repository (Tomcat: 2,847 reachable statements)
    a fixed cap would leave most statements uncovered, and covering them is the point."""

    def __init__(self, program: Program, entries: Sequence[str] | None = None, *, limit: int | None = None,
                 max_depth: int = 3, per_entry: int = 50, node_budget: int = DEFAULT_NODE_BUDGET) -> None:
        self.analysis: Analysis = analysis_for(program)
        self.program = program
        self.discovered = entries is None
        """Discovered entries are topped up with ``fallback_entries`` for statements they miss."""
        self.entries = list(entries) if entries is not None else discover_entries(program)
        self.limit = limit if limit is not None else AUTO_LIMIT
        self.max_depth, self.per_entry = max_depth, per_entry
        self._cover_all = limit is None
        """Auto: the statement pass ignores ``limit`` and ``per_entry`` (set while it runs)."""
        self._uncapped = False
        self.node_budget = node_budget
        self.stats = EnumerationStats(entries=len(self.entries))
        self._covered_edges: set[tuple[str, int, int]] = set()
        self._reachable_edges: set[tuple[str, int, int]] = set()
        self._ids: set[str] = set()
        self._per_entry: dict[str, int] = {}
        self._failures: dict[str, int] = {}
        self.paths: list[Path] = []

    def _gave_up(self, entry: str) -> bool:
        """An entry whose candidates keep failing (contradictory guards) stops costing solver time."""
        return self._failures.get(entry, 0) >= max(MIN_FAILURES, 2 * self.per_entry)

    def _accept(self, path: Path) -> bool:
        if path.id in self._ids or (len(self.paths) >= self.limit and not self._uncapped):
            return False
        verdict = check_feasibility(path.conditions)
        self.stats.feasibility[verdict.value] = self.stats.feasibility.get(verdict.value, 0) + 1
        if verdict == Feasibility.UNSAT:
            self.stats.dropped_unsat += 1
            self._failures[path.entry] = self._failures.get(path.entry, 0) + 1
            return False
        self._ids.add(path.id)
        self.paths.append(Path(path.id, path.entry, path.statements, path.conditions, verdict,
                               path.through_catch, path.through_throw, path.methods))
        self._per_entry[path.entry] = self._per_entry.get(path.entry, 0) + 1
        return True

    def run(self, on_entry: object = None) -> list[Path]:
        started = time.perf_counter()
        graphs: list[tuple[Expanded, list[int], dict[int, Step], dict[int, Step]]] = []
        pending = list(self.entries)
        while pending:
            for entry in pending:
                x = expand(self.analysis, entry, self.max_depth, self.node_budget)
                self.stats.cut_calls += x.cut_calls
                order, parent = _bfs(x)
                graphs.append((x, order, parent, _to_exit(x)))
                self._note_reachable(x, order)
                if callable(on_entry):
                    on_entry(entry)
            pending = []
            if self.discovered:
                self.discovered = False
                pending = fallback_entries(self.program, self.stats.reachable_statements, set(self.entries))
                self.entries.extend(pending)
                self.stats.fallback_entries = len(pending)
                self.stats.entries = len(self.entries)
        # Statements first (across all entries), then the remaining LCFG edges, then duplicates.
        for statements_only in (True, False):
            self._uncapped = statements_only and self._cover_all
            for x, order, parent, to_exit in graphs:
                self._cover(x, order, parent, to_exit, statements_only)
                if statements_only:
                    self._rescue(x, parent, to_exit)
            self._uncapped = False
            self.limit = max(self.limit, len(self.paths))
        walkers = [(x, self._walk(x)) for x, _, _, _ in graphs]
        while walkers and len(self.paths) < self.limit:
            still: list[tuple[Expanded, Iterator[list[Step]]]] = []
            for x, walker in walkers:
                if self._per_entry.get(x.entry_method, 0) >= self.per_entry or self._gave_up(x.entry_method):
                    continue
                for steps in walker:
                    if self._gave_up(x.entry_method):
                        break
                    if self._accept(materialize(x, steps)):
                        still.append((x, walker))
                        break
            walkers = still
        self.stats.paths = len(self.paths)
        self.stats.reachable_edges = len(self._reachable_edges)
        self.stats.covered_edges = len(self._covered_edges & self._reachable_edges)
        self.stats.lcfgs_built = self.analysis.built
        self.stats.seconds = time.perf_counter() - started
        return self.paths

    def _note_reachable(self, x: Expanded, order: list[int]) -> None:
        for node in order:
            statement = x.statement(node)
            if statement:
                self.stats.reachable_statements.add(statement)
            for edge in x.succ[node]:
                key = _edge_key(x, edge)
                if key is not None:
                    self._reachable_edges.add(key)

    def _cover(self, x: Expanded, order: list[int], parent: dict[int, Step], to_exit: dict[int, Step],
               statements_only: bool) -> None:
        covered = self.stats.covered_statements
        for node in order:
            for edge in x.succ[node]:
                entry_full = self._per_entry.get(x.entry_method, 0) >= self.per_entry
                capped = len(self.paths) >= self.limit or entry_full
                if self._gave_up(x.entry_method) or (capped and not self._uncapped):
                    return
                statement = x.statement(edge[0])
                new_statement = bool(statement) and statement not in covered
                if statements_only and not new_statement:
                    continue
                key = _edge_key(x, edge)
                if not new_statement and (key is None or key in self._covered_edges):
                    continue
                steps = self._through(x, parent, to_exit, node, edge)
                if self._accept(materialize(x, steps)):
                    for _, step_edge in steps:
                        step_key = _edge_key(x, step_edge)
                        if step_key is not None:
                            self._covered_edges.add(step_key)
                    covered.update(self.paths[-1].statements)

    def _rescue(self, x: Expanded, parent: dict[int, Step], to_exit: dict[int, Step]) -> None:
        """Statements the shortest-path pass left uncovered because that one path was UNSAT: try
        other ways to them. The shortest way to a statement after a loop often skips the assignment
        its guard reads (HDFS's ``Received block`` needs ``lastPacketInBlock = pkt.lastPacketInBlock``
        on the way, where the shortest way leaves the loop through a catch)."""
        covered = self.stats.covered_statements
        targets = [node for node in range(len(x.succ))
                   if x.statement(node) and x.statement(node) not in covered and node in parent]
        if targets:
            # Finish by the normal exit where one is reachable: leaving by an exception would make
            # the rescued path a failure that the statement's own flow does not imply.
            normal = _to_exit(x, x.terminals[:1])
            to_exit = {**to_exit, **normal}
        for target in targets:
            # Not bounded by ``_gave_up``: a loop-heavy entry spends its failures on the shortest
            # candidates, and the rescue has a budget of its own per statement.
            if x.statement(target) in covered or (not self._uncapped and len(self.paths) >= self.limit):
                continue
            for steps in _ways_to(x, target, parent, to_exit):
                if self._accept(materialize(x, steps)):
                    covered.update(self.paths[-1].statements)
                    break

    @staticmethod
    def _through(x: Expanded, parent: dict[int, Step], to_exit: dict[int, Step], node: int,
                 edge: XEdge) -> list[Step]:
        prefix: list[Step] = []
        cur = node
        while cur in parent:
            step = parent[cur]
            prefix.append(step)
            cur = step[0]
        prefix.reverse()
        steps = [*prefix, (node, edge)]
        cur, guard = edge[0], len(x.succ)
        while cur in to_exit and guard > 0:
            step = to_exit[cur]
            steps.append(step)
            cur = step[1][0]
            guard -= 1
        return steps

    @staticmethod
    def _walk(x: Expanded) -> Iterator[list[Step]]:
        """Depth-first complete paths, each node at most ``MAX_VISITS`` times, within a step budget."""
        terminals = set(x.terminals)
        visits = {x.entry: 1}
        steps: list[Step] = []
        stack: list[tuple[int, int]] = [(x.entry, 0)]
        budget = DFS_STEPS
        while stack and budget > 0:
            node, i = stack[-1]
            succ = x.succ[node]
            if node in terminals or not succ:
                yield list(steps)
            if node in terminals or i >= len(succ):
                stack.pop()
                visits[node] -= 1
                if steps:
                    steps.pop()
                continue
            stack[-1] = (node, i + 1)
            edge = succ[i]
            budget -= 1
            if visits.get(edge[0], 0) >= MAX_VISITS:
                continue
            visits[edge[0]] = visits.get(edge[0], 0) + 1
            steps.append((node, edge))
            stack.append((edge[0], 0))


def _chain(parent: dict[int, Step], node: int) -> list[Step]:
    """The steps of the breadth-first (shortest) way from the entry to ``node``."""
    steps: list[Step] = []
    while node in parent:
        steps.append(parent[node])
        node = parent[node][0]
    steps.reverse()
    return steps


def _shortest(x: Expanded, start: int, goal: int) -> list[Step] | None:
    """The steps of a shortest way from ``start`` to ``goal`` (None: there is none)."""
    back: dict[int, Step] = {}
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            steps: list[Step] = []
            while node != start:
                steps.append(back[node])
                node = back[node][0]
            steps.reverse()
            return steps
        for edge in x.succ[node]:
            if edge[0] not in seen:
                seen.add(edge[0])
                back[edge[0]] = (node, edge)
                queue.append(edge[0])
    return None


def _to_end(x: Expanded, node: int, to_exit: dict[int, Step]) -> list[Step]:
    steps, guard = [], len(x.succ)
    while node in to_exit and guard > 0:
        steps.append(to_exit[node])
        node = to_exit[node][1][0]
        guard -= 1
    return steps


def _facts(x: Expanded, edge: XEdge) -> tuple[Condition, ...]:
    _, activation, edge_index, _ = edge
    return x.activations[activation].lcfg.edges[edge_index].facts if edge_index >= 0 else ()


def _ways_to(x: Expanded, target: int, parent: dict[int, Step],
             to_exit: dict[int, Step]) -> Iterator[list[Step]]:
    """Complete paths through ``target`` other than the shortest one: through an edge that assigns
    a variable some branch before ``target`` reads (the nearest branch's variables first), by the
    shortest way to that edge, on to ``target`` and then to an exit; at most ``RESCUE_CANDIDATES``."""
    prefix = _chain(parent, target)
    rank: dict[str, int] = {}
    for distance, (_, edge) in enumerate(reversed(prefix)):
        for c in _facts(x, edge):
            if c.kind in ("if", "loop", "switch"):
                for name in _TOKENS.findall(c.expression):
                    rank.setdefault(name, distance)
    on_prefix = set(prefix)
    waypoints: list[tuple[int, int, Step]] = []
    for node, edges in enumerate(x.succ):
        if node not in parent and node != x.entry:
            continue
        for edge in edges:
            writes = [c.expression.partition(" = ")[0].strip() for c in _facts(x, edge) if c.kind == "assign"]
            near = min((rank[w] for w in writes if w in rank), default=None)
            if near is not None and (node, edge) not in on_prefix:
                waypoints.append((near, len(waypoints), (node, edge)))
    tried = 0
    for _, _, (node, edge) in sorted(waypoints):
        onward = _shortest(x, edge[0], target)
        if onward is None:
            continue
        yield [*_chain(parent, node), (node, edge), *onward, *_to_end(x, target, to_exit)]
        tried += 1
        if tried >= RESCUE_CANDIDATES:
            return


def enumerate_paths(program: Program, entries: Sequence[str] | None = None, *, limit: int | None = None,
                    max_depth: int = 3, per_entry: int = 50) -> list[Path]:
    """Feasible-or-unknown paths from ``entries`` (discovered when None), coverage first;
    ``limit=None``: ``AUTO_LIMIT`` paths, or as many as it takes to reach every statement."""
    return PathEnumerator(program, entries, limit=limit, max_depth=max_depth, per_entry=per_entry).run()
