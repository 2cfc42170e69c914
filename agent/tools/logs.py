"""Tools over runtime logs: match_line, coverage, explain_session."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from anomalygen.agent.tools.spec import ToolResult, ToolSpec
from anomalygen.agent.workspace import ToolError, Workspace

SMALL_FILE = 1 << 20
MAX_PASTED = 200_000
"""Characters of pasted log text accepted (a session, not a whole log)."""


def _stamp(path: Path) -> tuple[int, int, str]:
    """What tells one content of ``path`` from another: size, mtime, and for a small file (pasted
    lines, rewritten within one clock tick) a hash of its bytes."""
    try:
        found = path.stat()
        digest = hashlib.sha1(path.read_bytes()).hexdigest() if found.st_size <= SMALL_FILE else ""
    except OSError:
        return (-1, -1, "")
    return (found.st_size, found.st_mtime_ns, digest)


def _matched(ws: Workspace, files: list[Path]) -> list[Any]:
    """Matched lines of ``files`` (cached per file set until the program changes)."""
    from anomalygen.tools.logs import LogReadError, match_file

    program = ws.program()
    # a file's size and mtime are in the key: pasted lines reuse one scratch file, and a log grows
    key = ("matched", id(program), tuple((str(f), *_stamp(f)) for f in files))
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


def _matcher(ws: Workspace) -> Any:
    """The program's template matcher, built once per parsed program."""
    from anomalygen.tools.logs.matcher import Matcher

    program = ws.program()
    cached = ws.memory.get("matcher")
    if cached is None or cached[0] is not program:
        cached = (program, Matcher(program.log_statements.values()))
        ws.memory["matcher"] = cached
    return cached[1]


def identify_line(ws: Workspace, text: str, layout: bool = True) -> tuple[Any, tuple[str, ...], str]:
    """(statement or None, parameters, message) of one pasted runtime line: its layout read first
    (timestamp, level, logger) when ``layout``, else the whole line taken as the message."""
    try:
        if not layout:
            raise ValueError("the whole line is the message")
        [matched] = _matched(ws, [ws.scratch_file("line.log", text + "\n")])[:1]
        if matched.statement is not None:
            return matched.statement, tuple(matched.params), matched.entry.message
        message = matched.entry.message
    except (ToolError, ValueError):  # no known layout: the whole line is the message
        message = text
    found = _matcher(ws).match(message)
    return (found.statement, tuple(found.params), message) if found else (None, (), message)


def match_line(ws: Workspace, args: LineArgs) -> ToolResult:
    text = args.line.strip().splitlines()[0] if args.line.strip() else ""
    if not text:
        raise ToolError("give one log line")
    statement, params, message = identify_line(ws, text)
    if statement is None:
        from anomalygen.agent.tools.search import searcher

        hits = searcher(ws).search(message, k=5, kind="statement")
        near = "\n".join(f"- {h.snippet} ({h.file}:{h.line}) id={h.id}" for h in hits) or "- none"
        return ToolResult(
            "no log statement's template matches this line; the closest statements by meaning and words:\n"
            + near,
            {"statement": None},
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
