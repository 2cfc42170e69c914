"""Slash commands: the same tools, called directly, with no model at all (``--llm none``) or beside one."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anomalygen.agent.backends import describe_model
from anomalygen.agent.session import AgentSession
from anomalygen.agent.tools import TOOLS, run_call
from anomalygen.agent.workspace import StepCancelledError, ToolError


@dataclass(frozen=True, slots=True)
class Slash:
    usage: str
    summary: str
    tool: str = ""
    arguments: Callable[[list[str], str], dict[str, Any]] | None = None


def _rest(words: list[str], raw: str) -> str:
    return raw.split(None, 1)[1] if len(raw.split(None, 1)) > 1 else ""


def _explain(words: list[str], raw: str) -> dict[str, Any]:
    return {"session": words[0] if words else None, "log": words[1] if len(words) > 1 else None}


def _evaluate(words: list[str], raw: str) -> dict[str, Any]:
    arguments: dict[str, Any] = {"models": words[0]} if words else {}
    if len(words) > 1:
        arguments["run_id"] = words[1]
    return arguments


COMMANDS: dict[str, Slash] = {
    "/search": Slash(
        "/search WORDS",
        "search methods, classes and log statements",
        "search_code",
        lambda w, r: {"query": _rest(w, r)},
    ),
    "/show": Slash(
        "/show Class.method",
        "a method's source and log statements",
        "show_method",
        lambda w, r: {"method": _rest(w, r)},
    ),
    "/statements": Slash(
        "/statements [WORDS]",
        "log statements, filtered by words",
        "list_log_statements",
        lambda w, r: {"filter": _rest(w, r)},
    ),
    "/lcfg": Slash(
        "/lcfg Class.method",
        "a method's log-oriented control flow graph",
        "lcfg",
        lambda w, r: {"method": _rest(w, r)},
    ),
    "/paths": Slash(
        "/paths [Class.method]",
        "execution paths that print logs",
        "paths",
        lambda w, r: {"entry": _rest(w, r) or None},
    ),
    "/verify": Slash(
        "/verify PATH_ID",
        "judge whether a listed path can execute",
        "verify_path",
        lambda w, r: {"path_id": _rest(w, r)},
    ),
    "/match": Slash(
        "/match LOG LINE",
        "which statement printed a log line",
        "match_line",
        lambda w, r: {"line": _rest(w, r)},
    ),
    "/coverage": Slash(
        "/coverage [LOG]",
        "statements the logs show and never show",
        "coverage",
        lambda w, r: {"log": w[0] if w else None},
    ),
    "/explain": Slash(
        "/explain [SESSION_ID] [LOG]",
        "explain a real session against the source",
        "explain_session",
        _explain,
    ),
    "/run": Slash(
        "/run [SESSIONS]",
        "generate synthetic sessions (asks first)",
        "run_augmentation",
        lambda w, r: {"sessions": int(w[0])} if w and w[0].isdigit() else {},
    ),
    "/evaluate": Slash(
        "/evaluate [MODELS] [RUN_ID]", "train and evaluate detectors (asks first)", "evaluate", _evaluate
    ),
    "/model": Slash("/model", "which model answers questions"),
    "/tokens": Slash("/tokens", "tokens spent in this conversation"),
    "/reindex": Slash("/reindex", "read the repository again (after it changed)"),
    "/help": Slash("/help", "this list"),
}


def help_text() -> str:
    width = max(len(c.usage) for c in COMMANDS.values())
    return "\n".join(f"{c.usage:<{width}}  {c.summary}" for c in COMMANDS.values())


def run_slash(session: AgentSession, line: str) -> str:
    """Run one slash command line; the answer as text (errors included, nothing raised)."""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    name = words[0].lower() if words else ""
    command = COMMANDS.get(name)
    if command is None:
        return f"unknown command {name!r}; /help lists them"
    ws = session.ws
    if name == "/help":
        return help_text()
    if name == "/model":
        return f"model: {describe_model(session.model)}; pipeline LLM: {ws.llm['name']}"
    if name == "/tokens":
        usage = session.usage()
        return (
            f"conversation {session.conversation}: {usage.get('input_tokens', 0)} in, "
            f"{usage.get('output_tokens', 0)} out, {usage.get('total_tokens', 0)} total "
            f"over {usage.get('calls', 0)} model calls"
        )
    if name == "/reindex":
        ws.forget_program()
        program = ws.program()
        return f"read {len(program.files)} files, {len(program.log_statements)} log statements"
    assert command.arguments is not None
    try:
        arguments = command.arguments(words[1:], line)
        spec = TOOLS[command.tool]
        if (
            spec.approval
            and not ws.approve_all
            and not session.approve({"tool": command.tool, "arguments": arguments, "why": spec.approval})
        ):
            return "not run: declined"
        ws.cancel.clear()
        result = run_call(ws, command.tool, arguments)
        ws.emit(
            "tool-result",
            {"name": command.tool, "short": result.short, "text": result.text, "data": result.data},
        )
        return result.text
    except ToolError as exc:
        return f"error: {exc}"
    except StepCancelledError:
        return "cancelled"
