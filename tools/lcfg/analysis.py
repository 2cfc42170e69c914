"""Program-wide memo for the LCFG stage: which methods can reach a log, and each method's LCFG.

One ``Analysis`` per ``Program``: every LCFG is built once and shared by every entry point that
inlines it (the "method summary"), and the can-reach-a-log set is computed once over the call graph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise

from tree_sitter import Node

from anomalygen.records import LogStatement
from anomalygen.tools.java.model import CallSite, Program
from anomalygen.tools.lcfg.builder import build_raw_cfg
from anomalygen.tools.lcfg.graph import LCFG, LEdge, LNode
from anomalygen.tools.lcfg.rawcfg import EXIT
from anomalygen.tools.lcfg.reduce import reduce_cfg

TEST_DIR = re.compile(r"(^|/)(src/test|test|tests|testing)(/|$)")


def is_test_file(file: str) -> bool:
    """Code under a test folder: a running system does not execute it."""
    return bool(TEST_DIR.search(file))


class ProgramResolver:
    """The builder's questions answered from a ``Program`` for one file (``call_at`` and
    ``log_statement_at`` tell apart the invocations of a chain ``a.b().c()``, which share a start)."""

    def __init__(self, analysis: Analysis, file: str) -> None:
        self.program = analysis.program
        self.reach = analysis.reach
        self.file = file

    def _site(self, node: Node) -> CallSite | None:
        return self.program.call_at(self.file, node)

    def log_statement(self, node: Node) -> str | None:
        return self.program.log_statement_at(self.file, node)

    def call_targets(self, node: Node) -> tuple[str, ...]:
        site = self._site(node)
        if site is None:
            return ()
        return tuple(t for t in site.targets if t in self.reach)

    def receiver(self, node: Node) -> str:
        site = self._site(node)
        return site.receiver or "" if site is not None else ""


class Analysis:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.callees: dict[str, set[str]] = defaultdict(set)
        self.callers: dict[str, set[str]] = defaultdict(set)
        for site in program.calls.values():
            for target in site.targets:
                self.callees[site.caller].add(target)
                self.callers[target].add(site.caller)
        self.own_logs: dict[str, list[str]] = defaultdict(list)
        for statement in program.log_statements.values():
            if statement.method:
                self.own_logs[statement.method].append(statement.id)
        self.reach = self._methods_reaching_logs()
        self._lcfgs: dict[str, LCFG] = {}
        self.degraded: list[str] = []
        """Methods too deeply nested to build: their LCFG is their log statements in line order."""

    def _methods_reaching_logs(self) -> set[str]:
        """Methods with a log statement, and (backwards over the call graph) everything calling them."""
        reach = {m for m in self.own_logs if m in self.program.methods}
        work = list(reach)
        while work:
            method = work.pop()
            for caller in self.callers.get(method, ()):
                if caller not in reach and caller in self.program.methods:
                    reach.add(caller)
                    work.append(caller)
        return reach

    def lcfg(self, method_id: str) -> LCFG:
        cached = self._lcfgs.get(method_id)
        if cached is None:
            cached = self._build(method_id)
            self._lcfgs[method_id] = cached
        return cached

    def _build(self, method_id: str) -> LCFG:
        info = self.program.methods.get(method_id)
        if info is None:
            raise KeyError(f"unknown method {method_id!r}")
        if info.body is None or method_id not in self.reach:
            return _trivial(method_id, info.file)
        try:
            raw = build_raw_cfg(info.file, info.body, ProgramResolver(self, info.file))
        except RecursionError:
            # Pathologically deep nesting (generated code): keep the method's log statements in
            # source order rather than losing them or the whole run.
            self.degraded.append(method_id)
            return _sequential(method_id, info.file, sorted(
                (self.program.log_statements[s] for s in self.own_logs.get(method_id, ())
                 if s in self.program.log_statements), key=lambda st: st.line))
        return reduce_cfg(raw, method_id)

    @property
    def built(self) -> int:
        return len(self._lcfgs)


def _trivial(method_id: str, file: str) -> LCFG:
    """A method without a body, or one that cannot log: entry straight to exit."""
    lcfg = LCFG(method_id, file, [LNode("entry"), LNode("exit"), LNode("throw")], [LEdge(0, EXIT)],
                [[0], [], []])
    return lcfg


def _sequential(method_id: str, file: str, statements: list[LogStatement]) -> LCFG:
    nodes = [LNode("entry"), LNode("exit"), LNode("throw")]
    nodes.extend(LNode("log", statement=st.id, line=st.line) for st in statements)
    chain = [0, *range(3, len(nodes)), EXIT]
    edges = [LEdge(a, b) for a, b in pairwise(chain)]
    out: list[list[int]] = [[] for _ in nodes]
    for index, edge in enumerate(edges):
        out[edge.src].append(index)
    return LCFG(method_id, file, nodes, edges, out)


_CACHE: list[Analysis] = []


def analysis_for(program: Program) -> Analysis:
    """The memoized analysis of ``program`` (the last few programs are kept)."""
    for existing in _CACHE:
        if existing.program is program:
            return existing
    made = Analysis(program)
    _CACHE.insert(0, made)
    del _CACHE[3:]
    return made
