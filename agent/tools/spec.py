"""A tool as the agent sees it: name, description, argument schema, function, and whether it asks first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from anomalygen.agent.workspace import Workspace

MAX_RESULT_CHARS = 6000
"""What a model sees of one tool result at most: small models have small contexts."""
SHORT_RESULT_CHARS = 200


@dataclass(slots=True)
class ToolResult:
    text: str
    """What the model reads (bounded by ``bounded``)."""
    data: dict[str, Any] = field(default_factory=dict)
    """Structured result for the interfaces (tables, views); never sent to the model."""

    @property
    def short(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first[:SHORT_RESULT_CHARS]


@dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[Workspace, Any], ToolResult]
    approval: str = ""
    """Why this tool asks before it runs (long, writes files); empty: it runs at once."""

    def schema(self) -> dict[str, Any]:
        """The OpenAI function-tool form of this tool."""
        parameters = self.args.model_json_schema()
        parameters.pop("title", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": parameters},
        }


def bounded(text: str, limit: int = MAX_RESULT_CHARS) -> str:
    """``text`` cut at a line boundary to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    kept = text[:limit].rsplit("\n", 1)[0]
    dropped = text[len(kept) :].count("\n") + 1
    return f"{kept}\n... ({dropped} more lines not shown: narrow the request to see them)"
