"""Structured statements for the CFG builder: if, loops, switch, try, labeled, synchronized.

Each handler takes the builder, the statement node, the current node and an optional label, and
returns the node where flow continues (None when nothing falls through).
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from anomalygen.records import Condition
from anomalygen.tools.lcfg import facts
from anomalygen.tools.lcfg.builder import Builder, Frame
from anomalygen.tools.lcfg.rawcfg import EdgeFlag

CATCH_ALL = frozenset({"Throwable", "java.lang.Throwable", "Exception", "java.lang.Exception"})
"""Catch types after which we stop routing an exception further out (Errors are not modelled)."""

Handler = Callable[[Builder, Node, int, "str | None"], "int | None"]


def _reachable(b: Builder, node: int) -> int | None:
    return node if b.g.preds[node] else None


def _iterate(b: Builder, at: Node) -> Condition:
    return facts.plain(f"loop at line {facts.line(at)}", True, b.file, at, "iterate")


def if_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    cond = node.child_by_field_name("condition")
    then, other = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
    if cond is None or then is None:
        return b.expressions(node.named_children, cur)
    at = b.expression(cond, cur)
    if at is None:
        return None
    join = b.g.nop()
    then_end = b.statement(then, b.g.link(at, (facts.branch(cond, True, b.file),)))
    else_start = b.g.link(at, (facts.branch(cond, False, b.file),))
    else_end = b.statement(other, else_start) if other is not None else else_start
    for end in (then_end, else_end):
        if end is not None:
            b.g.edge(end, join)
    return _reachable(b, join)


def _loop(b: Builder, node: Node, head: int, test: int | None, cond: Node | None, body: Node,
          label: str | None, updates: list[Node], entry_facts: tuple[Condition, ...] = ()) -> int | None:
    """The common shape: ``test`` (after evaluating the condition) -> body -> latch -> updates -> head."""
    after, latch = b.g.nop(), b.g.nop()
    if test is not None:
        infinite = cond is None or facts.is_literal_true(cond)
        enter = () if infinite or cond is None else (facts.branch(cond, True, b.file, "loop"),)
        start = b.g.link(test, enter + entry_facts)
        if not infinite and cond is not None:
            b.g.edge(test, after, (facts.branch(cond, False, b.file, "loop"),))
        frame = Frame("loop", label, break_to=after, continue_to=latch)
        saved = b.frames
        b.frames = (*saved, frame)
        end = b.statement(body, start)
        b.frames = saved
        if end is not None:
            b.g.edge(end, latch)
    if b.g.preds[latch]:
        back = b.expressions(updates, latch)
        if back is not None:
            b.g.edge(back, head, (_iterate(b, node),), flags=EdgeFlag.BACK)
    return _reachable(b, after)


def while_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    cond, body = node.child_by_field_name("condition"), node.child_by_field_name("body")
    if body is None:
        return cur
    head = b.g.link(cur)
    test = b.expression(cond, head) if cond is not None else head
    return _loop(b, node, head, test, cond, body, label, [])


def for_statement(b: Builder, node: Node, cur: int | None, label: str | None) -> int | None:
    for init in node.children_by_field_name("init"):
        cur = b.statement(init, cur) if init.type == "local_variable_declaration" else b.expression(init, cur)
    cond, body = node.child_by_field_name("condition"), node.child_by_field_name("body")
    if cur is None or body is None:
        return cur
    head = b.g.link(cur)
    test = b.expression(cond, head) if cond is not None else head
    return _loop(b, node, head, test, cond, body, label, node.children_by_field_name("update"))


def enhanced_for_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    value, body, name = (node.child_by_field_name(f) for f in ("value", "body", "name"))
    if value is None or body is None:
        return cur
    at = b.expression(value, cur)
    if at is None:
        return None
    head = b.g.link(at)
    more = facts.plain(f"{facts.text(value)}.iterator().hasNext()", True, b.file, node, "loop")
    after, latch = b.g.nop(), b.g.nop()
    b.g.edge(head, after, (facts.plain(more.expression, False, b.file, node, "loop"),))
    element = (facts.havoc(facts.text(name), b.file, node),) if name is not None else ()
    start = b.g.link(head, (more, *element))
    saved = b.frames
    b.frames = (*saved, Frame("loop", label, break_to=after, continue_to=latch))
    end = b.statement(body, start)
    b.frames = saved
    if end is not None:
        b.g.edge(end, latch)
    if b.g.preds[latch]:
        b.g.edge(latch, head, (_iterate(b, node),), flags=EdgeFlag.BACK)
    return _reachable(b, after)


def do_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    body, cond = node.child_by_field_name("body"), node.child_by_field_name("condition")
    if body is None:
        return cur
    head, after, latch = b.g.link(cur), b.g.nop(), b.g.nop()
    saved = b.frames
    b.frames = (*saved, Frame("loop", label, break_to=after, continue_to=latch))
    end = b.statement(body, head)
    b.frames = saved
    if end is not None:
        b.g.edge(end, latch)
    if b.g.preds[latch]:
        test = b.expression(cond, latch) if cond is not None else latch
        if test is not None:
            again: tuple[Condition, ...] = (_iterate(b, node),)
            if cond is not None and not facts.is_literal_true(cond):
                again = (facts.branch(cond, True, b.file, "loop"), *again)
                b.g.edge(test, after, (facts.branch(cond, False, b.file, "loop"),))
            b.g.edge(test, head, again, flags=EdgeFlag.BACK)
    return _reachable(b, after)


def labeled_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    name = next((c for c in node.named_children if c.type == "identifier"), None)
    inner = next((c for c in node.named_children if c.type != "identifier"), None)
    if inner is None:
        return cur
    own = facts.text(name) if name is not None else None
    if inner.type in LOOPS:
        return b.statement(inner, cur, own)
    after = b.g.nop()
    saved = b.frames
    b.frames = (*saved, Frame("label", own, break_to=after))
    end = b.statement(inner, cur)
    b.frames = saved
    if end is not None:
        b.g.edge(end, after)
    return _reachable(b, after)


def synchronized_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    lock = next((c for c in node.named_children if c.type == "parenthesized_expression"), None)
    body = node.child_by_field_name("body")
    at: int | None = b.expression(lock, cur) if lock is not None else cur
    return b.statement(body, at) if body is not None else at


def _case_expression(subject: str, value: Node) -> str:
    if value.type == "string_literal":
        return f"{subject}.equals({facts.text(value)})"
    return f"{subject} == {facts.text(value)}"


def switch(b: Builder, node: Node, cur: int, label: str | None, is_expression: bool = False) -> int | None:
    cond, block = node.child_by_field_name("condition"), node.child_by_field_name("body")
    if cond is None or block is None:
        return cur
    subject = facts.text(facts.unparen(cond))
    head = b.expression(cond, cur)
    if head is None:
        return None
    groups = [g for g in block.named_children if g.type in ("switch_block_statement_group", "switch_rule")]
    cases: list[list[str]] = []
    defaults: list[bool] = []
    for group in groups:
        labels = [c for c in group.named_children if c.type == "switch_label"]
        defaults.append(any(facts.text(lb).startswith("default") for lb in labels))
        cases.append([_case_expression(subject, v) for lb in labels for v in lb.named_children])
    every_case = " || ".join(c for group_cases in cases for c in group_cases)
    after = b.g.nop()
    saved = b.frames
    b.frames = (*saved, Frame("switch", label, break_to=after, is_expression=is_expression))
    previous_end: int | None = None
    for group, group_cases, is_default in zip(groups, cases, defaults, strict=True):
        if is_default:
            others = " || ".join(c for other in cases if other is not group_cases for c in other)
            entry = (facts.plain(others, False, b.file, group, "switch"),) if others else ()
        else:
            entry = (facts.plain(" || ".join(group_cases), True, b.file, group, "switch"),)
        start = b.g.link(head, entry)
        body = [c for c in group.named_children if c.type != "switch_label"]
        if group.type == "switch_rule":
            end = b.statement(body[0], start) if body else start
            if end is not None:
                b.g.edge(end, after)
            continue
        if previous_end is not None:
            b.g.edge(previous_end, start)  # fall-through from the group above
        end = start
        for statement in body:
            end = b.statement(statement, end)
        previous_end = end
    if previous_end is not None:
        b.g.edge(previous_end, after)
    if not any(defaults):
        b.g.edge(head, after, (facts.plain(every_case, False, b.file, node, "switch"),) if every_case else ())
    b.frames = saved
    return _reachable(b, after)


def _switch_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    return switch(b, node, cur, label)


def try_statement(b: Builder, node: Node, cur: int, label: str | None) -> int | None:
    body = node.child_by_field_name("body")
    catches = [c for c in node.named_children if c.type == "catch_clause"]
    finally_clause = next((c for c in node.named_children if c.type == "finally_clause"), None)
    finally_block = next((c for c in finally_clause.named_children if c.type == "block"), None) \
        if finally_clause is not None else None
    saved = b.frames
    if finally_block is not None:
        b.frames = (*b.frames, Frame("finally", body=finally_block))
    with_finally = b.frames
    dispatch = b.g.nop() if catches else -1
    if catches:
        b.frames = (*b.frames, Frame("catch", dispatch=dispatch))
    at: int | None = cur
    resources = node.child_by_field_name("resources")
    for resource in resources.named_children if resources is not None else []:
        value, name = resource.child_by_field_name("value"), resource.child_by_field_name("name")
        if value is not None:
            at = b.expression(value, at)
            if name is not None and at is not None:
                at = b.g.link(at, (facts.assign(facts.text(name), facts.text(value), b.file, resource),))
    ends = [b.statement(body, at) if body is not None else at]
    b.frames = with_finally
    if catches:
        if not b.g.preds[dispatch]:
            b.g.edge(cur, dispatch)  # no call inside: an exception from anywhere in the body
        caught_all = False
        for clause in catches:
            param = next((c for c in clause.named_children if c.type == "catch_formal_parameter"), None)
            types = next((c for c in param.named_children if c.type == "catch_type"), None) if param else None
            name = param.child_by_field_name("name") if param is not None else None
            type_text = facts.text(types) if types is not None else "Throwable"
            caught_all = caught_all or any(t.strip() in CATCH_ALL for t in type_text.split("|"))
            entry = [facts.plain(type_text, True, b.file, clause, "catch")]
            if name is not None:
                entry.append(facts.havoc(facts.text(name), b.file, clause))
            start = b.g.link(dispatch, tuple(entry), flags=EdgeFlag.CATCH)
            clause_body = clause.child_by_field_name("body")
            ends.append(b.statement(clause_body, start) if clause_body is not None else start)
        if not caught_all:
            b.route_exception(b.g.link(dispatch))
    b.frames = saved
    join = b.g.nop()
    for end in ends:
        if end is not None:
            b.g.edge(end, join)
    if not b.g.preds[join]:
        return None
    return b.statement(finally_block, join) if finally_block is not None else join


LOOPS = frozenset({"while_statement", "do_statement", "for_statement", "enhanced_for_statement"})

HANDLERS: dict[str, Handler] = {
    "if_statement": if_statement,
    "while_statement": while_statement,
    "for_statement": for_statement,
    "enhanced_for_statement": enhanced_for_statement,
    "do_statement": do_statement,
    "labeled_statement": labeled_statement,
    "synchronized_statement": synchronized_statement,
    "switch_expression": _switch_statement,
    "switch_statement": _switch_statement,
    "try_statement": try_statement,
    "try_with_resources_statement": try_statement,
}
