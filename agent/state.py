"""The agent graph's state, checkpointed in SQLite after every step of a conversation."""

from __future__ import annotations

from typing import Annotated, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages


def add_usage(left: dict[str, int] | None, right: dict[str, int] | None) -> dict[str, int]:
    """Reducer: token counts add up over the conversation."""
    total = dict(left or {})
    for key, value in (right or {}).items():
        total[key] = total.get(key, 0) + value
    return total


class AgentState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    """The conversation: user questions, model answers and tool calls, tool results."""
    usage: Annotated[dict[str, int], add_usage]
    """Tokens spent over the whole conversation: input_tokens, output_tokens, total_tokens, calls."""
    failed_calls: int
    """Tool calls that failed in a row: the first failure goes back to the model, the second ends the turn."""
