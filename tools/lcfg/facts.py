"""Turning syntax nodes into the facts an edge carries: branch conditions and assignments.

Fact kinds (``Condition.kind``): ``if``, ``loop``, ``switch``, ``guard`` (a log-level check such as
``LOG.isDebugEnabled()``), ``catch`` (expression = the caught types), ``dispatch`` (interface call
resolved to one implementation), and three bookkeeping kinds read by the feasibility check:
``assign`` (``x = 5``), ``havoc`` (expression = a variable whose value became unknown) and
``iterate`` (a loop went round once more, so what the loop touched may have changed).
"""

from __future__ import annotations

import re

from tree_sitter import Node

from anomalygen.records import Condition

_SPACES = re.compile(r"\s+")
_GUARD = re.compile(
    r"^!?\s*\(?\s*[\w.]+\s*\.\s*(is(Trace|Debug|Info|Warn|Error|Fatal)Enabled|isLoggable)\s*\(")
MAX_TEXT = 240
"""Longer expressions are cut: they are opaque to the solver anyway and would bloat every path."""


def text(node: Node) -> str:
    raw = node.text.decode("utf-8", "replace") if node.text is not None else ""
    flat = _SPACES.sub(" ", raw).strip()
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 3] + "..."


def line(node: Node) -> int:
    return node.start_point[0] + 1


def unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        node = inner
    return node


def is_guard(expression: str) -> bool:
    return bool(_GUARD.match(expression))


def is_literal_true(node: Node) -> bool:
    return unparen(node).type == "true"


def branch(node: Node, holds: bool, file: str, kind: str = "if") -> Condition:
    """The condition ``node`` (a parenthesized or bare expression) taking the value ``holds``."""
    expr = text(unparen(node))
    if kind == "if" and is_guard(expr):
        kind = "guard"
    return Condition(expr, holds, file, line(node), kind)


def plain(expression: str, holds: bool, file: str, at: Node, kind: str) -> Condition:
    return Condition(expression, holds, file, line(at), kind)


def assignment_target(node: Node) -> str | None:
    """The variable an assignment writes, when it is one the solver can track (``x``, ``this.x``)."""
    if node.type == "identifier":
        return text(node)
    if node.type == "field_access":
        obj = node.child_by_field_name("object")
        fld = node.child_by_field_name("field")
        if obj is not None and obj.type == "this" and fld is not None:
            return text(fld)
    return None


def assign(target: str, value: str, file: str, at: Node) -> Condition:
    return Condition(f"{target} = {value}", True, file, line(at), "assign")


def havoc(target: str, file: str, at: Node) -> Condition:
    return Condition(target, True, file, line(at), "havoc")


def assignment_facts(node: Node, file: str) -> list[Condition]:
    """Facts for ``x = e``, ``x += e``, ``x++``, ``int x = e`` found directly in ``node``."""
    kind = node.type
    if kind == "assignment_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None or op is None:
            return []
        target = assignment_target(left)
        if target is None:
            return []
        operator = text(op)
        if operator == "=":
            return [assign(target, text(right), file, node)]
        if operator in ("+=", "-=", "*=", "/=", "%="):
            return [assign(target, f"{target} {operator[0]} ({text(right)})", file, node)]
        return [havoc(target, file, node)]
    if kind == "update_expression":
        operand = next((c for c in node.named_children), None)
        target = assignment_target(operand) if operand is not None else None
        if target is None:
            return []
        sign = "+" if "++" in text(node) else "-"
        return [assign(target, f"{target} {sign} 1", file, node)]
    if kind == "variable_declarator":
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name is None or value is None or value.type == "array_initializer":
            return []
        return [assign(text(name), text(value), file, node)]
    return []


def assigned_names(node: Node) -> set[str]:
    """Every trackable variable written anywhere under ``node`` (for a havoc when we skip it)."""
    names: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type in ("lambda_expression", "class_body"):
            continue
        for fact in assignment_facts(cur, ""):
            names.add(fact.expression.split(" = ", 1)[0])
        if cur.type == "variable_declarator":
            name = cur.child_by_field_name("name")
            if name is not None:
                names.add(text(name))
        stack.extend(cur.named_children)
    return names
