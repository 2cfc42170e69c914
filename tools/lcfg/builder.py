"""Build the statement-level CFG of one method body (a tree-sitter node) into a ``RawCFG``.

The builder walks statements in source order keeping a stack of *frames* (enclosing loops, switches,
labels, finally blocks and catch handlers) so that ``break``/``continue``/``return``/``throw``/``yield``
find their target and run every ``finally`` they cross: a finally block is built again on each route
out of its try, which keeps the paths exact. Loops, switches and try statements live in
``structured.py``. Lambda bodies and anonymous/local class bodies are never entered: they are methods
of their own.

Statements that contain no event and no jump are not expanded into branches: they become one node
whose edge says which variables they may have changed. This keeps the graph small without losing any
log-producing path.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import tree_sitter_java
from tree_sitter import Language, Node, Query, QueryCursor

from anomalygen.records import Condition
from anomalygen.tools.lcfg import facts
from anomalygen.tools.lcfg.rawcfg import ENTRY, EXIT, THROW, EdgeFlag, EventResolver, RawCFG, RawNode

INVOCATIONS = frozenset({"method_invocation", "object_creation_expression",
                         "explicit_constructor_invocation"})
JUMPS = frozenset({"return_statement", "break_statement", "continue_statement", "throw_statement",
                   "yield_statement"})
SEPARATE_BODIES = frozenset({"lambda_expression", "class_body", "class_declaration", "interface_declaration",
                             "enum_declaration", "record_declaration", "local_class_declaration"})
COMPOUND = frozenset({"block", "if_statement", "while_statement", "do_statement", "for_statement",
                      "enhanced_for_statement", "switch_expression", "switch_statement", "try_statement",
                      "try_with_resources_statement", "synchronized_statement", "labeled_statement"})


_PREPASS = Query(Language(tree_sitter_java.language()), """
[(method_invocation) (object_creation_expression) (explicit_constructor_invocation)] @inv
[(return_statement) (break_statement) (continue_statement) (throw_statement) (yield_statement)] @jump
[(assignment_expression) (update_expression)] @write
[(lambda_expression) (class_body)] @sep
""")


@dataclass(eq=False, slots=True)
class Frame:
    """One enclosing construct. Compared by identity: frame tuples key the exception-route cache."""

    kind: str
    """loop, switch, label, finally or catch."""
    label: str | None = None
    break_to: int = -1
    continue_to: int = -1
    body: Node | None = None
    """The finally block of a ``finally`` frame."""
    dispatch: int = -1
    """The handler-dispatch node of a ``catch`` frame."""
    is_expression: bool = False
    """A switch expression (the target of ``yield``)."""


Classified = tuple[str, str] | tuple[str, tuple[str, ...]] | None


class Builder:
    def __init__(self, file: str, body: Node, resolver: EventResolver) -> None:
        self.file = file
        self.body = body
        self.resolver = resolver
        self.g = RawCFG(file)
        self.frames: tuple[Frame, ...] = ()
        self._routes: dict[tuple[Frame, ...], int] = {}
        self._kinds: dict[tuple[int, int], Classified] = {}
        self._events: list[int] = []
        self._jumps: list[int] = []
        self._invocations: list[int] = []
        self._writes: list[int] = []
        self._prepass(body)

    # -- public ---------------------------------------------------------------------------------
    def build(self) -> RawCFG:
        end = self.statement(self.body, ENTRY)
        if end is not None:
            self.g.edge(end, EXIT)
        return self.g

    # -- what a subtree contains ----------------------------------------------------------------
    def _prepass(self, root: Node) -> None:
        """Positions of invocations, jumps and writes, found by one tree-sitter query (in C) instead
        of a Python walk; anything inside a lambda or class body belongs to another method."""
        captures = QueryCursor(_PREPASS).captures(root)
        separate = sorted((n.start_byte, n.end_byte) for n in captures.get("sep", ())
                          if (n.start_byte, n.end_byte) != (root.start_byte, root.end_byte))
        starts = [start for start, _ in separate]
        reach: list[int] = []
        for _, end in separate:
            reach.append(max(end, reach[-1]) if reach else end)

        def inside_other_body(pos: int) -> bool:
            i = bisect_right(starts, pos) - 1
            return i >= 0 and reach[i] > pos

        for node in captures.get("inv", ()):
            if inside_other_body(node.start_byte):
                continue
            self._invocations.append(node.start_byte)
            classified = self._classify(node)
            self._kinds[(node.start_byte, node.end_byte)] = classified
            if classified is not None:
                self._events.append(node.start_byte)
        for name, positions in (("jump", self._jumps), ("write", self._writes)):
            positions.extend(n.start_byte for n in captures.get(name, ())
                             if not inside_other_body(n.start_byte))
        for positions in (self._events, self._jumps, self._invocations, self._writes):
            positions.sort()

    def _classify(self, node: Node) -> Classified:
        statement = self.resolver.log_statement(node)
        if statement is not None:
            return ("log", statement)
        targets = self.resolver.call_targets(node)
        return ("call", targets) if targets else None

    @staticmethod
    def _within(positions: list[int], node: Node) -> bool:
        i = bisect_left(positions, node.start_byte)
        return i < len(positions) and positions[i] < node.end_byte

    def has_events(self, node: Node) -> bool:
        return self._within(self._events, node)

    def in_catch(self) -> bool:
        return any(f.kind == "catch" for f in self.frames)

    # -- routes out of the current construct -------------------------------------------------------
    def run_finally(self, cur: int, depth: int, frame: Frame) -> int | None:
        """Build ``frame``'s finally block after ``cur`` as if only frames[:depth] enclosed it."""
        saved = self.frames
        self.frames = saved[:depth]
        try:
            assert frame.body is not None
            return self.statement(frame.body, cur)
        finally:
            self.frames = saved

    def route_exception(self, cur: int) -> None:
        """An exception raised at ``cur``: to the innermost handler, through any finally on the way."""
        frames = self.frames
        for depth in range(len(frames) - 1, -1, -1):
            frame = frames[depth]
            if frame.kind == "catch":
                self.g.edge(cur, frame.dispatch)
                return
            if frame.kind == "finally":
                after = self.run_finally(cur, depth, frame)
                if after is None:
                    return
                cur = after
        self.g.edge(cur, THROW, flags=EdgeFlag.THROW)

    def throw_route(self) -> int:
        """One shared node per frame stack from which an exception is routed (built on first use)."""
        route = self._routes.get(self.frames)
        if route is None:
            route = self.g.nop()
            self._routes[self.frames] = route
            self.route_exception(route)
        return route

    def jump(self, cur: int, target_depth: int, target: int, fact: Condition | None = None) -> None:
        """Leave every frame above ``target_depth`` (running finally blocks), then go to ``target``."""
        frames = self.frames
        for depth in range(len(frames) - 1, target_depth, -1):
            frame = frames[depth]
            if frame.kind == "finally":
                after = self.run_finally(cur, depth, frame)
                if after is None:
                    return
                cur = after
        self.g.edge(cur, target, (fact,) if fact else (),
                    flags=EdgeFlag.BACK if fact is not None and fact.kind == "iterate" else EdgeFlag.NONE)

    def find_frame(self, kinds: tuple[str, ...], label: str | None,
                   expression_only: bool = False) -> int:
        for depth in range(len(self.frames) - 1, -1, -1):
            frame = self.frames[depth]
            if frame.kind not in kinds:
                continue
            if label is not None and frame.label != label:
                continue
            if expression_only and not frame.is_expression:
                continue
            if label is None and frame.kind == "label":
                continue
            return depth
        return -1

    # -- statements -------------------------------------------------------------------------------
    def statement(self, node: Node, cur: int | None, label: str | None = None) -> int | None:
        if cur is None:
            return None  # unreachable code after a jump
        kind = node.type
        if kind in COMPOUND and not self.has_events(node) and not self._within(self._jumps, node):
            return self._skip(node, cur)
        from anomalygen.tools.lcfg import structured

        handler = structured.HANDLERS.get(kind)
        if handler is not None:
            return handler(self, node, cur, label)
        if kind == "block":
            for child in node.named_children:
                cur = self.statement(child, cur)
            return cur
        if kind == "local_variable_declaration":
            for declarator in node.children_by_field_name("declarator"):
                value = declarator.child_by_field_name("value")
                if value is not None:
                    cur = self.expression(value, cur)
                    cur = self.fact_edge(cur, facts.assignment_facts(declarator, self.file))
            return cur
        if kind == "return_statement":
            cur = self.expressions(node.named_children, cur)
            if cur is not None:
                self.jump(cur, -1, EXIT)
            return None
        if kind == "throw_statement":
            cur = self.expressions(node.named_children, cur)
            if cur is not None:
                self.g.edge(cur, self.throw_route(), flags=EdgeFlag.THROW)
            return None
        if kind in ("break_statement", "continue_statement"):
            self._break_or_continue(node, cur)
            return None
        if kind == "yield_statement":
            cur = self.expressions(node.named_children, cur)
            depth = self.find_frame(("switch",), None, expression_only=True)
            if cur is not None and depth >= 0:
                self.jump(cur, depth, self.frames[depth].break_to)
            return None
        if kind in SEPARATE_BODIES or kind in ("empty_statement", ";", "line_comment", "block_comment"):
            return cur
        return self.expression(node, cur)

    def _break_or_continue(self, node: Node, cur: int) -> None:
        target = next((c for c in node.named_children if c.type == "identifier"), None)
        label = facts.text(target) if target is not None else None
        if node.type == "break_statement":
            depth = self.find_frame(("loop", "switch", "label"), label)
            if depth >= 0:
                self.jump(cur, depth, self.frames[depth].break_to)
        else:
            depth = self.find_frame(("loop",), label)
            if depth >= 0:
                self.jump(cur, depth, self.frames[depth].continue_to)
        return None

    def _skip(self, node: Node, cur: int) -> int:
        """An event-free, jump-free statement: one node that may change what it assigns."""
        havocs = tuple(facts.havoc(n, self.file, node) for n in sorted(facts.assigned_names(node)))
        cur = self.g.link(cur, havocs) if havocs else cur
        if self.in_catch() and self._within(self._invocations, node):
            self.g.edge(cur, self.throw_route())
        return cur

    def fact_edge(self, cur: int | None, new_facts: list[Condition]) -> int | None:
        if cur is None or not new_facts:
            return cur
        return self.g.link(cur, tuple(new_facts))

    # -- expressions, in evaluation order -----------------------------------------------------------
    def expressions(self, nodes: list[Node], cur: int | None) -> int | None:
        for node in nodes:
            cur = self.expression(node, cur)
        return cur

    def expression(self, node: Node, cur: int | None) -> int | None:
        if cur is None:
            return None
        kind = node.type
        if kind in SEPARATE_BODIES or node.named_child_count == 0:
            return cur
        if kind in ("switch_expression", "switch_statement"):
            from anomalygen.tools.lcfg import structured

            return structured.switch(self, node, cur, None, is_expression=True)
        if kind == "ternary_expression" and self.has_events(node):
            return self._ternary(node, cur)
        if not self._within(self._invocations, node) and not self._within(self._writes, node):
            return cur
        cur = self.expressions(node.named_children, cur)
        if cur is None:
            return None
        if kind in INVOCATIONS:
            return self._event(node, cur)
        if kind in ("assignment_expression", "update_expression"):
            return self.fact_edge(cur, facts.assignment_facts(node, self.file))
        return cur

    def _ternary(self, node: Node, cur: int) -> int | None:
        cond = node.child_by_field_name("condition")
        then, other = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        if cond is None or then is None or other is None:
            return self.expressions(node.named_children, cur)
        at = self.expression(cond, cur)
        if at is None:
            return None
        join = self.g.nop()
        for arm, holds in ((then, True), (other, False)):
            end = self.expression(arm, self.g.link(at, (facts.branch(cond, holds, self.file),)))
            if end is not None:
                self.g.edge(end, join)
        return join if self.g.preds[join] else None

    def _event(self, node: Node, cur: int) -> int:
        classified = self._kinds.get((node.start_byte, node.end_byte))
        line = facts.line(node)
        if classified is None:
            if self.in_catch():
                self.g.edge(cur, self.throw_route())  # a library call may throw into the handlers
            return cur
        if classified[0] == "log":
            statement = classified[1]
            assert isinstance(statement, str)
            event = self.g.add(RawNode("log", statement=statement, line=line))
            self.g.edge(cur, event)
            return event
        targets = classified[1]
        assert isinstance(targets, tuple)
        event = self.g.add(RawNode("call", targets=targets, line=line,
                                   receiver=self.resolver.receiver(node), implicit_throw=self.in_catch(),
                                   arguments=_arguments(node)))
        self.g.edge(cur, event)
        self.g.edge(event, self.throw_route(), exceptional=True)
        return event


def _arguments(node: Node) -> tuple[str, ...]:
    args = node.child_by_field_name("arguments")
    if args is None:
        return ()
    return tuple(facts.text(a) for a in args.named_children
                 if a.type not in ("line_comment", "block_comment"))


def build_raw_cfg(file: str, body: Node, resolver: EventResolver) -> RawCFG:
    return Builder(file, body, resolver).build()
