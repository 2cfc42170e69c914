"""LCFG output formats: plain text, Graphviz dot, JSON-ready dict; and a path's readable form."""

from __future__ import annotations

from typing import Any

from anomalygen.records import Condition, LogStatement, Path
from anomalygen.tools.lcfg.graph import LCFG, LNode


def _cond(c: Condition) -> str:
    prefix = "" if c.holds else "!"
    if c.kind in ("assign", "havoc", "iterate"):
        return f"[{c.kind}] {c.expression}"
    return f"{prefix}({c.expression})" + (f" [{c.kind}]" if c.kind != "if" else "")


def node_label(node: LNode, statements: dict[str, LogStatement]) -> str:
    if node.kind == "log":
        st = statements.get(node.statement)
        template = f'{st.level.value} "{st.template}"' if st is not None else node.statement
        return f"L{node.line} {template}"
    if node.kind == "call":
        targets = ", ".join(t.split("(", 1)[0] for t in node.targets)
        return f"L{node.line} call {targets}"
    return node.kind.upper()


def to_text(lcfg: LCFG, statements: dict[str, LogStatement]) -> str:
    lines = [f"LCFG {lcfg.method}  ({lcfg.file}): {len(lcfg.nodes)} nodes, {len(lcfg.edges)} edges"]
    for index, node in enumerate(lcfg.nodes):
        lines.append(f"  n{index}: {node_label(node, statements)}")
        for edge in lcfg.successors(index):
            tag = " (on exception)" if edge.exceptional else ""
            conds = " && ".join(_cond(c) for c in edge.facts) or "true"
            lines.append(f"      -> n{edge.dst}{tag}  when {conds}")
    return "\n".join(lines)


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(lcfg: LCFG, statements: dict[str, LogStatement]) -> str:
    out = [f'digraph "{_dot_escape(lcfg.method)}" {{', "  node [shape=box, fontname=monospace];"]
    for index, node in enumerate(lcfg.nodes):
        shape = {"entry": "circle", "exit": "doublecircle", "throw": "octagon", "call": "component"}.get(
            node.kind, "box")
        out.append(f'  n{index} [shape={shape}, label="{_dot_escape(node_label(node, statements))}"];')
    for edge in lcfg.edges:
        label = _dot_escape("\\n".join(_cond(c) for c in edge.conditions))
        style = ", style=dashed" if edge.exceptional else ""
        out.append(f'  n{edge.src} -> n{edge.dst} [label="{label}"{style}];')
    out.append("}")
    return "\n".join(out)


def to_json(lcfg: LCFG, statements: dict[str, LogStatement] | None = None) -> dict[str, Any]:
    known = statements or {}
    return {
        "method": lcfg.method,
        "file": lcfg.file,
        "nodes": [{"id": i, "kind": n.kind, "statement": n.statement or None,
                   "template": known[n.statement].template if n.statement in known else None,
                   "targets": list(n.targets), "line": n.line} for i, n in enumerate(lcfg.nodes)],
        "edges": [{"src": e.src, "dst": e.dst, "exceptional": e.exceptional,
                   "conditions": [{"expression": c.expression, "holds": c.holds, "kind": c.kind,
                                   "line": c.line} for c in e.facts]} for e in lcfg.edges],
    }


def path_json(path: Path, statements: dict[str, LogStatement]) -> dict[str, Any]:
    data = path.to_dict()
    data["templates"] = [statements[s].template if s in statements else "" for s in path.statements]
    return data
