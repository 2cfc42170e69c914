"""Messages the worker running the agent posts to the app."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class AgentEvent(Message):
    """A tool call, a tool result or a progress event of a long job."""

    def __init__(self, kind: str, fields: dict[str, Any]) -> None:
        super().__init__()
        self.kind = kind
        self.fields = fields


class TurnFinished(Message):
    """A question (or slash command) has its answer."""

    def __init__(self, status: str, answer: str, error: str, tokens: dict[str, int]) -> None:
        super().__init__()
        self.status, self.answer, self.error, self.tokens = status, answer, error, tokens
