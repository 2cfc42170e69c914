"""Interprocedural composition: one entry point's LCFG with its callees' LCFGs inlined.

The result is a plain graph (so shortest paths and coverage are easy) whose nodes are (activation,
LCFG node) pairs. A call node whose callee is inlined jumps to the callee's entry; the callee's
normal exit continues along the call's normal edges and its exception exit along the call's
exceptional edges. Several targets (interface dispatch) branch, each with a ``dispatch``
condition. Inlining stops at ``max_depth``, on recursion (a method already on the activation
stack), and when the graph reaches ``node_budget`` nodes: such calls are kept as plain nodes that
log nothing, which bounds the work per entry whatever the program looks like.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from anomalygen.records import Condition
from anomalygen.tools.java.model import MethodInfo
from anomalygen.tools.lcfg.analysis import Analysis, is_test_file
from anomalygen.tools.lcfg.graph import ENTRY_NODE, EXIT_NODE, LCFG, THROW_NODE

DEFAULT_NODE_BUDGET = 4000

XEdge = tuple[int, int, int, tuple[Condition, ...]]
"""(destination node, activation whose LCFG edge this is, edge index or -1, extra conditions).

The extra conditions sit on call-entry edges: the dispatch choice, and ``bind`` facts
(``param = argument``: the parameter in the callee's scope, the argument read in the caller's)."""


@dataclass(slots=True)
class Activation:
    method: str
    lcfg: LCFG
    depth: int
    stack: tuple[str, ...]
    base: int
    """Expanded id of this activation's LCFG node 0."""


@dataclass(slots=True)
class Expanded:
    entry_method: str
    activations: list[Activation] = field(default_factory=list)
    node_activation: list[int] = field(default_factory=list)
    node_local: list[int] = field(default_factory=list)
    succ: list[list[XEdge]] = field(default_factory=list)
    cut_calls: int = 0
    """Calls left un-inlined because of depth, recursion or the node budget."""

    @property
    def entry(self) -> int:
        return self.activations[0].base + ENTRY_NODE

    @property
    def terminals(self) -> tuple[int, int]:
        root = self.activations[0].base
        return root + EXIT_NODE, root + THROW_NODE

    def statement(self, node: int) -> str:
        lnode = self.activations[self.node_activation[node]].lcfg.nodes[self.node_local[node]]
        return lnode.statement if lnode.kind == "log" else ""

    def method_of(self, node: int) -> str:
        return self.activations[self.node_activation[node]].method


def _activate(x: Expanded, analysis: Analysis, method: str, depth: int, stack: tuple[str, ...]) -> int:
    lcfg = analysis.lcfg(method)
    index = len(x.activations)
    base = len(x.node_activation)
    x.activations.append(Activation(method, lcfg, depth, (*stack, method), base))
    for local in range(len(lcfg.nodes)):
        x.node_activation.append(index)
        x.node_local.append(local)
        x.succ.append([])
    return index


def expand(analysis: Analysis, entry: str, max_depth: int = 3,
           node_budget: int = DEFAULT_NODE_BUDGET) -> Expanded:
    x = Expanded(entry)
    methods = analysis.program.methods
    # Dispatch from system code to a test double (a test class implementing the interface) is
    # resolution noise, not an execution of the system: such targets are not inlined.
    allow_tests = entry not in methods or is_test_file(methods[entry].file)
    _activate(x, analysis, entry, 0, ())
    queue = deque([0])
    while queue:
        index = queue.popleft()
        act = x.activations[index]
        for local, node in enumerate(act.lcfg.nodes):
            here = act.base + local
            out = act.lcfg.out[local]
            callees: list[int] = []
            if node.kind == "call":
                for target in node.targets:
                    if target in act.stack or act.depth >= max_depth:
                        continue
                    if not allow_tests and target in methods and is_test_file(methods[target].file):
                        continue
                    size = len(analysis.lcfg(target).nodes)
                    if len(x.node_activation) + size > node_budget:
                        continue
                    callee = _activate(x, analysis, target, act.depth + 1, act.stack)
                    callees.append(callee)
                    queue.append(callee)
                if not callees:
                    x.cut_calls += 1
            if callees:
                _wire_call(x, index, local, callees, methods)
                continue
            for edge_index in out:
                edge = act.lcfg.edges[edge_index]
                if edge.exceptional and not node.implicit_throw:
                    continue  # an un-inlined callee: only its visible (implicit) exceptions count
                x.succ[here].append((act.base + edge.dst, index, edge_index, ()))
    return x


def _wire_call(x: Expanded, index: int, local: int, callees: list[int],
               methods: dict[str, MethodInfo]) -> None:
    act = x.activations[index]
    node = act.lcfg.nodes[local]
    here = act.base + local
    for callee_index in callees:
        callee = x.activations[callee_index]
        extra: list[Condition] = []
        if len(node.targets) > 1:
            receiver = node.receiver or "this"
            owner = callee.method.split("(", 1)[0].rsplit(".", 1)[0]
            extra.append(Condition(f"{receiver} instanceof {owner}", True, act.lcfg.file, node.line,
                                   "dispatch"))
        info = methods.get(callee.method)
        if info is not None and len(info.parameters) == len(node.arguments) and not any(
                "..." in p.type_name for p in info.parameters):
            extra.extend(Condition(f"{p.name} = {arg}", True, act.lcfg.file, node.line, "bind")
                         for p, arg in zip(info.parameters, node.arguments, strict=True))
        x.succ[here].append((callee.base + ENTRY_NODE, index, -1, tuple(extra)))
        for edge_index in act.lcfg.out[local]:
            edge = act.lcfg.edges[edge_index]
            dst = act.base + edge.dst
            if edge.exceptional:
                x.succ[callee.base + THROW_NODE].append((dst, index, edge_index, ()))
                if node.implicit_throw:
                    x.succ[callee.base + EXIT_NODE].append((dst, index, edge_index, ()))
            else:
                x.succ[callee.base + EXIT_NODE].append((dst, index, edge_index, ()))
