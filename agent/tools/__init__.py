"""The agent's tools over tools/ and graphs/: one registry, one way to run a call safely.

``run_call(ws, name, arguments)`` validates the arguments against the tool's schema and turns every
failure into a ``ToolError`` whose message can go back to the model; results are bounded in size.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from anomalygen.agent.tools import code, flow, jobs, logs
from anomalygen.agent.tools.spec import ToolResult, ToolSpec, bounded
from anomalygen.agent.workspace import StepCancelledError, ToolError, Workspace

TOOLS: dict[str, ToolSpec] = {t.name: t for t in (*code.TOOLS, *flow.TOOLS, *logs.TOOLS, *jobs.TOOLS)}


def parse_arguments(name: str, arguments: dict[str, Any]) -> Any:
    spec = TOOLS.get(name)
    if spec is None:
        raise ToolError(f"there is no tool {name!r}; the tools are: {', '.join(TOOLS)}")
    try:
        return spec.args.model_validate(arguments)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in exc.errors()
        )
        raise ToolError(f"bad arguments for {name}: {problems}") from None


def run_call(ws: Workspace, name: str, arguments: dict[str, Any]) -> ToolResult:
    """Run one tool call; ``ToolError`` for unknown tools, bad arguments and tool failures."""
    parsed = parse_arguments(name, arguments)
    ws.check_cancelled()
    try:
        result = TOOLS[name].run(ws, parsed)
    except (ToolError, StepCancelledError):
        raise
    except Exception as exc:  # a tool's bug or bad input it did not foresee: report, never crash the chat
        raise ToolError(f"{name} failed: {type(exc).__name__}: {exc}") from exc
    return ToolResult(bounded(result.text), result.data)


__all__ = ["TOOLS", "ToolResult", "ToolSpec", "parse_arguments", "run_call"]
