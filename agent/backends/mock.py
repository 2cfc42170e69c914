"""``mock``: a deterministic chat model for tests and reproducible offline runs.

It plays a script when given one: a list of turns, each a list of steps, a step being
``{"tool": NAME, "args": {...}}`` (one call), ``{"tools": [{"tool":..., "args":...}, ...]}`` (several)
or ``{"answer": TEXT}`` (``{result}`` in TEXT is replaced by the last tool result); ``{path_id}`` and
``{run_id}`` in a string argument are replaced by the first path id and the latest run id that earlier
tool results of the conversation named, so a script can verify a path it listed. Past the script,
or without one, it plans from keywords: one tool call picked from the question's words, then an
answer that quotes the tool's result. Token counts are words and punctuation, so they are stable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from anomalygen.agent.backends.planner import plan

_TOKEN = re.compile(r"\w+|[^\w\s]")
_REFERENCES = {
    "{path_id}": re.compile(r"path ([0-9a-f]{16})"),
    "{run_id}": re.compile(r"run ([0-9a-f]{12}) "),
}


def _fill(value: Any, results: str) -> Any:
    """``value`` with ``{path_id}``/``{run_id}`` replaced from earlier tool results."""
    if isinstance(value, dict):
        return {k: _fill(v, results) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    for marker, pattern in _REFERENCES.items():
        if marker in value:
            found = pattern.findall(results)
            if found:
                value = value.replace(marker, found[0] if marker == "{path_id}" else found[-1])
    return value
ANSWER_LINES = 25


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def _text(message: BaseMessage) -> str:
    content = message.content
    return content if isinstance(content, str) else json.dumps(content)


class ScriptedChatModel(BaseChatModel):
    script: list[list[dict[str, Any]]] | None = None
    model_name: str = "mock-agent"
    tool_names: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "anomalygen-mock"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        names = [
            t["function"]["name"] if isinstance(t, dict) else getattr(t, "name", str(t)) for t in tools
        ]
        return self.model_copy(update={"tool_names": names})

    # -- the decision -----------------------------------------------------------------------
    def _position(self, messages: Sequence[BaseMessage]) -> tuple[int, int, str, list[str]]:
        humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
        last = humans[-1] if humans else 0
        since = messages[last + 1 :]
        step = sum(isinstance(m, AIMessage) for m in since)
        results = [_text(m) for m in since if isinstance(m, ToolMessage)]
        question = _text(messages[last]) if humans else ""
        return len(humans) - 1, step, question, results

    def _calls(self, steps: list[dict[str, Any]], turn: int, step: int, history: str = "") -> AIMessage:
        calls = [
            {
                "name": s["tool"],
                "args": _fill(s.get("args", {}), history),
                "id": f"call_{turn}_{step}_{i}",
                "type": "tool_call",
            }
            for i, s in enumerate(steps)
        ]
        return AIMessage(content="", tool_calls=calls)

    def _decide(self, messages: Sequence[BaseMessage]) -> AIMessage:
        turn, step, question, results = self._position(messages)
        last_result = results[-1] if results else ""
        if self.script is not None and 0 <= turn < len(self.script) and step < len(self.script[turn]):
            entry = self.script[turn][step]
            if "answer" in entry:
                return AIMessage(content=str(entry["answer"]).replace("{result}", last_result))
            history = "\n".join(_text(m) for m in messages if isinstance(m, ToolMessage))
            return self._calls(entry.get("tools", [entry]), turn, step, history)
        if step == 0:
            planned = plan(question)
            if planned is not None and planned[0] in self.tool_names:
                return self._calls([{"tool": planned[0], "args": planned[1]}], turn, step)
        if not results:
            return AIMessage(
                content="I could not find a tool for this question; try /help for what I can do."
            )
        shown = last_result.splitlines()
        body = "\n".join(shown[:ANSWER_LINES]) + (
            f"\n… ({len(shown) - ANSWER_LINES} more lines)" if len(shown) > ANSWER_LINES else ""
        )
        return AIMessage(content=f"Here is what I found:\n\n{body}")

    def _with_usage(self, messages: Sequence[BaseMessage], answer: AIMessage) -> AIMessage:
        prompt = sum(count_tokens(_text(m)) for m in messages)
        output = count_tokens(_text(answer)) + sum(
            count_tokens(json.dumps(c["args"])) for c in answer.tool_calls
        )
        answer.usage_metadata = {
            "input_tokens": prompt,
            "output_tokens": output,
            "total_tokens": prompt + output,
        }
        answer.response_metadata = {"model_name": self.model_name}
        return answer

    # -- BaseChatModel ------------------------------------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(
            generations=[ChatGeneration(message=self._with_usage(messages, self._decide(messages)))]
        )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        answer = self._with_usage(messages, self._decide(messages))
        if answer.tool_calls:
            chunks = [
                tool_call_chunk(name=c["name"], args=json.dumps(c["args"]), id=c["id"], index=i)
                for i, c in enumerate(answer.tool_calls)
            ]
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="", tool_call_chunks=chunks, usage_metadata=answer.usage_metadata
                )
            )
            return
        text = _text(answer)
        pieces = re.findall(r"\S+\s*|\s+", text) or [""]
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            chunk = AIMessageChunk(content=piece, usage_metadata=answer.usage_metadata if last else None)
            if run_manager is not None:
                run_manager.on_llm_new_token(piece, chunk=ChatGenerationChunk(message=chunk))
            yield ChatGenerationChunk(message=chunk)
