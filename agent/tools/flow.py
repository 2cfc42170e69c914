"""Tools over control flow: lcfg (text), paths, verify_path."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from anomalygen.agent.tools.code import MethodArgs, resolve_method
from anomalygen.agent.tools.spec import ToolResult, ToolSpec
from anomalygen.agent.workspace import ToolError, Workspace
from anomalygen.records import Path

MAX_PATHS = 50


def lcfg(ws: Workspace, args: MethodArgs) -> ToolResult:
    from anomalygen.tools.lcfg import build_lcfg
    from anomalygen.tools.lcfg.render import to_json, to_text

    program = ws.program()
    graphs = [build_lcfg(program, m) for m in resolve_method(ws, args.method)[:3]]
    text = "\n\n".join(to_text(g, program.log_statements) for g in graphs)
    return ToolResult(text, {"lcfgs": [to_json(g, program.log_statements) for g in graphs]})


class PathsArgs(BaseModel):
    entry: str | None = Field(
        None, description="entry method (Class.method); default: discovered entries", max_length=500
    )
    limit: int = Field(10, ge=1, le=MAX_PATHS, description="most paths to list")


def _describe_path(path: Path, statements: dict[str, Any]) -> list[str]:
    lines = [f"path {path.id} from {path.entry} [{path.feasibility.value}]"]
    for sid in path.statements:
        st = statements.get(sid)
        lines.append(f'    {st.level.value} "{st.template}" ({st.file}:{st.line})' if st else f"    {sid}")
    return lines


def paths(ws: Workspace, args: PathsArgs) -> ToolResult:
    from anomalygen.tools.lcfg import PathEnumerator

    program = ws.program()
    entries = resolve_method(ws, args.entry) if args.entry else None
    enumerator = PathEnumerator(program, entries, limit=args.limit, per_entry=args.limit)
    if entries is None:
        enumerator.entries = enumerator.entries[: args.limit]
        enumerator.discovered = False
    found = enumerator.run(on_entry=lambda _e: ws.check_cancelled())
    known: dict[str, Path] = ws.memory.setdefault("paths", {})
    known.update({p.id: p for p in found})
    stats = enumerator.stats.to_dict()
    lines = [
        f"{len(found)} paths ({stats['dropped_unsat']} dropped as contradictory by z3); "
        "pass a path id to verify_path:"
    ]
    for path in found:
        lines += _describe_path(path, program.log_statements)
    return ToolResult("\n".join(lines), {"paths": [p.to_dict() for p in found], "stats": stats})


class VerifyArgs(BaseModel):
    path_id: str = Field(description="a path id listed by the paths tool", max_length=40)


def _verify(program: Any, path: Path, backend: Any) -> Any:
    from anomalygen.tools.verify import verify_paths

    return verify_paths(program, [path], backend, concurrency=1)[0]


def verify_path(ws: Workspace, args: VerifyArgs) -> ToolResult:
    from anomalygen.llm.factory import make_backend

    known: dict[str, Path] = ws.memory.get("paths", {})
    path = known.get(args.path_id.strip())
    if path is None:
        raise ToolError(f"unknown path id {args.path_id!r}: list paths first (the paths tool)")
    program = ws.program()
    backend = make_backend(ws.llm["name"], **ws.llm.get("options", {}))
    verdict = _verify(program, path, backend)
    conditions = [
        f"{'' if c.holds else '!'}({c.expression}) [{c.kind}] at {c.file}:{c.line}"
        for c in path.conditions
        if c.kind not in ("assign", "havoc", "iterate", "bind")
    ]
    text = (
        f"path {path.id}: {verdict.kind.value} (decided by {verdict.source}; z3: {path.feasibility.value})\n"
        f"rationale: {verdict.rationale or '-'}\nconditions along the path:\n"
        + "\n".join(f"  {c}" for c in conditions[:40])
    )
    return ToolResult(text, {"verdict": verdict.to_dict(), "path": path.to_dict()})


TOOLS = [
    ToolSpec(
        "lcfg",
        "The log-oriented control flow graph of a method as text: its log statements, the calls "
        "that can log, and the branch conditions on each edge.",
        MethodArgs,
        lcfg,
    ),
    ToolSpec(
        "paths",
        "Enumerate execution paths that print log sequences, from one entry method or the "
        "discovered entry points; z3 drops contradictory ones.",
        PathsArgs,
        paths,
    ),
    ToolSpec(
        "verify_path",
        "Judge whether a listed path can really execute: z3 on its conditions, then the "
        "configured LLM's reasoning when z3 cannot decide.",
        VerifyArgs,
        verify_path,
    ),
]
