"""Tools over runtime logs: match_line, coverage, explain_session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anomalygen.agent.tools.spec import ToolResult, ToolSpec
from anomalygen.agent.workspace import ToolError, Workspace
from pydantic import BaseModel, Field

MAX_PASTED = 200_000
"""Characters of pasted log text accepted (a session, not a whole log)."""


def _matched(ws: Workspace, files: list[Path]) -> list[Any]:
    """Matched lines of ``files`` (cached per file set until the program changes)."""
    from anomalygen.tools.logs import LogReadError, match_file

    program = ws.program()
    key = ("matched", id(program), tuple(str(f) for f in files))
    cache: dict[Any, Any] = ws.memory.setdefault("matched", {})
    if key not in cache:
        try:
            cache[key] = list(match_file(program, files))
        except LogReadError as exc:
            raise ToolError(str(exc)) from None
    return cache[key]  # type: ignore[no-any-return]


def seen_statements(ws: Workspace) -> set[str]:
    return {line.statement.id for line in _matched(ws, ws.log_file(None)) if line.statement is not None}


class LineArgs(BaseModel):
    line: str = Field(description="one runtime log line, as printed", max_length=5000)


def match_line(ws: Workspace, args: LineArgs) -> ToolResult:
    from anomalygen.tools.logs.matcher import Matcher

    program = ws.program()
    text = args.line.strip().splitlines()[0] if args.line.strip() else ""
    if not text:
        raise ToolError("give one log line")
    try:
        [matched] = _matched(ws, [ws.scratch_file("line.log", text + "\n")])[:1]
        statement, params, message = matched.statement, matched.params, matched.entry.message
    except (ToolError, ValueError):  # no known layout: the whole line is the message
        found = Matcher(program.log_statements.values()).match(text)
        statement, params, message = (found.statement, found.params, text) if found else (None, (), text)
    if statement is None:
        from anomalygen.agent.tools.search import searcher

        hits = searcher(ws).search(message, k=5, kind="statement")
        near = "\n".join(f"- {h.snippet} ({h.file}:{h.line}) id={h.id}" for h in hits) or "- none"
        return ToolResult(
            f"no log statement's template matches this line; closest by words:\n{near}", {"statement": None}
        )
    paths = [p for p in ws.memory.get("paths", {}).values() if statement.id in p.statements]
    lines = [
        f'printed by {statement.level.value} "{statement.template}" at {statement.file}:{statement.line}',
        f"statement id {statement.id}, in method {statement.method}",
        "parameters: "
        + (
            ", ".join(f"{s.expression}={v}" for s, v in zip(statement.slots, params, strict=False))
            or "none"
        ),
    ]
    if paths:
        lines.append("on listed paths: " + ", ".join(p.id for p in paths[:10]))
    return ToolResult("\n".join(lines), {"statement": statement.to_dict(), "params": list(params)})


class CoverageArgs(BaseModel):
    log: str | None = Field(
        None, description="one of the user's log files (default: all of them)", max_length=1000
    )


def coverage(ws: Workspace, args: CoverageArgs) -> ToolResult:
    from anomalygen.tools.logs import CoverageCounter, summarise

    files = ws.log_file(args.log)
    counter = CoverageCounter()
    for line in _matched(ws, files):
        counter.add(line)
    summary = summarise(counter, ws.program().log_statements, top=15)
    lines = [
        f"{', '.join(f.name for f in files)}: {summary['lines_matched']} of {summary['lines_total']} lines "
        f"matched a source statement; the logs show {summary['statements_seen']} of "
        f"{summary['statements_total']} log statements ({summary['statement_coverage']:.1%}).",
        "by level (seen / total): "
        + ", ".join(f"{r['name']} {r['seen']}/{r['total']}" for r in summary["by_level"]),
        "statements the logs never show, likeliest gaps first:",
    ]
    lines += [f'- {u["level"]} "{u["template"]}" ({u["file"]}:{u["line"]})' for u in summary["top_unseen"]]
    return ToolResult(
        "\n".join(lines), {"coverage": {k: v for k, v in summary.items() if k not in ("unmatched_sample",)}}
    )


class ExplainArgs(BaseModel):
    session: str | None = Field(
        None, description="the session's identifier in the log (blk_..., 0x...)", max_length=200
    )
    log: str | None = Field(
        None, description="one of the user's log files (default: all of them)", max_length=1000
    )
    lines: str | None = Field(
        None, description="the session's log lines, pasted (instead of a log file)", max_length=MAX_PASTED
    )


def explain_session(ws: Workspace, args: ExplainArgs) -> ToolResult:
    from anomalygen.tools.explain import explain_lines, select_session, session_ids
    from anomalygen.tools.explain.render import explanation_text

    program = ws.program()
    if args.lines:
        selected = _matched(ws, [ws.scratch_file("session.log", args.lines.strip() + "\n")])
        if args.session:
            selected = select_session(selected, args.session)
    else:
        everything = _matched(ws, ws.log_file(args.log))
        if not args.session:
            ids = session_ids(everything, 15)
            listed = "\n".join(f"- {sid}: {count} lines" for sid, count in ids) or "- none found"
            return ToolResult(
                "give a session id; sessions the log names, most lines first:\n" + listed, {"sessions": ids}
            )
        try:
            selected = select_session(everything, args.session)
        except ValueError as exc:
            raise ToolError(str(exc)) from None
    if not selected:
        raise ToolError(f"no line names session {args.session!r}")
    ws.check_cancelled()
    explanation = explain_lines(program, selected)
    return ToolResult(
        explanation_text(explanation, program.log_statements), {"explanation": explanation.to_dict()}
    )


TOOLS = [
    ToolSpec(
        "match_line",
        "Which source log statement printed a runtime log line, with its parameters.",
        LineArgs,
        match_line,
    ),
    ToolSpec(
        "coverage",
        "Which log statements the user's logs exercise and which they never show.",
        CoverageArgs,
        coverage,
    ),
    ToolSpec(
        "explain_session",
        "Explain a real session (a session id in the user's log, or pasted lines): "
        "the statements that printed it, its transitions no source path allows, the nearest valid "
        "path and the branch conditions where they part. Without a session id it lists the sessions.",
        ExplainArgs,
        explain_session,
    ),
]
